"""Integration tests of the store (SPEC §4, §7 exit 5, §8) on real SQLite files.

Layers: `Almacen` itself (schema, migrations, refused files, transactions), the
services on top of it (deadline processing), and a few CLI runs where the exit code
is what matters (locked and read-only files). Races between separate processes live
in test_concurrencia.py.
"""

import os
import sqlite3
import subprocess
import threading
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils
from conftest import T0, T0_ISO, Cli
from freezegun import freeze_time

from resolucion_cli import almacen as modulo_almacen
from resolucion_cli import reglas, relato, servicios
from resolucion_cli.almacen import CABECERA_SQLITE, ESQUEMA, MIGRACIONES, TABLAS, Almacen
from resolucion_cli.errores import BaseInutilizable, EntradaInvalida, NoPermitido, RechazadoPorRegla
from resolucion_cli.modelo import SISTEMA, EstadoDisputa, EstadoPedido, Hecho, Respuesta, Resultado, TipoDisputa
from resolucion_cli.reloj import ModoReloj

HORA = timedelta(hours=1)

# The JSON fields of SPEC §6 that are stored as they are; `estado_etiqueta` and
# `atrasado` are derived from `estado`, `fecha_entrega` and the clock when shown.
CAMPOS_PEDIDO = {"id", "titulo", "cliente", "freelancer", "estado", "precio_centavos", "fecha_entrega", "creado_en"}
CAMPOS_DISPUTA = {
    "id",
    "pedido",
    "tipo",
    "estado",
    "abierta_por",
    "rol",
    "destinatario",
    "motivo",
    "comentario",
    "respuesta",
    "creada_en",
    "vence_en",
    "resuelta_en",
    "resuelta_por",
    "nueva_fecha_entrega",
    "extras_centavos",
    "extras_descripcion",
    "extras_dias",
}
CAMPOS_EVENTO = {"en", "actor", "tipo", "detalle"}
CAMPOS_MENSAJE = {"id", "pedido", "disputa", "de", "para", "texto", "en"}


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


# --- 1. schema and migrations ---------------------------------------------------------


def test_a_blank_file_gets_the_six_tables_named_after_the_json_fields(almacen):
    conexion = almacen.conexion
    # The six tables of SPEC §8, and the rule set in force (`init --politica`).
    assert _tablas(conexion) == set(TABLAS)
    assert set(TABLAS) == {"usuarios", "pedidos", "disputas", "eventos", "mensajes", "reloj", "politica"}
    # Besides the JSON fields, an order remembers the state to go back to (SPEC §1.8) and
    # when a delivery completes by itself; a request, the rule set it was opened under;
    # events and messages point at their order and request, and keep the fact they record
    # (`hecho` and its `datos`), from which each reader's sentence is written.
    assert _columnas(conexion, "pedidos") == CAMPOS_PEDIDO | {"estado_anterior", "completar_en"}
    assert _columnas(conexion, "disputas") == CAMPOS_DISPUTA | {"politica"}
    assert _columnas(conexion, "eventos") == CAMPOS_EVENTO | {"id", "pedido", "disputa", "hecho", "datos"}
    assert _columnas(conexion, "mensajes") == CAMPOS_MENSAJE | {"hecho", "datos"}
    assert "usuario" in _columnas(conexion, "usuarios")


def test_a_blank_file_gets_the_schema_version_wal_and_foreign_keys_on(almacen):
    conexion = almacen.conexion
    assert conexion.execute("PRAGMA user_version").fetchone()[0] == ESQUEMA == almacen.version()
    assert conexion.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conexion.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert almacen.creada is True


def test_a_blank_file_starts_its_clock_where_it_was_asked(almacen):
    assert almacen.reloj() == (T0, ModoReloj.SIMULADO)
    filas = almacen.conexion.execute("SELECT * FROM reloj").fetchall()
    assert len(filas) == 1
    assert T0_ISO in tuple(filas[0])


