"""The store on real SQLite files (SPEC §4, §8): its schema and its migrations.

Refused files, transactions and deadlines through the services are in test_archivos.py,
test_transacciones.py and test_plazos.py; races between separate processes in
tests/sistema/test_concurrencia.py.
"""

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils

from resolucion_cli import almacen as modulo_almacen
from resolucion_cli import relato, servicios
from resolucion_cli.almacen import CABECERA_SQLITE, ESQUEMA, MIGRACIONES, TABLAS, VISTAS, Almacen
from resolucion_cli.errores import BaseInutilizable
from resolucion_cli.modelo import EstadoPedido, Hecho
from resolucion_cli.reloj import ModoReloj
from tests.almacen.ayudantes import (
    CAMPOS_DISPUTA,
    CAMPOS_EVENTO,
    CAMPOS_MENSAJE,
    CAMPOS_PEDIDO,
    _archivo_y_vecinos,
    _claves_ajenas,
    _columnas,
    _indices,
    _pedido,
    _tablas,
    _volcado,
)
from tests.conftest import T0, T0_ISO

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


def test_a_version_4_database_gets_the_views_on_upgrade_and_they_show_its_rows(tmp_path):
    ruta = tmp_path / "v4.db"
    conexion = _base_en_version(ruta, 4)
    assert [f[0] for f in conexion.execute("SELECT name FROM sqlite_master WHERE type = 'view'")] == []
    conexion.close()

    a = Almacen.abrir(ruta, T0)
    try:
        assert a.version() == ESQUEMA
        vistas = {f[0] for f in a.conexion.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
        assert vistas == set(VISTAS)
        fila = a.conexion.execute("SELECT pedido, titulo, tipo_etiqueta, responde FROM vista_plazos_pendientes")
        assert tuple(fila.fetchone()) == (1, "Logo", "Entrega", "beto")
        assert a.problemas() == []
    finally:
        a.cerrar()


def test_a_version_5_database_gets_refund_columns_and_views_that_name_the_new_type(tmp_path):
    ruta = tmp_path / "v5.db"
    conexion = _base_en_version(ruta, 5)
    # An extras offer opened under the old automatic-acceptance rules, with its 48 h deadline.
    conexion.execute(
        "INSERT INTO disputas (pedido, tipo, estado, abierta_por, rol, destinatario, creada_en, vence_en, "
        "extras_centavos, extras_descripcion, politica) VALUES (1, 'extras', 'abierta', 'beto', 'freelancer', "
        "'ana', ?, '2026-03-03T09:00:00Z', 2500, 'Otra versión', 'aceptacion-automatica')",
        [T0_ISO],
    )
    conexion.execute("UPDATE pedidos SET estado = 'en_controversia', estado_anterior = 'activo'")
    conexion.close()

    a = Almacen.abrir(ruta, T0)
    try:
        assert a.version() == ESQUEMA
        assert "reembolso_centavos" in _columnas(a.conexion, "pedidos")
        assert "reembolso_centavos" in _columnas(a.conexion, "disputas")
        assert a.pedido(1).reembolso_centavos is None
        # The request keeps the deadline it was opened with; the views are rebuilt with v6's labels.
        (disputa,) = a.disputas_de(1)
        assert (disputa.vence_en, disputa.reembolso_centavos) == (datetime(2026, 3, 3, 9, tzinfo=UTC), None)
        a.conexion.execute(
            "UPDATE disputas SET tipo = 'reembolso_parcial', extras_centavos = NULL, "
            "extras_descripcion = NULL, reembolso_centavos = 700"
        )
        fila = a.conexion.execute("SELECT tipo_etiqueta, reembolso_centavos FROM vista_solicitudes").fetchone()
        assert tuple(fila) == ("Reembolso parcial", 700)
        assert a.problemas() == []
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
