"""The installed `resolucion` command in real processes: `python -m`, pipes, signals,
and the catch-all for unexpected failures."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from resolucion_cli.errores import Terminado
from tests.conftest import T0_ISO
from tests.esperado import foto, una_linea_de_error

# --- the installed command and the catch-all --------------------------------------------


def test_python_dash_m_shows_the_help(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "resolucion_cli", "--help"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    for palabra in ("pedido", "disputa", "tick", "bandeja", "init"):
        assert palabra in r.stdout
    assert "Traceback" not in r.stderr


def _instalado() -> str:
    junto = Path(sys.executable).parent / "resolucion"
    return str(junto) if junto.exists() else (shutil.which("resolucion") or "resolucion")


def test_the_installed_command_names_a_missing_option_when_stdin_is_not_a_terminal(tmp_path):
    r = subprocess.run(
        [_instalado(), "pedido", "crear", "--cliente", "ana", "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=dict(os.environ, RESOLUCION_TZ="UTC", NO_COLOR="1"),
        timeout=60,
    )
    assert r.returncode == 2, r.stderr
    assert r.stdout == ""
    assert r.stderr.startswith("Error: ") and "--freelancer" in r.stderr
    assert r.stderr.count("\n") == 1
    assert "Traceback" not in r.stderr


def test_the_installed_command_without_como_on_a_pipe_is_bad_input(tmp_path):
    db = str(tmp_path / "y.db")
    base = [_instalado()]
    entorno = dict(os.environ, RESOLUCION_TZ="UTC", NO_COLOR="1")
    subprocess.run([*base, "init", "--reloj", T0_ISO, "--db", db], env=entorno, capture_output=True, timeout=60)
    r = subprocess.run(
        [*base, "disputa", "abrir", "1", "--tipo", "actualizacion", "--db", db],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=entorno,
        timeout=60,
    )
    assert r.returncode == 2, r.stderr
    assert "--como" in r.stderr


def test_an_unexpected_failure_is_a_spanish_sentence_with_exit_1_and_no_traceback(cli, monkeypatch):
    cli.pedido()

    def averia(*args, **kwargs):
        raise RuntimeError("fallo interno")

    monkeypatch.setattr("resolucion_cli.servicios.ver_pedido", averia)
    r = cli.run("pedido", "ver", 1)
    assert r.code == 1, r
    linea = una_linea_de_error(r)
    assert "inesperado" in linea and "no se ha cambiado nada" in linea
    r = cli.run("pedido", "ver", 1, "--json")
    assert r.code == 1 and r.out == "", r
    assert r.error["codigo"] == 1
    assert "Traceback" not in r.err


def test_an_unexpected_failure_after_the_commit_says_the_change_is_saved(cli, monkeypatch):
    cli.pedido()

    def averia(*args, **kwargs):
        raise RuntimeError("fallo al mostrar")

    monkeypatch.setattr("resolucion_cli.vista.mostrar_pedido_corto", averia)
    r = cli.run("pedido", "entregar", 1, "--como", "beto", env={"COLUMNS": "300"})
    assert r.code == 1, r
    # Only the screen's header line, naming the database, made it out before the screen failed.
    assert r.out == f"Base de datos: {cli.db}\n", r
    [linea] = r.err.splitlines()
    assert linea.startswith("Error: ")
    assert "el cambio está guardado" in linea and "no se ha cambiado nada" not in linea
    assert "avísalo en https://" in linea and "/issues" in linea  # where, from the package metadata
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == "entregado"


@pytest.mark.parametrize("senal, codigo", [(KeyboardInterrupt, 130), (Terminado, 143)], ids=["ctrl-c", "sigterm"])
@pytest.mark.parametrize("guardado", [False, True], ids=["before-commit", "after-commit"])
def test_an_interruption_says_whether_the_change_was_saved(cli, monkeypatch, senal, codigo, guardado):
    cli.pedido()

    def interrumpir(*args, **kwargs):
        raise senal()

    objetivo = "resolucion_cli.vista.mostrar_pedido_corto" if guardado else "resolucion_cli.servicios.entregar"
    monkeypatch.setattr(objetivo, interrumpir)
    r = cli.run("pedido", "entregar", 1, "--como", "beto")
    assert r.code == codigo, r
    if guardado:
        assert r.err == "Interrumpido: el cambio ya estaba guardado.\n", r
    else:
        assert r.err == "Interrumpido: no se ha cambiado nada.\n", r
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == ("entregado" if guardado else "activo")


def test_an_unexpected_failure_in_a_write_changes_nothing(cli, monkeypatch):
    cli.pedido()
    antes = foto(cli, 1)
    import resolucion_cli.almacen as almacen

    def averia(self, eventos):
        raise RuntimeError("disco lleno")

    with monkeypatch.context() as parche:
        parche.setattr(almacen.Almacen, "insertar_eventos", averia)
        r = cli.run("pedido", "entregar", 1, "--como", "beto")
    assert r.code == 1, r
    una_linea_de_error(r)
    assert foto(cli, 1) == antes


def test_resolucion_debug_shows_the_traceback_for_a_bug_report(cli, monkeypatch):
    from typer.testing import CliRunner

    from resolucion_cli.cli import app

    cli.pedido()

    def averia(*args, **kwargs):
        raise RuntimeError("fallo al mostrar")

    monkeypatch.setattr("resolucion_cli.vista.mostrar_pedido_corto", averia)
    argumentos = ["pedido", "entregar", "1", "--como", "beto", "--db", str(cli.db)]
    r = CliRunner().invoke(app, argumentos, env={"RESOLUCION_DEBUG": "1"})
    assert r.exit_code == 1
    assert r.stderr.startswith("Traceback (most recent call last):")
    assert "RuntimeError: fallo al mostrar" in r.stderr
    # The sentence a person reads still comes last, and still says the change is saved.
    assert r.stderr.splitlines()[-1].startswith("Error: Error inesperado (RuntimeError: fallo al mostrar)")
    assert "el cambio está guardado" in r.stderr.splitlines()[-1]
