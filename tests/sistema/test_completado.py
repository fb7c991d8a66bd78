"""Shell completion for bash, zsh and fish: the script of the shell asked for, and commands,
options and option values completed by the installed command, as each shell asks for them."""

import os
import subprocess

import pytest

from tests.terminal import RESOLUCION, en_terminal

pytestmark = en_terminal


def _resolucion(*args, **entorno) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("_RESOLUCION")}
    env.update(entorno)
    return subprocess.run([RESOLUCION, *args], capture_output=True, text=True, env=env, timeout=30)


@pytest.mark.parametrize(
    "shell, marca",
    [
        ("bash", "complete -o default -F _resolucion_completion"),
        ("zsh", "#compdef resolucion"),
        ("fish", "complete --command resolucion"),
    ],
)
def test_the_script_is_that_of_the_shell_named_whatever_shell_runs(shell, marca):
    r = _resolucion("--show-completion", shell, SHELL="/bin/bash")
    assert r.returncode == 0, r.stderr
    assert marca in r.stdout
    assert _resolucion("--show-completion", SHELL=f"/usr/bin/{shell}").stdout == r.stdout  # $SHELL when none is named


def test_an_unknown_shell_is_refused_in_spanish():
    r = _resolucion("--show-completion", "tcsh", SHELL="/bin/bash")
    assert r.returncode == 2 and r.stdout == ""
    assert "No sé autocompletar en «tcsh»: funciona en bash, zsh, fish y PowerShell." in r.stderr


def _bash(linea: str) -> list[str]:
    palabras = linea.split(" ")
    r = _resolucion(_RESOLUCION_COMPLETE="complete_bash", COMP_WORDS=linea, COMP_CWORD=str(len(palabras) - 1))
    return r.stdout.split()


def _zsh(linea: str) -> str:
    return _resolucion(_RESOLUCION_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS=linea).stdout


def _fish(linea: str) -> list[str]:
    r = _resolucion(
        _RESOLUCION_COMPLETE="complete_fish", _TYPER_COMPLETE_FISH_ACTION="get-args", _TYPER_COMPLETE_ARGS=linea
    )
    return [fila.split("\t")[0] for fila in r.stdout.splitlines()]


VALORES = [
    ("resolucion disputa abrir 1 --tipo ", ["actualizacion", "cancelacion", "prorroga", "extras", "reembolso_parcial"]),
    ("resolucion disputa abrir 1 --motivo cli", ["cliente_no_responde", "cliente_lo_pidio"]),
    ("resolucion pedido listar --estado en", ["entregado", "en_controversia"]),
    ("resolucion diagrama --formato ", ["mermaid", "dot"]),
    ("resolucion informe 1 --formato ", ["md", "html"]),
    ("resolucion init --politica ", ["clasica", "aceptacion-automatica"]),
    ("resolucion init --modo-reloj ", ["simulado", "real"]),
    ("resolucion diagrama --maquina ", ["pedidos", "disputas"]),
    ("resolucion ped", ["pedido"]),
    ("resolucion pedido v", ["ver"]),
]


@pytest.mark.parametrize("linea, esperados", VALORES, ids=[v[0].removeprefix("resolucion ") for v in VALORES])
def test_commands_and_option_values_complete_in_every_shell(linea, esperados):
    assert _bash(linea) == esperados
    assert _fish(linea) == esperados
    zsh = _zsh(linea)
    assert all(f'"{valor}' in zsh for valor in esperados), zsh