def test_the_foreign_keys_link_requests_events_and_messages_to_their_order(almacen):
    conexion = almacen.conexion
    assert {("cliente", "usuarios", "usuario"), ("freelancer", "usuarios", "usuario")} <= _claves_ajenas(
        conexion, "pedidos"
    )
    assert {("pedido", "pedidos", "id"), ("abierta_por", "usuarios", "usuario")} <= _claves_ajenas(conexion, "disputas")
    assert {("pedido", "pedidos", "id"), ("disputa", "disputas", "id")} <= _claves_ajenas(conexion, "eventos")
    assert {("pedido", "pedidos", "id"), ("disputa", "disputas", "id")} <= _claves_ajenas(conexion, "mensajes")


def test_the_foreign_keys_are_enforced_on_the_stores_connection(almacen):
    with pytest.raises(sqlite3.IntegrityError):
        almacen.conexion.execute(
            "INSERT INTO pedidos (titulo, cliente, freelancer, estado, precio_centavos, fecha_entrega, creado_en) "
            "VALUES ('x', 'nadie', 'tampoco', 'activo', 1, ?, ?)",
            [T0_ISO, T0_ISO],
        )
    assert almacen.conexion.execute("SELECT count(*) FROM pedidos").fetchone()[0] == 0


def test_the_indexes_cover_open_requests_by_deadline_and_orders_by_party(almacen):
    conexion = almacen.conexion
    assert any(columnas[0] == "vence_en" for columnas in _indices(conexion, "disputas"))
    assert any(columnas[0] == "pedido" for columnas in _indices(conexion, "disputas"))
    assert any(columnas[0] == "cliente" for columnas in _indices(conexion, "pedidos"))
    assert any(columnas[0] == "freelancer" for columnas in _indices(conexion, "pedidos"))
    assert any(columnas[0] == "pedido" for columnas in _indices(conexion, "eventos"))
    assert any(columnas[0] == "para" for columnas in _indices(conexion, "mensajes"))


def test_finding_due_requests_and_a_partys_orders_uses_an_index_not_a_scan(almacen):
    consultas = [
        "SELECT id FROM disputas WHERE estado = 'abierta' AND vence_en <= ? ORDER BY vence_en, id",
        "SELECT id FROM pedidos WHERE cliente = ?",
        "SELECT id FROM pedidos WHERE freelancer = ?",
    ]
    for consulta in consultas:
        plan = " | ".join(fila[3] for fila in almacen.conexion.execute(f"EXPLAIN QUERY PLAN {consulta}", ["x"]))
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, (consulta, plan)
        assert "TEMP B-TREE" not in plan, (consulta, plan)


def _base_en_version(ruta: Path, version: int) -> sqlite3.Connection:
    """A database as release `version` left it: its migrations only and one order; left open
    (at that `user_version`) so a test can add the rows of that release."""
    conexion = sqlite3.connect(ruta, isolation_level=None)
    db = sqlite_utils.Database(conexion)
    for migracion in MIGRACIONES[:version]:
        migracion(db)
    conexion.execute("INSERT INTO reloj (id, ahora, modo) VALUES (1, ?, 'simulado')", [T0_ISO])
    conexion.execute("INSERT INTO usuarios (usuario, creado_en) VALUES ('ana', ?), ('beto', ?)", [T0_ISO, T0_ISO])
    conexion.execute(
        "INSERT INTO pedidos (id, titulo, cliente, freelancer, estado, precio_centavos, fecha_entrega, creado_en) "
        "VALUES (1, 'Logo', 'ana', 'beto', 'activo', 12050, '2026-03-09T09:00:00Z', ?)",
        [T0_ISO],
    )
    conexion.execute(f"PRAGMA user_version = {version}")
    return conexion


def test_a_version_1_database_is_upgraded_keeping_its_orders_and_its_clock(tmp_path):
    ruta = tmp_path / "v1.db"
    _base_en_version(ruta, 1).close()
    antes = sqlite3.connect(ruta)
    assert antes.execute("PRAGMA user_version").fetchone()[0] == 1
    assert _indices(antes, "pedidos") == []
    antes.close()

    a = Almacen.abrir(ruta, T0 + timedelta(days=30))
    try:
        assert a.version() == ESQUEMA
        assert a.creada is False
        assert a.reloj() == (T0, ModoReloj.SIMULADO)
        pedido = a.pedido(1)
        assert (pedido.titulo, pedido.cliente, pedido.freelancer) == ("Logo", "ana", "beto")
        assert (pedido.estado, pedido.precio_centavos) == (EstadoPedido.ACTIVO, 12050)
        assert pedido.fecha_entrega == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
        assert any(columnas[0] == "cliente" for columnas in _indices(a.conexion, "pedidos"))
        assert a.conexion.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert a.conexion.execute("SELECT count(*) FROM reloj").fetchone()[0] == 1
        # The upgraded store works like a new one: the next order gets the next id.
        assert _pedido(a).id == 2
    finally:
        a.cerrar()


