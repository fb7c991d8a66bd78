"""`resolucion tablero` without starting a server: its refusals and the metadata it gives Datasette.

The server itself, started as a real process, is in tests/sistema/test_tablero.py.
"""

import socket
import sys
from collections import Counter
from datetime import timedelta

from resolucion_cli import tablero
from resolucion_cli.almacen import TABLAS, VISTAS, Almacen
from tests.conftest import T0, Cli

INSTALAR = "instala el extra con «pip install 'resolucion[tablero]'»"


def test_without_datasette_it_says_how_to_install_the_extra(base, monkeypatch):
    # An entry of None in sys.modules makes `import datasette` fail as if it were not installed.
    monkeypatch.setitem(sys.modules, "datasette", None)
    r = base.fails(5, "tablero")
    assert INSTALAR in r.error["mensaje"]
    humano = base.run("tablero")
    assert humano.code == 5
    assert humano.err == (
        "Error: El tablero necesita Datasette, que no está instalado: instala el extra con "
        "«pip install 'resolucion[tablero]'».\n"
    )
    assert humano.out == ""


def test_without_a_database_it_is_refused_like_every_command(tmp_path):
    r = Cli(tmp_path / "no-existe.db").fails(5, "tablero")
    assert "No hay ninguna base de datos" in r.error["mensaje"]
    assert not (tmp_path / "no-existe.db").exists()


def test_a_port_that_is_not_a_port_or_is_taken_is_bad_input(base):
    for malo in ("0", "65536", "ocho"):
        assert (
            "--puerto debe ser un número entero entre 1 y 65535"
            in base.fails(2, "tablero", "--puerto", malo).error["mensaje"]
        )
    ocupado = socket.socket()
    ocupado.bind(("127.0.0.1", 0))
    ocupado.listen()
    try:
        puerto = ocupado.getsockname()[1]
        r = base.fails(2, "tablero", "--puerto", puerto)
        assert r.error["mensaje"] == f"El puerto {puerto} ya está en uso: elige otro con --puerto."
    finally:
        ocupado.close()


def test_the_metadata_gives_every_table_view_and_column_a_spanish_title_or_description(almacen):
    metadatos = tablero.metadatos("clase", tablero.columnas(almacen.conexion))
    base = metadatos["databases"]["clase"]
    assert set(base["tables"]) == set(TABLAS) | set(VISTAS)
    for nombre, tabla in base["tables"].items():
        assert tabla["title"] and tabla["description"], nombre
        columnas = [f[1] for f in almacen.conexion.execute(f"PRAGMA table_info({nombre})")]
        assert list(tabla["columns"]) == columnas
        assert all(tabla["columns"].values()), (nombre, tabla["columns"])
    assert base["tables"]["vista_plazos_pendientes"]["title"] == "Plazos pendientes"
    assert base["tables"]["vista_plazos_pendientes"]["columns"]["responde"] == (
        "Quién debe actuar antes de que venza el plazo."
    )
    assert {q["title"] for q in base["queries"].values()} == {"¿Quién debe actuar?", "Plazos de hoy"}


def test_the_canned_queries_agree_with_the_deadlines_the_commands_see(base):
    a = Almacen.abrir(base.db, T0)
    try:
        filas = {
            nombre: [dict(f) for f in a.conexion.execute(consulta["sql"])]
            for nombre, consulta in tablero.CONSULTAS.items()
        }
        plazos = a.plazos_pendientes(None, 1000)
        ahora, _ = a.reloj()
    finally:
        a.cerrar()
    quien = {f["Quién debe actuar"]: f["Plazos"] for f in filas["quien_debe_actuar"]}
    assert quien == dict(Counter(p.responde for p in plazos))
    assert [f["Ya vencidos"] for f in filas["quien_debe_actuar"]] == [0] * len(quien)
    # The requests of the template (open at T0, two days to answer) are not due today; nothing is.
    hoy = [(f["Pedido"], f["Solicitud"]) for f in filas["plazos_de_hoy"]]
    assert hoy == [(p.pedido, p.disputa) for p in plazos if p.vence_en <= ahora + timedelta(days=1)]
    base.ok("tick", "--avanzar", "1d")
    a = Almacen.abrir(base.db, T0)
    try:
        hoy = [dict(f) for f in a.conexion.execute(tablero.CONSULTAS["plazos_de_hoy"]["sql"])]
    finally:
        a.cerrar()
    # A day later, the requests with two days to answer fall due within 24 hours, soonest first
    # (not the extension, whose deadline is later).
    assert [(f["Solicitud"], f["Quién debe actuar"], f["Qué"]) for f in hoy] == [
        (1, "beto", "Cancelación"),
        (2, "ana", "Cancelación"),
        (3, "beto", "Actualización"),
    ]


def test_the_help_says_how_to_install_the_extra_with_its_brackets(base):
    ayuda = base.run("tablero", "--help")
    assert ayuda.code == 0, ayuda
    assert "Necesita el extra: pip install 'resolucion[tablero]'" in ayuda.out
    assert "Ctrl-C lo cierra (sale con 0)." in ayuda.out
