"""Helpers of the hostile-input tests: a dump of a whole database, a copy of one, the control characters."""

import re
import shutil
import sqlite3
import sys
from pathlib import Path

from resolucion_cli.almacen import TABLAS
from tests.conftest import Cli

_SCRIPT = Path(sys.executable).with_name("resolucion")
COMANDO = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "resolucion_cli"]
ANCHO = {"COLUMNS": "400"}
# Any control character but newline and tab, and the invisible, joining, bidirectional and
# line-breaking marks (U+2028/2029) and the byte-order mark.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def archivos(db: Path) -> dict:
    """The database's bytes, WAL included, by file name: what a refusal must leave as it was.
    The -shm is left out: it is SQLite's shared-memory index, which any reader rewrites."""
    return {p.name: p.read_bytes() for p in db.parent.iterdir() if p.name in (db.name, db.name + "-wal")}


def volcado(db: Path) -> dict:
    """Every row of every table: what a refused command must leave as it was."""
    if str(db).startswith("postgresql://"):
        return {t: Cli(db).sql(f"SELECT * FROM {t} ORDER BY 1") for t in TABLAS}
    conexion = sqlite3.connect(db)
    try:
        return {t: conexion.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLAS}
    finally:
        conexion.close()


def _copiar(origen: Path, destino: Path) -> Cli:
    conexion = sqlite3.connect(origen)
    try:
        conexion.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conexion.close()
    shutil.copyfile(origen, destino)
    return Cli(destino)