def test_a_version_3_database_keeps_its_stored_sentences_and_records_facts_from_then_on(tmp_path):
    ruta = tmp_path / "v3.db"
    conexion = _base_en_version(ruta, 3)
    viejo = "ana encargó «Logo» a beto por US$ 120,50, entrega el 2026-03-09 09:00 UTC."
    conexion.execute(
        "INSERT INTO eventos (pedido, en, actor, tipo, detalle) VALUES (1, ?, 'ana', 'pedido_creado', ?)",
        [T0_ISO, viejo],
    )
    conexion.execute(
        "INSERT INTO mensajes (pedido, de, para, texto, en) VALUES (1, 'ana', 'beto', 'Hola', ?)", [T0_ISO]
    )
    conexion.close()

    a = Almacen.abrir(ruta, T0)
    try:
        assert a.version() == ESQUEMA
        madrid = ZoneInfo("Europe/Madrid")
        (evento,) = a.eventos_de(1)
        (mensaje,) = a.mensajes_para("beto")
        # A row from before facts has no fact: its own sentence is all there is to show.
        assert (evento.hecho, evento.datos, mensaje.hecho) == (None, None, None)
        assert relato.detalle(evento, madrid) == viejo
        assert relato.texto(mensaje, madrid) == "Hola"
        servicios.entregar(a, 1, "beto")
        nuevo = a.eventos_de(1)[-1]
        assert (nuevo.hecho, nuevo.detalle) == (Hecho.PEDIDO_ENTREGADO, "")
        assert relato.detalle(nuevo, madrid) == "beto entregó el pedido."
    finally:
        a.cerrar()


def test_a_migration_that_fails_halfway_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    ruta = tmp_path / "v2.db"
    Almacen.abrir(ruta, T0).cerrar()
    antes = ruta.read_bytes()

    def v3_rota(db):
        db.execute("CREATE TABLE a_medias (id INTEGER PRIMARY KEY)")
        db.execute("INSERT INTO tabla_que_no_existe VALUES (1)")

    monkeypatch.setattr(modulo_almacen, "MIGRACIONES", (*MIGRACIONES, v3_rota))
    monkeypatch.setattr(modulo_almacen, "ESQUEMA", ESQUEMA + 1)
    with pytest.raises(BaseInutilizable):
        Almacen.abrir(ruta, T0)
    monkeypatch.undo()

    conexion = sqlite3.connect(ruta)
    assert conexion.execute("PRAGMA user_version").fetchone()[0] == ESQUEMA
    assert "a_medias" not in _tablas(conexion)
    conexion.close()
    assert ruta.read_bytes() == antes


def test_opening_an_up_to_date_database_again_changes_nothing(tmp_path):
    ruta = tmp_path / "al_dia.db"
    a = Almacen.abrir(ruta, T0)
    _pedido(a)
    volcado = _volcado(a.conexion)
    a.cerrar()
    antes = _archivo_y_vecinos(ruta)

    b = Almacen.abrir(ruta, T0 + timedelta(days=365), ModoReloj.REAL)
    try:
        assert b.creada is False
        assert b.version() == ESQUEMA
        assert b.reloj() == (T0, ModoReloj.SIMULADO)
        assert _volcado(b.conexion) == volcado
    finally:
        b.cerrar()
    assert _archivo_y_vecinos(ruta) == antes


