"""Helpers of the storage tests: the stored fields of SPEC §6, schema introspection, requests to open."""

import os
import sqlite3
import subprocess
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from resolucion_cli import reglas, servicios
from resolucion_cli.almacen import TABLAS, Almacen
from resolucion_cli.modelo import TipoDisputa
from tests.esperado import CLAVES_DISPUTA, CLAVES_EVENTO, CLAVES_MENSAJE, CLAVES_PEDIDO

HORA = timedelta(hours=1)

# The JSON fields of SPEC §6 that are stored as they are; `estado_etiqueta` and
# `atrasado` are derived from `estado`, `fecha_entrega` and the clock when shown, and a
# request's `politica` is a column the storage tests name on their own.
CAMPOS_PEDIDO = CLAVES_PEDIDO - {"estado_etiqueta", "atrasado"}
CAMPOS_DISPUTA = CLAVES_DISPUTA - {"politica"}
CAMPOS_EVENTO = CLAVES_EVENTO
CAMPOS_MENSAJE = CLAVES_MENSAJE


# --- helpers ----------------------------------------------------------------------------


def _columnas(conexion: sqlite3.Connection, tabla: str) -> set[str]:
    return {fila[1] for fila in conexion.execute(f"PRAGMA table_info({tabla})")}


def _tablas(conexion: sqlite3.Connection) -> set[str]:
    filas = conexion.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return {fila[0] for fila in filas}


def _indices(conexion: sqlite3.Connection, tabla: str) -> list[tuple[str, ...]]:
    """The columns of each index of `tabla`, in index order."""
    return [
        tuple(c[2] for c in conexion.execute(f"PRAGMA index_info({fila[1]})"))
        for fila in conexion.execute(f"PRAGMA index_list({tabla})")
    ]


def _claves_ajenas(conexion: sqlite3.Connection, tabla: str) -> set[tuple[str, str, str]]:
    return {(f[3], f[2], f[4]) for f in conexion.execute(f"PRAGMA foreign_key_list({tabla})")}


def _volcado(conexion: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every row of every table, to compare a database before and after."""
    return {t: [tuple(f) for f in conexion.execute(f"SELECT * FROM {t} ORDER BY rowid")] for t in TABLAS}


def _mover_reloj_a_escondidas(almacen: Almacen, momento: datetime) -> None:
    """Move the stored clock without processing anything, as a clock in `real` mode would."""
    with almacen.escritura():
        almacen.guardar_reloj(momento)


def _pedido(almacen: Almacen, cliente: str = "ana", freelancer: str = "beto"):
    return servicios.crear_pedido(almacen, cliente, freelancer, "Logo", 10000, timedelta(days=7))[1]


def _cancelacion_del_cliente(almacen: Almacen, pedido):
    solicitud = reglas.Solicitud(TipoDisputa.CANCELACION, comentario="Ya no lo necesito")
    return servicios.abrir_disputa(almacen, pedido.id, pedido.cliente, solicitud)[1]


def _cancelacion_del_freelancer(almacen: Almacen, pedido):
    solicitud = reglas.Solicitud(TipoDisputa.CANCELACION, motivo="no_puedo_completar")
    return servicios.abrir_disputa(almacen, pedido.id, pedido.freelancer, solicitud)[1]


def _actualizacion(almacen: Almacen, pedido):
    solicitud = reglas.Solicitud(TipoDisputa.ACTUALIZACION)
    return servicios.abrir_disputa(almacen, pedido.id, pedido.cliente, solicitud)[1]


def _prorroga(almacen: Almacen, pedido):
    solicitud = reglas.Solicitud(TipoDisputa.PRORROGA, nueva_fecha_entrega=pedido.fecha_entrega + timedelta(days=3))
    return servicios.abrir_disputa(almacen, pedido.id, pedido.freelancer, solicitud)[1]


def _archivo_y_vecinos(ruta: Path) -> tuple[bytes, set[str]]:
    """The file's bytes and the names in its folder (so a stray -wal/-shm/-journal shows)."""
    return ruta.read_bytes(), set(os.listdir(ruta.parent))


@contextmanager
def solo_lectura(ruta: Path):
    """Make a file or a folder read-only in a way that holds even for root, or skip the test."""
    if os.geteuid() != 0:
        modo = ruta.stat().st_mode
        ruta.chmod(0o555 if ruta.is_dir() else 0o444)
        try:
            yield
        finally:
            ruta.chmod(modo)
        return
    # root ignores permission bits (chmod would test nothing); an immutable file or folder is
    # read-only for root too, where the file system and the container allow it.
    try:
        hecho = subprocess.run(["chattr", "+i", str(ruta)], capture_output=True).returncode == 0
    except FileNotFoundError:
        hecho = False
    if not hecho:
        pytest.skip("running as root without `chattr +i`: permission bits do not stop root, nothing to test")
    try:
        if not os.access(ruta, os.W_OK):
            yield
        else:
            pytest.skip("`chattr +i` did not make it read-only for root here")
    finally:
        subprocess.run(["chattr", "-i", str(ruta)], check=True)
