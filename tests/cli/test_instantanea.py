"""Named snapshots (`resolucion instantanea`): save, list, restore and delete (SPEC §5, §6).

The in-process CLI checks the outputs and the refusals; what only real processes show (a live
screen, ¿Continuar? on a terminal, writers at the same time) is in
tests/sistema/test_instantanea_procesos.py.
"""

import sqlite3
from pathlib import Path

import pytest

from resolucion_cli.almacen import ESQUEMA, VISTAS, Almacen
from tests.conftest import T0_ISO, Cli
from tests.instantaneas import INSTANTE, carpeta, contenido, titulos_en

# --- the round trip ---------------------------------------------------------------------------


def test_save_list_restore_and_delete_round_trip(cli):
    cli.pedido(titulo="Antes")
    guardada = cli.ok("instantanea", "guardar", "inicio")["instantanea"]
    archivo = carpeta(cli) / "inicio.sqlite"
    assert set(guardada) == {"nombre", "reloj", "creada_en", "bytes"}
    assert guardada["nombre"] == "inicio"
    assert guardada["reloj"] == T0_ISO
    assert INSTANTE.fullmatch(guardada["creada_en"])
    assert guardada["bytes"] == archivo.stat().st_size > 0
    foto = contenido(cli.db)
    assert contenido(archivo) == foto

    cli.pedido(titulo="Después")
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    cli.ok("tick", "--avanzar", "2d")
    cli.ok("instantanea", "guardar", "despues")
    listadas = cli.ok("instantanea", "listar")["instantaneas"]
    assert [i["nombre"] for i in listadas] == ["despues", "inicio"]
    assert [i["reloj"] for i in listadas] == ["2026-03-04T09:00:00Z", T0_ISO]

    restaurada = cli.ok("instantanea", "restaurar", "inicio")["instantanea"]
    assert restaurada == guardada
    assert contenido(cli.db) == foto
    assert cli.ok("tick")["reloj"] == T0_ISO  # the clock came back too
    assert [p["titulo"] for p in cli.ok("pedido", "listar")["pedidos"]] == ["Antes"]
    assert cli.ok("verificar")["ok"] is True
    assert cli.pedido(titulo="Otra vez")["id"] == 2  # ids go on from the snapshot's

    assert cli.ok("instantanea", "borrar", "despues")["instantanea"]["nombre"] == "despues"
    assert not (carpeta(cli) / "despues.sqlite").exists()
    assert [i["nombre"] for i in cli.ok("instantanea", "listar")["instantaneas"]] == ["inicio"]
    assert contenido(archivo) == foto  # restoring never changes the snapshot


def test_human_output_is_one_spanish_sentence_in_the_readers_zone(cli):
    r = cli.run("instantanea", "listar")
    assert r.code == 0, r
    assert "no tiene instantáneas" in r.out and "resolucion instantanea guardar NOMBRE" in r.out

    r = cli.run("instantanea", "guardar", "inicio", "--tz", "Europe/Madrid", env={"COLUMNS": "300"})
    assert r.out == f"Base de datos: {cli.db}\nInstantánea «inicio» guardada (reloj 2026-03-02 10:00).\n", r
    r = cli.run("instantanea", "listar", "--tz", "Europe/Madrid")
    assert f"Instantáneas de «{cli.db}»" in r.out, r
    for columna in ("Nombre", "Reloj", "Creada", "Tamaño", "inicio", "2026-03-02 10:00", "KB"):
        assert columna in r.out, r
    r = cli.run("instantanea", "restaurar", "inicio", env={"COLUMNS": "300"})
    assert r.out == (
        f"Base de datos: {cli.db}\n"
        f"Instantánea «inicio» restaurada en «{cli.db}»: el reloj vuelve a marcar 2026-03-02 09:00.\n"
    ), r
    r = cli.run("instantanea", "borrar", "inicio", env={"COLUMNS": "300"})
    assert r.out == f"Base de datos: {cli.db}\nInstantánea «inicio» borrada.\n"


def test_names_with_spanish_letters_are_taken_in_one_unicode_form(cli):
    compuesta, descompuesta = "año-2026_Éxito", "an\u0303o-2026_E\u0301xito"
    cli.ok("instantanea", "guardar", descompuesta)
    assert [i["nombre"] for i in cli.ok("instantanea", "listar")["instantaneas"]] == [compuesta]
    cli.ok("instantanea", "restaurar", compuesta)


def test_two_databases_in_one_folder_keep_their_snapshots_apart(cli, tmp_path):
    otra = Cli(tmp_path / "otra.db")
    otra.ok("init", "--reloj", "2026-05-01T00:00:00Z")
    cli.ok("instantanea", "guardar", "inicio")
    otra.ok("instantanea", "guardar", "inicio")
    assert cli.ok("instantanea", "listar")["instantaneas"][0]["reloj"] == T0_ISO
    assert otra.ok("instantanea", "listar")["instantaneas"][0]["reloj"] == "2026-05-01T00:00:00Z"
    otra.ok("instantanea", "borrar", "inicio")
    assert len(cli.ok("instantanea", "listar")["instantaneas"]) == 1


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nombre", ["../fuera", "a/b", "..", ".oculta", "con espacio", "x" * 65, "", "аna", "punto.sqlite", "-", "_x"]
)
@pytest.mark.parametrize("orden", ["guardar", "restaurar", "borrar"])
def test_a_bad_name_is_bad_input_and_creates_nothing(cli, orden, nombre):
    antes = contenido(cli.db)
    r = cli.fails(2, "instantanea", orden, nombre)
    assert "no es válido" in r.error["mensaje"]
    assert not (cli.db.parent / ".resolucion-instantaneas").exists()
    assert not (cli.db.parent.parent / "fuera.sqlite").exists()
    assert contenido(cli.db) == antes