def test_an_empty_file_is_initialised_like_a_missing_one(tmp_path):
    ruta = tmp_path / "vacio.db"
    ruta.touch()
    a = Almacen.abrir(ruta, T0)
    try:
        assert a.creada is True
        assert a.version() == ESQUEMA
        assert _tablas(a.conexion) == set(TABLAS)
        assert a.reloj() == (T0, ModoReloj.SIMULADO)
    finally:
        a.cerrar()
    assert ruta.read_bytes().startswith(CABECERA_SQLITE)


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


# --- 3. transactions, locks and read-only files ---------------------------------------


def _otra_conexion(almacen: Almacen, espera: float = 0) -> sqlite3.Connection:
    return sqlite3.connect(almacen.ruta, isolation_level=None, timeout=espera, check_same_thread=False)


def test_a_write_transaction_holds_the_write_lock_before_its_first_write(almacen):
    otra = _otra_conexion(almacen)
    try:
        with almacen.escritura():
            # Nothing written yet: a deferred BEGIN would let the other connection in.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                otra.execute("BEGIN IMMEDIATE")
            almacen.asegurar_usuarios(["ana"], T0)
            # Readers are not blocked (WAL) and see only what was committed.
            assert otra.execute("SELECT count(*) FROM usuarios WHERE usuario = 'ana'").fetchone()[0] == 0
        otra.execute("BEGIN IMMEDIATE")
        assert otra.execute("SELECT count(*) FROM usuarios WHERE usuario = 'ana'").fetchone()[0] == 1
        otra.execute("ROLLBACK")
    finally:
        otra.close()


def test_an_exception_inside_a_write_transaction_leaves_nothing_behind(almacen):
    antes = _volcado(almacen.conexion)

    with pytest.raises(RuntimeError, match="a medias"):
        with almacen.escritura():
            almacen.guardar_reloj(T0 + timedelta(days=1))
            almacen.asegurar_usuarios(["ana", "beto"], T0)
            raise RuntimeError("falla a medias")

    assert not almacen.conexion.in_transaction
    assert _volcado(almacen.conexion) == antes
    assert almacen.reloj()[0] == T0


def test_the_store_records_a_commit_and_only_a_commit(almacen):
    otro = Almacen.abrir(almacen.ruta, T0)  # the file exists: opening it commits nothing
    try:
        assert not otro.guardado
        with pytest.raises(RuntimeError):
            with otro.escritura():
                otro.asegurar_usuarios(["ana"], T0)
                raise RuntimeError("falla")
        with otro.simulacion():
            otro.asegurar_usuarios(["ana"], T0)
        with otro.lectura():
            otro.reloj()
        assert not otro.guardado
        with otro.escritura():
            otro.asegurar_usuarios(["ana"], T0)
        assert otro.guardado
    finally:
        otro.cerrar()


class _CtrlCEnElCommit:
    """A connection whose COMMIT is interrupted by Ctrl-C, before SQLite runs it or after."""

    def __init__(self, conexion: sqlite3.Connection, despues: bool):
        self.conexion = conexion
        self.despues = despues

    def execute(self, sql: str, *args):
        if sql == "COMMIT":
            if self.despues:
                self.conexion.execute(sql)
            raise KeyboardInterrupt
        return self.conexion.execute(sql, *args)

    def __getattr__(self, nombre: str):
        return getattr(self.conexion, nombre)


@pytest.mark.parametrize("despues", [False, True], ids=["before-commit", "after-commit"])
def test_a_signal_at_commit_leaves_the_flag_saying_what_is_in_the_file(almacen, despues):
    otro = Almacen.abrir(almacen.ruta, T0)
    otro.conexion = _CtrlCEnElCommit(otro.conexion, despues)
    try:
        with pytest.raises(KeyboardInterrupt):
            with otro.escritura():
                otro.asegurar_usuarios(["ana"], T0)
        assert otro.guardado is despues
    finally:
        otro.cerrar()
    assert almacen.usuario_existe("ana") is despues


def test_a_service_that_refuses_also_undoes_the_expiries_it_processed_first(almacen):
    pedido = _pedido(almacen)
    _cancelacion_del_cliente(almacen, pedido)
    _mover_reloj_a_escondidas(almacen, T0 + timedelta(hours=48))
    antes = _volcado(almacen.conexion)

    with pytest.raises(NoPermitido):
        servicios.entregar(almacen, pedido.id, "ana")

    assert _volcado(almacen.conexion) == antes
    assert not almacen.conexion.in_transaction


