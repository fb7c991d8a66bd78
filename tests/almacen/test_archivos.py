"""The storage layer: files that are refused are left untouched."""

import os
import sqlite3
from pathlib import Path

import pytest

from resolucion_cli.almacen import CABECERA_SQLITE, ESQUEMA, Almacen, error_de_base
from resolucion_cli.errores import BaseInutilizable
from tests.almacen.ayudantes import _archivo_y_vecinos, _pedido, solo_lectura
from tests.conftest import T0, T0_ISO, Cli

# --- 2. files that are refused, untouched ---------------------------------------------


def _texto(ruta: Path) -> Path:
    ruta.write_text("Lista de la compra:\n- pan\n- leche\n", encoding="utf-8")
    return ruta


def _sqlite_danado(ruta: Path) -> Path:
    ruta.write_bytes(CABECERA_SQLITE + b"\xff" * 4080)
    return ruta


def _base_de_otra_aplicacion(ruta: Path) -> Path:
    conexion = sqlite3.connect(ruta, isolation_level=None)
    conexion.execute("CREATE TABLE notas (id INTEGER PRIMARY KEY, texto TEXT)")
    conexion.execute("INSERT INTO notas (texto) VALUES ('no me borres')")
    conexion.close()
    return ruta


def _base_de_otra_aplicacion_en_wal(ruta: Path) -> Path:
    conexion = sqlite3.connect(ruta, isolation_level=None)
    conexion.execute("PRAGMA journal_mode = WAL")
    conexion.execute("CREATE TABLE contactos (nombre TEXT)")
    conexion.execute("INSERT INTO contactos VALUES ('Carmen')")
    conexion.close()
    return ruta


def _base_mas_nueva(ruta: Path) -> Path:
    a = Almacen.abrir(ruta, T0)
    _pedido(a)
    a.cerrar()
    conexion = sqlite3.connect(ruta, isolation_level=None)
    conexion.execute(f"PRAGMA user_version = {ESQUEMA + 1}")
    conexion.close()
    return ruta


ARCHIVOS_AJENOS = {
    "texto": (_texto, "no es una base de datos SQLite"),
    "sqlite_danado": (_sqlite_danado, "no es una base de datos SQLite"),
    "otra_aplicacion": (_base_de_otra_aplicacion, "otra aplicación"),
    "otra_aplicacion_wal": (_base_de_otra_aplicacion_en_wal, "otra aplicación"),
    "version_mas_nueva": (_base_mas_nueva, "versión más nueva"),
}


@pytest.mark.parametrize("caso", list(ARCHIVOS_AJENOS))
def test_a_file_that_is_not_ours_is_refused_and_left_byte_for_byte_untouched(tmp_path, caso):
    preparar, frase = ARCHIVOS_AJENOS[caso]
    ruta = preparar(tmp_path / "ajeno.db")
    antes = _archivo_y_vecinos(ruta)

    with pytest.raises(BaseInutilizable) as error:
        Almacen.abrir(ruta, T0)

    assert error.value.codigo == 5
    assert frase in error.value.mensaje
    assert str(ruta) in error.value.mensaje
    assert _archivo_y_vecinos(ruta) == antes


@pytest.mark.parametrize("caso", list(ARCHIVOS_AJENOS))
def test_init_on_a_file_that_is_not_ours_exits_5_in_spanish_and_leaves_it_untouched(tmp_path, caso):
    preparar, frase = ARCHIVOS_AJENOS[caso]
    ruta = preparar(tmp_path / "ajeno.db")
    antes = _archivo_y_vecinos(ruta)

    r = Cli(ruta).fails(5, "init", "--reloj", T0_ISO)

    assert frase in r.error["mensaje"]
    assert str(ruta) in r.error["mensaje"]
    assert _archivo_y_vecinos(ruta) == antes


def test_a_path_in_a_folder_that_does_not_exist_is_refused_without_creating_it(tmp_path):
    ruta = tmp_path / "no_existe" / "resolucion.db"

    with pytest.raises(BaseInutilizable) as error:
        Almacen.abrir(ruta, T0)

    assert error.value.codigo == 5
    assert "no existe" in error.value.mensaje
    assert str(ruta.parent) in error.value.mensaje
    assert not ruta.parent.exists()
    assert os.listdir(tmp_path) == []


def test_a_path_that_is_a_folder_is_refused_and_the_folder_left_empty(tmp_path):
    carpeta = tmp_path / "carpeta.db"
    carpeta.mkdir()

    with pytest.raises(BaseInutilizable) as error:
        Almacen.abrir(carpeta, T0)

    assert error.value.codigo == 5
    assert "carpeta" in error.value.mensaje
    assert str(carpeta) in error.value.mensaje
    assert carpeta.is_dir()
    assert os.listdir(carpeta) == []
    assert os.listdir(tmp_path) == ["carpeta.db"]


def test_a_command_on_a_folder_exits_5_without_a_traceback(tmp_path):
    carpeta = tmp_path / "carpeta.db"
    carpeta.mkdir()

    r = Cli(carpeta).run("pedido", "listar")

    assert r.code == 5, r
    assert r.out == ""
    assert r.err.startswith("Error: ")
    assert str(carpeta) in r.err


@pytest.mark.parametrize(
    "codigo, frase",
    [
        (sqlite3.SQLITE_BUSY, "está bloqueada por otro proceso"),
        (sqlite3.SQLITE_LOCKED, "está bloqueada por otro proceso"),
        (sqlite3.SQLITE_READONLY | (1 << 8), "de solo lectura"),  # an extended code: SQLITE_READONLY_RECOVERY
        (sqlite3.SQLITE_NOTADB, "no es una base de datos SQLite utilizable"),
        (sqlite3.SQLITE_CORRUPT, "no es una base de datos SQLite utilizable"),
        (sqlite3.SQLITE_CANTOPEN, "No se puede abrir"),
    ],
)
def test_sqlite_failures_are_told_apart_by_their_code_not_their_wording(codigo, frase):
    error = sqlite3.OperationalError("un mensaje en otro idioma")
    error.sqlite_errorcode = codigo
    assert frase in error_de_base(error, Path("clase.db")).mensaje
    # The same English words with no code are not taken for that failure.
    sin_codigo = sqlite3.OperationalError("database is locked, readonly, not a database, unable to open")
    assert "no se puede usar" in error_de_base(sin_codigo, Path("clase.db")).mensaje


def test_a_database_in_a_read_only_folder_is_read_and_refuses_writes(tmp_path):
    carpeta = tmp_path / "aula"
    carpeta.mkdir()
    cli = Cli(carpeta / "clase.db")
    cli.ok("init", "--reloj", T0_ISO)
    pedido = cli.pedido()
    antes = {p.name: p.read_bytes() for p in carpeta.iterdir()}
    with solo_lectura(carpeta):
        assert cli.ok("pedido", "ver", pedido["id"])["pedido"]["titulo"] == "Logo"
        assert cli.ok("verificar")["ok"] is True
        r = cli.fails(5, "pedido", "entregar", pedido["id"], "--como", "beto")
        assert r.error["mensaje"] == (
            f"No se puede escribir en «{cli.db}» (el archivo o su carpeta son de solo lectura): "
            "da permiso de escritura o usa otra base con --db."
        )
        cli.fails(5, "tick", "--avanzar", "1h")
    assert {p.name: p.read_bytes() for p in carpeta.iterdir()} == antes