def test_saving_over_an_existing_name_is_refused_unless_asked_to_replace(cli):
    cli.ok("instantanea", "guardar", "inicio")
    cli.ok("tick", "--avanzar", "1d")
    r = cli.fails(1, "instantanea", "guardar", "inicio")
    assert "--reemplazar" in r.error["mensaje"]
    assert cli.ok("instantanea", "listar")["instantaneas"][0]["reloj"] == T0_ISO
    assert cli.ok("instantanea", "guardar", "inicio", "--reemplazar")["instantanea"]["reloj"] == "2026-03-03T09:00:00Z"
    assert [p.name for p in carpeta(cli).iterdir()] == ["inicio.sqlite"]  # no temporary file left


def test_an_unknown_name_is_not_found_and_names_the_known_ones(cli):
    r = cli.fails(3, "instantanea", "restaurar", "inicio")
    assert "no tiene ninguna" in r.error["mensaje"] and "instantanea guardar" in r.error["mensaje"]
    cli.ok("instantanea", "guardar", "uno")
    cli.ok("instantanea", "guardar", "dos")
    antes = contenido(cli.db)
    for orden in ("restaurar", "borrar"):
        r = cli.fails(3, "instantanea", orden, "tres")
        assert "«dos», «uno»" in r.error["mensaje"], r
    assert contenido(cli.db) == antes


@pytest.mark.parametrize("orden", [("guardar", "x"), ("restaurar", "x"), ("borrar", "x"), ("listar",)])
def test_without_a_database_every_subcommand_is_unusable_and_creates_nothing(tmp_path, orden):
    sin_base = Cli(tmp_path / "nada.db")
    r = sin_base.fails(5, "instantanea", *orden)
    assert "resolucion init --db" in r.error["mensaje"]
    assert list(tmp_path.iterdir()) == []


def _falsear(archivo: Path, sql: str) -> None:
    conexion = sqlite3.connect(archivo, isolation_level=None)
    conexion.execute(sql)
    conexion.close()


@pytest.mark.parametrize(
    "estropear, dice",
    [
        (lambda a: _falsear(a, f"PRAGMA user_version = {ESQUEMA + 1}"), "versión más nueva"),
        (lambda a: a.write_bytes(b"no soy una base de datos" * 100), "no es una base de datos SQLite"),
        (lambda a: (a.unlink(), _falsear(a, "CREATE TABLE fotos (x)")), "otra aplicación"),
        (lambda a: a.write_bytes(b""), "vacío"),
    ],
    ids=["mas-nueva", "no-sqlite", "ajena", "vacia"],
)
def test_a_snapshot_this_version_cannot_open_is_refused_and_nothing_changes(cli, estropear, dice):
    cli.ok("instantanea", "guardar", "inicio")
    cli.pedido()
    estropear(carpeta(cli) / "inicio.sqlite")
    antes = contenido(cli.db)
    r = cli.fails(5, "instantanea", "restaurar", "inicio")
    assert dice in r.error["mensaje"] and "inicio.sqlite" in r.error["mensaje"], r
    assert contenido(cli.db) == antes
    assert [p.name for p in carpeta(cli).iterdir()] == ["inicio.sqlite"]
    assert [i["nombre"] for i in cli.ok("instantanea", "listar")["instantaneas"]] == ["inicio"]  # still listed


def test_a_snapshot_of_an_older_schema_is_upgraded_on_a_copy_when_restored(cli):
    cli.pedido()
    cli.ok("instantanea", "guardar", "vieja")
    archivo = carpeta(cli) / "vieja.sqlite"
    # Schema 3 is schema 4 without the `hecho`/`datos` columns of events and messages (their
    # sentence was stored as text), without the views of schema 5 and the refunds of schema 6.
    for vista in VISTAS:
        _falsear(archivo, f"DROP VIEW {vista}")
    for tabla in ("pedidos", "disputas"):
        _falsear(archivo, f"ALTER TABLE {tabla} DROP COLUMN reembolso_centavos")
    _falsear(archivo, "UPDATE eventos SET detalle = 'Pedido creado.'")
    for tabla in ("eventos", "mensajes"):
        _falsear(archivo, f"ALTER TABLE {tabla} DROP COLUMN datos")
        _falsear(archivo, f"ALTER TABLE {tabla} DROP COLUMN hecho")
    _falsear(archivo, "PRAGMA user_version = 3")
    vieja = contenido(archivo)
    cli.ok("tick", "--avanzar", "1d")
    cli.ok("instantanea", "restaurar", "vieja")
    assert contenido(archivo) == vieja  # the snapshot itself is not upgraded
    assert contenido(cli.db)["user_version"] == ESQUEMA
    assert cli.ok("tick")["reloj"] == T0_ISO
    assert cli.ok("verificar")["ok"] is True


# --- another connection sees the restored content ---------------------------------------------


def test_an_open_connection_sees_the_restored_content_as_a_new_commit(cli):
    cli.pedido(titulo="Antes")
    cli.ok("instantanea", "guardar", "inicio")
    cli.pedido(titulo="Después")
    abierta = Almacen.abrir(cli.db, None, crear=False)
    try:
        inodo = cli.db.stat().st_ino
        version = abierta.version_datos()
        assert titulos_en(abierta) == ["Antes", "Después"]
        cli.ok("instantanea", "restaurar", "inicio")
        assert abierta.version_datos() != version  # what --seguir polls
        assert titulos_en(abierta) == ["Antes"]
        assert cli.db.stat().st_ino == inodo  # same file: nobody is left reading an unlinked one
    finally:
        abierta.cerrar()