def test_a_simulation_undoes_everything_done_inside_it(almacen):
    _pedido(almacen)
    antes = _volcado(almacen.conexion)
    otra = _otra_conexion(almacen)
    try:
        with almacen.simulacion():
            almacen.guardar_reloj(T0 + timedelta(days=3))
            almacen.asegurar_usuarios(["carla"], T0)
            assert almacen.reloj()[0] == T0 + timedelta(days=3)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                otra.execute("BEGIN IMMEDIATE")
    finally:
        otra.close()

    assert not almacen.conexion.in_transaction
    assert _volcado(almacen.conexion) == antes


def test_a_read_with_nothing_due_works_while_another_connection_holds_the_write_lock(almacen):
    pedido = _pedido(almacen)
    _cancelacion_del_cliente(almacen, pedido)
    otra = _otra_conexion(almacen)
    otra.execute("BEGIN IMMEDIATE")
    try:
        vista = servicios.ver_pedido(almacen, pedido.id, "ana")
    finally:
        otra.execute("ROLLBACK")
        otra.close()
    assert vista.pedido.estado == EstadoPedido.EN_CONTROVERSIA
    assert [d.estado for d in vista.disputas] == [EstadoDisputa.ABIERTA]


def test_a_write_command_fails_with_exit_5_when_the_lock_is_held_past_the_busy_wait(cli):
    otra = sqlite3.connect(cli.db, isolation_level=None, timeout=0)
    otra.execute("BEGIN IMMEDIATE")
    try:
        r = cli.fails(
            5, "pedido", "crear", "--cliente", "ana", "--freelancer", "beto",
            "--titulo", "Logo", "--precio", "100", "--entrega", "7d",
        )  # fmt: skip
        assert "bloqueada" in r.error["mensaje"]
        assert str(cli.db) in r.error["mensaje"]
        # Reading while nothing is due needs no lock.
        assert cli.ok("pedido", "listar")["pedidos"] == []
    finally:
        otra.execute("ROLLBACK")
        otra.close()
    assert cli.ok("pedido", "listar")["pedidos"] == []
    assert cli.pedido()["id"] == 1


def test_a_write_command_waits_for_a_short_lock_and_then_succeeds(cli):
    otra = sqlite3.connect(cli.db, isolation_level=None, timeout=0, check_same_thread=False)
    otra.execute("BEGIN IMMEDIATE")
    otra.execute("UPDATE reloj SET ahora = ahora")
    soltar = threading.Timer(0.5, lambda: otra.execute("COMMIT"))
    soltar.start()
    try:
        pedido = cli.pedido()
    finally:
        soltar.join()
        otra.close()
    assert pedido["id"] == 1
    assert [p["id"] for p in cli.ok("pedido", "listar")["pedidos"]] == [1]


@contextmanager
def _solo_lectura(ruta: Path):
    """Make the file read-only in a way that holds even for root, or skip the test."""
    if os.geteuid() != 0:
        modo = ruta.stat().st_mode
        ruta.chmod(0o444)
        try:
            yield
        finally:
            ruta.chmod(modo)
        return
    # root ignores permission bits (chmod 0o444 would test nothing); an immutable file is
    # read-only for root too, where the file system and the container allow it.
    try:
        hecho = subprocess.run(["chattr", "+i", str(ruta)], capture_output=True).returncode == 0
    except FileNotFoundError:
        hecho = False
    if not hecho:
        pytest.skip("running as root without `chattr +i`: permission bits do not stop root, nothing to test")
    try:
        try:
            ruta.open("r+b").close()
        except PermissionError:
            pass
        else:
            pytest.skip("`chattr +i` did not make the file read-only for root here")
        yield
    finally:
        subprocess.run(["chattr", "-i", str(ruta)], check=True)


