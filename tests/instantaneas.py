"""Helpers of the `instantanea` tests: the folder of snapshots, a database's content, the snapshot titles."""

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from resolucion_cli.almacen import TABLAS

RESOLUCION = shutil.which("resolucion")
instalado = pytest.mark.skipif(RESOLUCION is None, reason="the resolucion console script is not on PATH")
INSTANTE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def carpeta(cli) -> Path:
    return cli.db.parent / ".resolucion-instantaneas" / cli.db.name


def contenido(ruta) -> dict:
    """Every row of every table, and the schema version: what a restore must bring back."""
    conexion = sqlite3.connect(f"{Path(ruta).absolute().as_uri()}?mode=ro", uri=True)
    try:
        filas = {t: conexion.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLAS}
        filas["user_version"] = conexion.execute("PRAGMA user_version").fetchone()[0]
        return filas
    finally:
        conexion.close()


def titulos(ruta) -> list[str]:
    return [fila[1] for fila in contenido(ruta)["pedidos"]]


def titulos_en(almacen) -> list[str]:
    return [fila[0] for fila in almacen.conexion.execute("SELECT titulo FROM pedidos ORDER BY id")]
