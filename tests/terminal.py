"""Helpers of the tests that run the installed `resolucion` on a pseudo-terminal (pexpect).

`Terminal` answers the questions of one interactive run; `en_vivo` starts a live screen (`--seguir`)
while `otra_terminal` changes the database from a second process. Every process started here is
kept in `ABIERTOS`, which the autouse fixture of tests/sistema/conftest.py empties after each test.
"""

import io
import os
import shutil
import subprocess

import pexpect
import pytest

RESOLUCION = shutil.which("resolucion")
en_terminal = pytest.mark.skipif(RESOLUCION is None, reason="the resolucion console script is not on PATH")

ETIQUETAS_CLIENTE = ["Obtener una actualización del pedido", "Solicitar que se cancele el pedido"]
ETIQUETAS_FREELANCER = [
    "Solicitar a tu cliente que cancele el pedido",
    "Solicitar una prórroga de la fecha de entrega",
    "Ofrecer extras",
]
ETIQUETAS_MOTIVO = [
    "El cliente no responde",
    "El cliente me pidió cancelar",
    "El cliente pidió trabajo fuera del alcance del pedido",
    "No puedo completar el pedido",
    "El cliente no envió la información necesaria",
    "Otro motivo",
]

ABIERTOS: list = []


def cerrar_los_abiertos() -> None:
    """End every process a test left behind (a failed test must not leave one running)."""
    while ABIERTOS:
        proceso = ABIERTOS.pop()
        if proceso.isalive():
            proceso.terminate(force=True)
        proceso.close()


class Terminal:
    """One run of `resolucion` on a pseudo-terminal; `pregunta` waits for a prompt, then answers."""

    def __init__(self, db, *args, redireccion: str = ""):
        """`redireccion` is shell syntax applied to the command (`> archivo`, `< /dev/null`)."""
        env = dict(os.environ)
        for variable in ("RESOLUCION_USUARIO", "FORCE_COLOR"):
            env.pop(variable, None)
        env.update(NO_COLOR="1", RESOLUCION_TZ="UTC", COLUMNS="120", RESOLUCION_DB=str(db))
        self.registro = io.StringIO()
        self.proceso = pexpect.spawn(
            "/bin/sh",
            ["-c", f'exec "$0" "$@" {redireccion}', RESOLUCION, *[str(a) for a in args]],
            env=env,
            encoding="utf-8",
            codec_errors="replace",  # the terminal echoes what a test types, foreign bytes included
            timeout=20,
            dimensions=(50, 120),
        )
        self.proceso.delaybeforesend = None  # every answer waits for its question
        self.proceso.logfile_read = self.registro
        ABIERTOS.append(self.proceso)

    def espera(self, texto: str) -> None:
        self.proceso.expect_exact(texto)

    def pregunta(self, texto: str, respuesta: str) -> None:
        self.espera(texto)
        self.proceso.sendline(respuesta)

    def fin(self) -> int:
        """Wait for the command to end; its exit code."""
        self.proceso.expect(pexpect.EOF)
        self.proceso.close()
        assert self.proceso.signalstatus is None, self.salida
        return self.proceso.exitstatus

    @property
    def salida(self) -> str:
        return self.registro.getvalue().replace("\r\n", "\n")


def estado(cli) -> dict:
    """Everything an interactive run could change, as JSON."""
    return {
        "pedidos": cli.ok("pedido", "listar", "--limite", 100)["pedidos"],
        "disputas": cli.ok("disputa", "listar")["disputas"],
        "pedido_1": cli.ok("pedido", "ver", 1),
        "bandeja_ana": cli.ok("bandeja", "--como", "ana")["mensajes"],
        "bandeja_beto": cli.ok("bandeja", "--como", "beto")["mensajes"],
    }


def menu(salida: str, titulo: str) -> list[str]:
    """The labels of the numbered list shown under `titulo`, in order."""
    _, _, resto = salida.partition(titulo + "\n")
    etiquetas = []
    for linea in resto.splitlines():
        numero, punto, etiqueta = linea.strip().partition(". ")
        if not (punto and numero.isdigit()):
            break
        assert int(numero) == len(etiquetas) + 1, salida
        etiquetas.append(etiqueta)
    return etiquetas


def _entorno(db) -> dict:
    env = dict(os.environ)
    for variable in ("RESOLUCION_USUARIO", "FORCE_COLOR"):
        env.pop(variable, None)
    env.update(NO_COLOR="1", COLUMNS="120", RESOLUCION_TZ="UTC", RESOLUCION_DB=str(db), TERM="xterm")
    return env


def en_vivo(db, *args, filas: int = 60):
    """Process 1: a live screen in a pseudo-terminal of `filas` lines."""
    proceso = pexpect.spawn(
        RESOLUCION,
        [str(a) for a in args],
        env=_entorno(db),
        encoding="utf-8",
        timeout=10,
        dimensions=(filas, 120),
    )
    proceso.logfile_read = io.StringIO()
    ABIERTOS.append(proceso)
    return proceso


def otra_terminal(db, *args) -> None:
    """Process 2: one ordinary command, run to its end."""
    r = subprocess.run(
        [RESOLUCION, *map(str, args)], env=_entorno(db), capture_output=True, text=True, timeout=30, check=False
    )
    assert r.returncode == 0, r.stderr


def salir_con_ctrl_c(proceso) -> int:
    proceso.sendintr()
    proceso.expect(pexpect.EOF)
    proceso.close()
    assert proceso.signalstatus is None, proceso.logfile_read.getvalue()
    return proceso.exitstatus