def test_a_read_only_file_serves_reads_while_nothing_is_due_and_refuses_writes_with_exit_5(cli):
    pedido = cli.pedido()
    disputa = cli.abrir(pedido["id"], "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    antes = cli.db.read_bytes()

    with _solo_lectura(cli.db):
        vista = cli.ok("pedido", "ver", pedido["id"])
        assert vista["disputas"][0]["estado"] == "abierta"
        assert [d["id"] for d in cli.ok("disputa", "listar", "--abiertas")["disputas"]] == [disputa["id"]]

        r = cli.fails(5, "disputa", "revocar", disputa["id"], "--como", "ana")
        assert "solo lectura" in r.error["mensaje"]
        assert str(cli.db) in r.error["mensaje"]
        cli.fails(5, "tick", "--avanzar", "1h")

    assert cli.db.read_bytes() == antes
    assert cli.ok("disputa", "listar", "--abiertas")["disputas"][0]["id"] == disputa["id"]


def test_a_read_only_file_refuses_even_a_read_when_a_deadline_is_due(cli):
    pedido = cli.pedido()
    cli.abrir(pedido["id"], "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    # The request falls due, but nothing has processed it yet.
    conexion = sqlite3.connect(cli.db, isolation_level=None)
    conexion.execute("UPDATE reloj SET ahora = '2026-03-04T09:00:00Z'")
    conexion.close()
    antes = cli.db.read_bytes()

    with _solo_lectura(cli.db):
        r = cli.fails(5, "pedido", "ver", pedido["id"])
        assert "solo lectura" in r.error["mensaje"]

    assert cli.db.read_bytes() == antes
    assert cli.ok("pedido", "ver", pedido["id"])["pedido"]["estado"] == "cancelado"


# --- 5. deadlines through the services ------------------------------------------------


@pytest.fixture
def cuatro_plazos(almacen):
    """Four requests opened so that id order and deadline order differ.

    #1 prorroga at T0 (due T0+96h); at T0+1h #2 a client's and #3 a freelancer's
    cancellation (both due T0+49h); at T0+2h #4 an update (due T0+50h).
    """
    pedidos = [_pedido(almacen) for _ in range(4)]
    d1 = _prorroga(almacen, pedidos[0])
    servicios.tick(almacen, avanzar=HORA)
    d2 = _cancelacion_del_cliente(almacen, pedidos[1])
    d3 = _cancelacion_del_freelancer(almacen, pedidos[2])
    servicios.tick(almacen, avanzar=HORA)
    d4 = _actualizacion(almacen, pedidos[3])
    return pedidos, [d1, d2, d3, d4]


def test_the_requests_have_the_deadlines_the_fixture_expects(almacen, cuatro_plazos):
    _, disputas = cuatro_plazos
    assert [d.id for d in disputas] == [1, 2, 3, 4]
    assert [d.vence_en - T0 for d in disputas] == [
        timedelta(hours=96),
        timedelta(hours=49),
        timedelta(hours=49),
        timedelta(hours=50),
    ]
    assert almacen.reloj()[0] == T0 + 2 * HORA


def test_tick_fires_due_requests_in_deadline_order_each_at_its_own_instant(almacen, cuatro_plazos):
    pedidos, disputas = cuatro_plazos
    nuevo = T0 + timedelta(hours=100)

    r = servicios.tick(almacen, hasta=nuevo)

    assert (r.reloj_anterior, r.reloj, r.simulado) == (T0 + 2 * HORA, nuevo, False)
    assert [(p.disputa, p.pedido, p.tipo, p.vence_en - T0, p.resultado) for p in r.procesados] == [
        (2, pedidos[1].id, TipoDisputa.CANCELACION, timedelta(hours=49), Resultado.PEDIDO_CANCELADO),
        (3, pedidos[2].id, TipoDisputa.CANCELACION, timedelta(hours=49), Resultado.PEDIDO_CANCELADO),
        (4, pedidos[3].id, TipoDisputa.ACTUALIZACION, timedelta(hours=50), Resultado.PEDIDO_RESTAURADO),
        (1, pedidos[0].id, TipoDisputa.PRORROGA, timedelta(hours=96), Resultado.SOLICITUD_REVOCADA),
    ]
    assert almacen.reloj()[0] == nuevo
    for original in disputas:
        guardada = almacen.disputa(original.id)
        assert guardada.estado == EstadoDisputa.VENCIDA
        assert guardada.resuelta_en == original.vence_en != nuevo
        assert guardada.resuelta_por == SISTEMA
        (evento,) = [e for e in almacen.eventos_de(original.pedido) if e.tipo == "disputa_vencida"]
        assert (evento.en, evento.actor, evento.disputa) == (original.vence_en, SISTEMA, original.id)
    for usuario in ("ana", "beto"):
        avisos = [m for m in almacen.mensajes_para(usuario) if m.de == SISTEMA]
        assert [(m.disputa, m.en) for m in avisos] == [(d.id, d.vence_en) for d in disputas[1:] + disputas[:1]]
    assert [almacen.pedido(p.id).estado for p in pedidos] == [
        EstadoPedido.ACTIVO,
        EstadoPedido.CANCELADO,
        EstadoPedido.CANCELADO,
        EstadoPedido.ACTIVO,
    ]
    # An unanswered extension changes nothing on the order.
    assert almacen.pedido(pedidos[0].id).fecha_entrega == pedidos[0].fecha_entrega


def test_tick_leaves_open_a_request_whose_deadline_is_one_second_away(almacen, cuatro_plazos):
    _, disputas = cuatro_plazos

    r = servicios.tick(almacen, hasta=T0 + timedelta(hours=49) - timedelta(seconds=1))
    assert r.procesados == []
    assert almacen.disputa(2).estado == EstadoDisputa.ABIERTA

    r = servicios.tick(almacen, hasta=T0 + timedelta(hours=49))
    assert [p.disputa for p in r.procesados] == [2, 3]
    assert [almacen.disputa(d.id).estado for d in disputas] == [
        EstadoDisputa.VENCIDA if d.id in (2, 3) else EstadoDisputa.ABIERTA for d in disputas
    ]


def test_a_simulated_tick_reports_what_would_happen_and_changes_nothing(almacen, cuatro_plazos):
    antes = _volcado(almacen.conexion)

    r = servicios.tick(almacen, hasta=T0 + timedelta(hours=100), simular=True)

    assert r.simulado is True
    assert r.reloj == T0 + timedelta(hours=100)
    assert [p.disputa for p in r.procesados] == [2, 3, 4, 1]
    assert r.pendientes and all(p.disputa is None for p in r.pendientes)
    assert _volcado(almacen.conexion) == antes
    assert almacen.reloj()[0] == T0 + 2 * HORA
    assert not almacen.conexion.in_transaction


def test_tick_next_moves_to_the_nearest_request_deadline_and_fires_only_it(almacen, cuatro_plazos):
    r = servicios.tick(almacen, siguiente=True)

    assert r.reloj == T0 + timedelta(hours=49)
    assert [p.disputa for p in r.procesados] == [2, 3]
    assert almacen.reloj()[0] == T0 + timedelta(hours=49)
    assert [almacen.disputa(i).estado for i in (1, 4)] == [EstadoDisputa.ABIERTA] * 2
    assert [p.disputa for p in r.pendientes if p.disputa is not None] == [4, 1]

    assert [p.disputa for p in servicios.tick(almacen, siguiente=True).procesados] == [4]
    assert [p.disputa for p in servicios.tick(almacen, siguiente=True).procesados] == [1]
    assert almacen.reloj()[0] == T0 + timedelta(hours=96)


def test_tick_next_with_nothing_pending_is_refused_and_the_clock_stays(almacen):
    _pedido(almacen)  # a delivery deadline is not a request deadline
    antes = _volcado(almacen.conexion)

    with pytest.raises(RechazadoPorRegla) as error:
        servicios.tick(almacen, siguiente=True)

    assert error.value.codigo == 1
    assert almacen.reloj()[0] == T0
    assert _volcado(almacen.conexion) == antes


def test_moving_the_clock_backwards_is_bad_input_and_changes_nothing(almacen, cuatro_plazos):
    antes = _volcado(almacen.conexion)

    with pytest.raises(EntradaInvalida) as error:
        servicios.tick(almacen, hasta=T0 + 2 * HORA - timedelta(seconds=1))

    assert error.value.codigo == 2
    assert _volcado(almacen.conexion) == antes


def test_moving_the_clock_to_the_same_instant_is_a_no_op(almacen, cuatro_plazos):
    antes = _volcado(almacen.conexion)

    r = servicios.tick(almacen, hasta=T0 + 2 * HORA)

    assert (r.reloj_anterior, r.reloj, r.procesados) == (T0 + 2 * HORA, T0 + 2 * HORA, [])
    assert _volcado(almacen.conexion) == antes


def test_reading_an_order_first_processes_what_fell_due(almacen):
    pedido = _pedido(almacen)
    disputa = _cancelacion_del_cliente(almacen, pedido)

    _mover_reloj_a_escondidas(almacen, disputa.vence_en - timedelta(seconds=1))
    vista = servicios.ver_pedido(almacen, pedido.id, None)
    assert vista.pedido.estado == EstadoPedido.EN_CONTROVERSIA
    assert [p.disputa for p in vista.plazos if p.disputa] == [disputa.id]

    _mover_reloj_a_escondidas(almacen, disputa.vence_en)
    vista = servicios.ver_pedido(almacen, pedido.id, None)
    assert vista.reloj == disputa.vence_en
    assert vista.pedido.estado == EstadoPedido.CANCELADO
    assert [(d.estado, d.resuelta_en) for d in vista.disputas] == [(EstadoDisputa.VENCIDA, disputa.vence_en)]
    assert [p for p in vista.plazos if p.disputa] == []
    assert vista.eventos[-1].tipo == "disputa_vencida"
    # The expiry was written, not just shown.
    assert almacen.disputa(disputa.id).estado == EstadoDisputa.VENCIDA


def test_answering_a_request_at_its_deadline_is_refused_because_it_already_expired(almacen):
    pedido = _pedido(almacen)
    disputa = _cancelacion_del_cliente(almacen, pedido)
    _mover_reloj_a_escondidas(almacen, disputa.vence_en)

    with pytest.raises(RechazadoPorRegla):
        servicios.responder_disputa(almacen, disputa.id, "beto", Respuesta.RECHAZAR, None)

    # The refusal undid the expiry too; the next command processes it again.
    assert almacen.disputa(disputa.id).estado == EstadoDisputa.ABIERTA
    assert servicios.ver_pedido(almacen, pedido.id, None).pedido.estado == EstadoPedido.CANCELADO


def test_the_real_clock_mode_fires_the_deadlines_the_wall_clock_passed(tmp_path):
    ruta = tmp_path / "real.db"
    with freeze_time("2026-03-02T09:00:00Z"):
        a = Almacen.abrir(ruta, T0, ModoReloj.REAL)
        pedido = _pedido(a)
        disputa = _cancelacion_del_cliente(a, pedido)
    try:
        assert disputa.vence_en == datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
        with freeze_time("2026-03-03T09:00:00Z"):
            assert servicios.ver_pedido(a, pedido.id, None).pedido.estado == EstadoPedido.EN_CONTROVERSIA

        with freeze_time("2026-03-05T09:00:00Z"):
            vista = servicios.ver_pedido(a, pedido.id, None)

        assert vista.reloj == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
        assert vista.pedido.estado == EstadoPedido.CANCELADO
        assert vista.disputas[0].resuelta_en == disputa.vence_en
        assert a.reloj()[1] == ModoReloj.REAL
    finally:
        a.cerrar()


def test_the_real_clock_mode_never_goes_back_from_a_clock_pushed_ahead(tmp_path):
    ruta = tmp_path / "real.db"
    adelante = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
    with freeze_time("2026-03-05T09:00:00Z"):
        a = Almacen.abrir(ruta, T0, ModoReloj.REAL)
        try:
            pedido = _pedido(a)
            assert pedido.creado_en == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
            r = servicios.tick(a, hasta=adelante)
            assert (r.reloj_anterior, r.reloj) == (datetime(2026, 3, 5, 9, 0, tzinfo=UTC), adelante)
            assert servicios.ver_pedido(a, pedido.id, None).reloj == adelante
            with pytest.raises(EntradaInvalida):
                servicios.tick(a, hasta=datetime(2026, 3, 20, tzinfo=UTC))
        finally:
            a.cerrar()
