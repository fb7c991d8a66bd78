"""Help in Spanish with an example for every command, and shell completion."""

import os
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from resolucion_cli.cli import app

COMANDOS = [
    [],
    ["init"],
    ["pedido"],
    ["pedido", "crear"],
    ["pedido", "listar"],
    ["pedido", "ver"],
    ["pedido", "entregar"],
    ["pedido", "completar"],
    ["disputa"],
    ["disputa", "abrir"],
    ["disputa", "responder"],
    ["disputa", "revocar"],
    ["disputa", "listar"],
    ["tick"],
    ["bandeja"],
    ["demo"],
    ["generar"],
    ["verificar"],
    ["guion"],
    ["explicar"],
    ["diagrama"],
    ["instantanea"],
    ["instantanea", "guardar"],
    ["instantanea", "restaurar"],
    ["instantanea", "listar"],
    ["instantanea", "borrar"],
]


@pytest.mark.parametrize("comando", COMANDOS, ids=lambda c: " ".join(c) or "resolucion")
def test_every_help_is_in_spanish_and_shows_an_example(comando):
    r = CliRunner().invoke(app, [*comando, "--help"])
    assert r.exit_code == 0, r.output
    assert "Ejemplo" in r.stdout
    for ingles in ("Show this message", "[required]", "╭─ Options", "╭─ Commands", "╭─ Arguments"):
        assert ingles not in r.stdout


def test_the_main_help_groups_the_commands():
    r = CliRunner().invoke(app, ["--help"])
    for grupo in ("Base de datos y demo", "Reloj y mensajes", "Pedidos y solicitudes", "Opciones comunes"):
        assert grupo in r.stdout


def test_a_group_typed_alone_shows_its_help_and_succeeds():
    r = CliRunner().invoke(app, ["pedido"])
    assert r.exit_code == 0
    assert "crear" in r.stdout and "Ejemplo" in r.stdout


def test_shell_completion_script_is_offered_for_bash():
    resolucion = shutil.which("resolucion")
    assert resolucion, "the resolucion command is not installed"
    r = subprocess.run(
        [resolucion, "--show-completion"], capture_output=True, text=True, env=dict(os.environ, SHELL="/bin/bash")
    )
    assert r.returncode == 0, r.stderr
    assert "_resolucion_completion" in r.stdout
    assert "complete " in r.stdout


def test_completion_answers_with_the_commands():
    resolucion = shutil.which("resolucion")
    entorno = dict(os.environ, _RESOLUCION_COMPLETE="complete_bash", COMP_WORDS="resolucion pe", COMP_CWORD="1")
    r = subprocess.run([resolucion], capture_output=True, text=True, env=entorno)
    assert "pedido" in r.stdout
