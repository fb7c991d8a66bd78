"""The store on PostgreSQL: the same schema as SQLite, the same refusals (exit 5, nothing
changed), one writer at a time, what a live screen watches, and what only a file can do."""

import sys
import threading
from pathlib import Path

import pytest

from resolucion_cli import bases, postgres
from resolucion_cli.almacen import ESQUEMA, INVARIANTES, MIGRACIONES, es_bloqueo
from tests.conftest import T0, T0_ISO, Cli
from tests.postgres import cli_nueva, cluster

# An order created: a write.
CREAR = "pedido crear --cliente ana --freelancer beto --titulo X --precio 1 --entrega 7d".split()


@pytest.fixture
def pg():
    return cluster()


def _tablas(pg, url) -> list[tuple]:
    return pg.sql(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")


def _columnas_sqlite(ruta) -> dict:
    import sqlite3

    conexion = sqlite3.connect(ruta)
    try:
        objetos = [f[0] for f in conexion.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")]
        return {o: [f[1] for f in conexion.execute(f"PRAGMA table_info({o})")] for o in objetos}
    finally:
        conexion.close()


def _columnas_postgres(pg, url) -> dict:
    filas = pg.sql(
        url,
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
        "AND table_name != %s ORDER BY table_name, ordinal_position",
        [postgres.ESQUEMA_TABLA],
    )
    columnas: dict = {}
    for tabla, columna in filas:
        columnas.setdefault(tabla, []).append(columna)
    return columnas


def _indices_sqlite(ruta) -> set:
    import sqlite3

    conexion = sqlite3.connect(ruta)
    try:
        return {
            f[0] for f in conexion.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        }
    finally:
        conexion.close()


def test_init_creates_on_postgresql_the_tables_columns_indexes_and_views_of_sqlite(pg, tmp_path):
    archivo = tmp_path / "a.db"
    Cli(archivo).ok("init", "--reloj", T0_ISO)
    c = cli_nueva()
    assert _columnas_postgres(pg, c.db) == _columnas_sqlite(archivo)
    indices = {f[0] for f in pg.sql(c.db, "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")}
    assert {i for i in indices if not i.endswith("_pkey")} == _indices_sqlite(archivo)
    assert pg.sql(c.db, "SELECT version FROM esquema") == [(ESQUEMA,)]
    assert c.ok("init")["version_esquema"] == ESQUEMA
    # every view answers
    for vista in ("vista_plazos_pendientes", "vista_solicitudes", "vista_historial"):
        pg.sql(c.db, f"SELECT * FROM {vista}")


def test_an_older_schema_is_upgraded_as_sqlite_upgrades_it(pg, tmp_path):
    archivo = tmp_path / "a.db"
    Cli(archivo).ok("init", "--reloj", T0_ISO)
    url = pg.nueva_base()
    desde = 4
    conexion = postgres.conectar(url)
    for funcion in postgres.FUNCIONES:
        conexion.execute(funcion)
    conexion.execute("CREATE TABLE esquema (version BIGINT NOT NULL)")
    conexion.execute("INSERT INTO esquema VALUES (?)", [desde])
    for sentencia in postgres.migracion(0, desde):
        conexion.execute(sentencia)
    conexion.execute("INSERT INTO reloj (id, ahora, modo) VALUES (1, ?, 'simulado')", [T0_ISO])
    conexion.close()
    assert "reembolso_centavos" not in _columnas_postgres(pg, url)["pedidos"]
    c = Cli(url)
    assert c.ok("pedido", "listar")["pedidos"] == []
    assert pg.sql(url, "SELECT version FROM esquema") == [(len(MIGRACIONES),)]
    assert _columnas_postgres(pg, url) == _columnas_sqlite(archivo)


def test_without_psycopg_the_sentence_says_how_to_install_it(monkeypatch, pg):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    r = Cli(pg.url("cualquiera")).run("pedido", "listar")
    assert r.code == 5, r
    assert "pip install 'resolucion[postgres]'" in r.err


def test_only_init_creates_the_schema_in_an_empty_database(pg):
    url = pg.nueva_base()
    r = Cli(url).fails(5, "pedido", "listar")
    assert f"resolucion init --db {url}" in r.error["mensaje"]
    assert _tablas(pg, url) == []
    assert Cli(url).ok("init", "--reloj", T0_ISO)["db"] == url


def test_a_database_that_does_not_exist_is_named_with_how_to_create_it(pg):
    r = Cli(pg.url("no_existe")).fails(5, "init")
    assert "createdb" in r.error["mensaje"]


def test_a_server_that_does_not_answer_is_exit_5(tmp_path):
    r = Cli(f"postgresql://nadie@/x?host={tmp_path}").fails(5, "pedido", "listar")
    assert "No se puede conectar" in r.error["mensaje"]


def test_a_password_in_the_url_is_never_shown(pg):
    url = pg.url("no_existe").replace("postgres@", "postgres:secreto@")
    r = Cli(url).run("pedido", "listar")
    assert r.code == 5 and "secreto" not in r.err, r
    assert postgres.sin_clave("postgresql://ana:x@h/db") == "postgresql://ana@h/db"


def test_a_foreign_database_is_refused_untouched(pg):
    url = pg.nueva_base()
    pg.sql(url, "CREATE TABLE facturas (id int)")
    r = Cli(url).fails(5, "init")
    assert "otra aplicación" in r.error["mensaje"]
    assert _tablas(pg, url) == [("facturas",)]


def test_a_newer_database_is_refused_untouched(pg):
    c = cli_nueva()
    c.pedido()
    pg.sql(c.db, "UPDATE esquema SET version = %s", [ESQUEMA + 1])
    antes = pg.sql(c.db, "SELECT * FROM pedidos")
    r = c.fails(5, *CREAR)
    assert "más nueva" in r.error["mensaje"]
    assert pg.sql(c.db, "SELECT * FROM pedidos") == antes


def test_a_writer_waiting_past_the_wait_is_exit_5_and_changes_nothing(pg, monkeypatch):
    c = cli_nueva()
    monkeypatch.setattr(postgres, "ESPERA_SEGUNDOS", 0.3)
    import psycopg

    with psycopg.connect(c.db) as otro:  # another laptop in the middle of a write
        otro.execute("SELECT pg_advisory_xact_lock(%s)", [postgres.CERROJO])
        r = c.fails(5, *CREAR)
        assert "bloqueada" in r.error["mensaje"]
        assert es_bloqueo(postgres.bloqueada(c.db))  # what a live screen waits out instead of ending
        # a read never waits for a writer
        assert c.ok("pedido", "listar")["pedidos"] == []
    assert c.ok("pedido", "listar")["pedidos"] == []


def test_the_second_of_two_writers_waits_and_sees_the_first(pg):
    c = cli_nueva()
    c.pedido()
    c.abrir(1, "ana", "cancelacion", "--comentario", "No")
    primero = bases.abrir(c.db, T0, crear=False)
    segundo = bases.abrir(c.db, T0, crear=False)
    resultado = []
    with primero.escritura():
        primero.conexion.execute("UPDATE disputas SET estado = 'revocada' WHERE id = 1")

        def escribir():
            with segundo.escritura():
                resultado.append(segundo.disputa(1).estado)

        hilo = threading.Thread(target=escribir)
        hilo.start()
        hilo.join(0.5)
        assert hilo.is_alive()  # waiting for the lock, not reading the old state
    hilo.join(5)
    assert resultado == ["revocada"]
    primero.cerrar()
    segundo.cerrar()


def test_a_live_screen_sees_other_connections_commits_not_its_own(pg):
    c = cli_nueva()
    mira = bases.abrir(c.db, T0, crear=False)
    version = mira.version_datos()
    with mira.escritura():
        mira.guardar_reloj(T0)
    assert mira.version_datos() == version
    c.pedido()
    assert mira.version_datos() != version
    mira.cerrar()


def test_every_invariant_query_runs_on_postgresql(pg):
    c = cli_nueva()
    almacen = bases.abrir(c.db, T0, crear=False)
    try:
        for _, consulta in INVARIANTES:
            assert almacen.conexion.execute(consulta, {"reloj": T0_ISO}).fetchall() == []
    finally:
        almacen.cerrar()


@pytest.mark.parametrize(
    "edicion, frase",
    [
        ("UPDATE disputas SET estado = 'abierta', resuelta_en = NULL, resuelta_por = NULL", "sigue abierta"),
        ("UPDATE pedidos SET fecha_entrega = '2026-02-30T09:00:00Z' WHERE id = 1", "fecha mal formada"),
        ("UPDATE politica SET plazos = 'no es json'", "plazos en JSON"),
        ("UPDATE eventos SET datos = '{roto' WHERE id = 1", "no dice qué pasó"),
        ("UPDATE pedidos SET reembolso_centavos = 5 WHERE id = 1", "devuelto 5 céntimos"),
        ("UPDATE disputas SET extras_centavos = NULL, tipo = 'extras', rol = 'freelancer', "
         "abierta_por = 'beto', destinatario = 'ana'", "importe no válido"),
    ],
)  # fmt: skip
def test_verificar_finds_a_hand_edit_on_postgresql(pg, edicion, frase):
    c = cli_nueva()
    c.pedido()
    c.abrir(1, "ana", "cancelacion", "--comentario", "No")
    c.ok("tick", "--avanzar", "5d")
    assert c.ok("verificar")["ok"] is True
    pg.sql(c.db, edicion)
    r = c.run("verificar", "--json")
    assert r.code == 1, r
    assert any(frase in problema for problema in r.data["problemas"]), r.data


def test_snapshots_and_the_tablero_say_they_are_sqlite_only(pg):
    c = cli_nueva()
    assert "pg_dump" in c.fails(5, "instantanea", "guardar", "inicio").error["mensaje"]
    assert "psql" in c.fails(5, "tablero").error["mensaje"]


def test_generar_loads_with_copy_the_same_marketplace_as_on_sqlite(pg, tmp_path):
    archivo = Cli(tmp_path / "a.db")
    servidor = cli_nueva(iniciar=False)
    vistas = []
    for c in (archivo, servidor):
        c.ok("init", "--reloj", T0_ISO)
        c.ok("generar", "--pedidos", "300", "--semilla", "7")
        vistas.append((c.ok("tick", "--avanzar", "4d"), c.ok("pedido", "listar", "--limite", "400"), c.ok("verificar")))
    assert vistas[0] == vistas[1]
    # ids given by the database after a bulk load with ids of its own go on from the largest
    assert servidor.pedido()["id"] == 301


def test_demo_takes_an_empty_database_and_refuses_one_with_tables(pg):
    vacia = pg.nueva_base()
    assert Cli(vacia).run("demo").code == 0
    assert Cli(vacia).ok("verificar")["ok"] is True
    r = Cli(vacia).run("demo")
    assert r.code == 2 and "ya tiene tablas" in r.err, r


def test_every_shipped_scenario_plays_on_postgresql(pg):
    escenarios = sorted((Path(__file__).parents[2] / "sample_data" / "escenarios").glob("*.toml"))
    assert escenarios
    for escenario in escenarios:
        r = Cli(pg.nueva_base()).run("guion", escenario)
        assert r.code == 0, (escenario.name, r)


def test_sqlite_spellings_reach_postgresql_as_they_mean(pg):
    almacen = bases.abrir(cli_nueva().db, T0, crear=False)
    try:
        ejecutar = almacen.conexion.execute
        assert ejecutar("SELECT 7 % 2, 'a%b' || ?", ["c"]).fetchone() == (1, "a%bc")
        assert ejecutar("SELECT :x || 'T09:00:00Z'", {"x": "2026"}).fetchone()[0] == "2026T09:00:00Z"
        assert ejecutar("SELECT typeof(1), typeof('a'::text), typeof(NULL::text)").fetchone() == (
            "integer",
            "text",
            "null",
        )
        assert ejecutar("SELECT json_valid('{}'), json_valid('{'), json_type('[]')").fetchone() == (
            True,
            False,
            "array",
        )
        fechas = ("2026-02-28T09:00:00Z", "2026-02-29T09:00:00Z", "2028-02-29T09:00:00Z", "2026-03-02 09:00")
        assert [ejecutar("SELECT fecha_bien(?)", [f]).fetchone()[0] for f in fechas] == [True, False, True, False]
    finally:
        almacen.cerrar()
