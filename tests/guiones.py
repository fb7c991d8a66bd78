"""Helpers of the scenario tests (`resolucion guion`): files written for a test, run in-process."""

import shutil
import sys
from pathlib import Path

from typer.testing import CliRunner

from resolucion_cli.cli import app

RAIZ = Path(__file__).resolve().parents[1]
ESCENARIOS = sorted((RAIZ / "sample_data" / "escenarios").glob("*.toml"))
RESOLUCION = shutil.which("resolucion") or str(Path(sys.executable).parent / "resolucion")

CABECERA = 'reloj = "2026-03-02T09:00:00Z"\n'
CREAR = """
[[paso]]
accion = "crear"
ref = "logo"
cliente = "ana"
freelancer = "beto"
titulo = "Logo"
precio = "150"
entrega = "5d"
"""
ABRIR_CANCELACION = """
[[paso]]
accion = "abrir"
ref = "c"
pedido = "logo"
como = "ana"
tipo = "cancelacion"
comentario = "Ya no lo necesito"
"""


def correr(*args, env=None):
    r = CliRunner().invoke(app, ["guion", *map(str, args)], env=env)
    assert "Traceback" not in r.stderr, r.stderr
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r


def escribir(carpeta: Path, texto: str, nombre: str = "guion.toml") -> Path:
    ruta = carpeta / nombre
    ruta.write_text(texto, encoding="utf-8")
    return ruta


def cambiar_una_vez(texto: str, viejo: str, nuevo: str, despues_de: str = "") -> str:
    """Replace the first `viejo` found after `despues_de`, checking that it is there."""
    inicio = texto.index(despues_de) if despues_de else 0
    posicion = texto.index(viejo, inicio)
    return texto[:posicion] + nuevo + texto[posicion + len(viejo) :]
