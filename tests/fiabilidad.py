"""Helpers of the reliability tests: the installed command in a subprocess, queries, copies of a database."""

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

_SCRIPT = Path(sys.executable).with_name("resolucion")
COMANDO = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "resolucion_cli"]
ESPERA_MAXIMA = 120  # seconds; only a hung process would come near it
CIERRES = ("disputa_respondida", "disputa_aceptada", "disputa_rechazada", "disputa_revocada", "disputa_vencida")

# Waits for a file to appear, then becomes the command: processes started one by one
# all begin their real work at the same instant.
BARRERA = """\
import os, sys, time
barrera, limite = sys.argv[1], time.monotonic() + 60
while not os.path.exists(barrera):
    if time.monotonic() > limite:
        sys.exit(99)
    time.sleep(0.0005)
os.execv(sys.argv[2], sys.argv[2:])
"""


def _entorno() -> dict:
    entorno = dict(os.environ, RESOLUCION_TZ="UTC", NO_COLOR="1", COLUMNS="200")
    entorno.pop("RESOLUCION_DB", None)
    entorno.pop("RESOLUCION_USUARIO", None)
    return entorno


def _ejecutar(db: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMANDO, *map(str, args), "--db", str(db)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=_entorno(),
        timeout=ESPERA_MAXIMA,
    )


def _consulta(db: Path, sql: str, parametros=()) -> list[tuple]:
    conexion = sqlite3.connect(db)
    try:
        return conexion.execute(sql, parametros).fetchall()
    finally:
        conexion.close()


def _checkpoint(db: Path) -> None:
    """Fold the WAL into the main file, so the file alone is the whole database."""
    conexion = sqlite3.connect(db)
    try:
        conexion.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conexion.close()


def _copiar(origen: Path, destino: Path) -> Path:
    shutil.copyfile(origen, destino)
    for sufijo in ("-wal", "-shm"):
        extra = Path(f"{origen}{sufijo}")
        if extra.exists():
            shutil.copyfile(extra, Path(f"{destino}{sufijo}"))
    return destino


def _desde_iso(texto: str) -> datetime:
    return datetime.fromisoformat(texto.replace("Z", "+00:00"))
