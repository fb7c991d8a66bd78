"""`resolucion generar` follows the database's rule set: its request types, deadlines and what
its unanswered requests and delivered orders do (`verificar` on generated data:
test_verificar.py)."""

import hashlib
import json
import sqlite3
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from resolucion_cli import reglas, relato
from resolucion_cli.almacen import Almacen
from resolucion_cli.modelo import TipoDisputa
from tests.conftest import T0, T0_ISO, Cli
from tests.fiabilidad import _desde_iso

PEDIDOS = 400
SEMILLA = 7
# The rows `generar --pedidos 400 --semilla 7` made at T0 under `clasica` before partial refunds
# existed (every column of schema v5, table by table, in insertion order): the new rule set must
# not change a byte of the old one's data.
HUELLA_CLASICA = "c0b8587c3a817a1b0cde58ebb07f80393a9d768047923dc15835a8eb6e730138"
COLUMNAS_V5 = {
    "usuarios": "usuario, creado_en",
    "pedidos": "id, titulo, cliente, freelancer, estado, estado_anterior, precio_centavos, fecha_entrega, "
    "creado_en, completar_en",
    "disputas": "id, pedido, tipo, estado, abierta_por, rol, destinatario, motivo, comentario, respuesta, "
    "creada_en, vence_en, resuelta_en, resuelta_por, nueva_fecha_entrega, extras_centavos, extras_descripcion, "
    "extras_dias, politica",
    "eventos": "id, pedido, disputa, en, actor, tipo, detalle, hecho, datos",
    "mensajes": "id, pedido, disputa, de, para, texto, en, hecho, datos",
}


def _generada(tmp_path_factory, *init) -> sqlite3.Connection:
    db = tmp_path_factory.mktemp("generada") / "generada.db"
    cli = Cli(db)
    cli.ok("init", "--reloj", T0_ISO, *init)
    assert cli.ok("generar", "--pedidos", PEDIDOS, "--semilla", SEMILLA) == {
        "pedidos": PEDIDOS,
        "disputas_abiertas": pytest.approx(PEDIDOS / 3, rel=0.2),
    }
    assert cli.ok("verificar") == {"ok": True, "problemas": []}
    conexion = sqlite3.connect(db)
    conexion.row_factory = sqlite3.Row
    return conexion


@pytest.fixture(scope="module")
def clasica(tmp_path_factory):
    return _generada(tmp_path_factory)


@pytest.fixture(scope="module")
def automatica(tmp_path_factory):
    return _generada(tmp_path_factory, "--politica", "aceptacion-automatica")


def _filas(conexion, sql: str) -> list[dict]:
    return [dict(f) for f in conexion.execute(sql)]


def _horas(desde: str, hasta: str) -> timedelta:
    return _desde_iso(hasta) - _desde_iso(desde)


# --- clasica: the same data as always ---------------------------------------------------


def test_under_the_classic_rules_the_same_seed_gives_the_same_rows_as_before_partial_refunds(clasica):
    huella = hashlib.sha256()
    for tabla, columnas in COLUMNAS_V5.items():
        for fila in clasica.execute(f"SELECT {columnas} FROM {tabla} ORDER BY rowid"):
            huella.update(json.dumps(tuple(fila)).encode())
    assert huella.hexdigest() == HUELLA_CLASICA
    assert clasica.execute("SELECT count(*) FROM pedidos WHERE reembolso_centavos IS NOT NULL").fetchone()[0] == 0
    assert clasica.execute("SELECT count(*) FROM disputas WHERE reembolso_centavos IS NOT NULL").fetchone()[0] == 0


def test_under_the_classic_rules_no_request_is_a_partial_refund_and_none_completes_by_itself(clasica):
    tipos = {f["tipo"] for f in _filas(clasica, "SELECT DISTINCT tipo FROM disputas")}
    assert tipos == {"actualizacion", "cancelacion", "prorroga", "extras"}
    assert {f["politica"] for f in _filas(clasica, "SELECT DISTINCT politica FROM disputas")} == {"clasica"}
    assert _filas(clasica, "SELECT id FROM pedidos WHERE completar_en IS NOT NULL") == []
    hechos = {f["hecho"] for f in _filas(clasica, "SELECT DISTINCT hecho FROM eventos")}
    assert not hechos & {"pedido_cancelado_por_retraso", "pedido_completado_solo"}


# --- aceptacion-automatica --------------------------------------------------------------


@pytest.mark.parametrize("nombre", ["clasica", "automatica"])
def test_every_request_carries_its_rule_set_and_that_rule_sets_deadline(request, nombre):
    conexion = request.getfixturevalue(nombre)
    politica = reglas.POLITICAS["clasica" if nombre == "clasica" else "aceptacion-automatica"]
    disputas = _filas(conexion, "SELECT tipo, politica, creada_en, vence_en FROM disputas")
    assert {d["politica"] for d in disputas} == {politica.nombre}
    assert {d["tipo"] for d in disputas} == set(politica.tipos)
    for d in disputas:
        assert _horas(d["creada_en"], d["vence_en"]) == politica.plazos[TipoDisputa(d["tipo"])], d


def test_open_requests_are_due_within_the_next_four_days(automatica):
    for d in _filas(automatica, "SELECT id, vence_en FROM disputas WHERE estado = 'abierta'"):
        assert timedelta(0) < _desde_iso(d["vence_en"]) - T0 <= timedelta(days=4), d


def test_partial_refunds_are_offered_only_on_orders_over_50_dollars_within_their_limits(automatica):
    reembolsos = _filas(
        automatica,
        "SELECT d.id, d.estado, d.rol, d.reembolso_centavos AS importe, p.precio_centavos AS precio "
        "FROM disputas d JOIN pedidos p ON p.id = d.pedido WHERE d.tipo = 'reembolso_parcial'",
    )
    assert {r["estado"] for r in reembolsos} == {"abierta", "aceptada"}
    for r in reembolsos:
        assert r["rol"] == "freelancer", r
        assert r["precio"] > reglas.REEMBOLSO_MINIMO_PEDIDO, r
        assert reglas.REEMBOLSO_MINIMO <= r["importe"] <= r["precio"] * 60 // 100, r
    otros = "SELECT count(*) FROM disputas WHERE tipo != 'reembolso_parcial' AND reembolso_centavos IS NOT NULL"
    assert automatica.execute(otros).fetchone()[0] == 0


def test_an_accepted_partial_refund_completed_its_order_with_the_refund_recorded(automatica):
    aceptados = _filas(
        automatica,
        "SELECT d.id, d.resuelta_por, d.resuelta_en, d.vence_en, d.destinatario, d.reembolso_centavos, "
        "p.estado, p.reembolso_centavos AS devuelto FROM disputas d JOIN pedidos p ON p.id = d.pedido "
        "WHERE d.tipo = 'reembolso_parcial' AND d.estado = 'aceptada'",
    )
    assert aceptados
    for a in aceptados:
        assert (a["estado"], a["devuelto"]) == ("completado", a["reembolso_centavos"]), a
        # Accepted by the client's answer before its deadline, or by the 48 h of silence.
        por_silencio = (a["resuelta_por"], a["resuelta_en"]) == ("sistema", a["vence_en"])
        contestada = a["resuelta_por"] == a["destinatario"] and a["resuelta_en"] < a["vence_en"]
        assert por_silencio or contestada, a
    quienes = {a["resuelta_por"] == "sistema" for a in aceptados}
    assert quienes == {True, False}
    devueltos = automatica.execute("SELECT count(*) FROM pedidos WHERE reembolso_centavos IS NOT NULL").fetchone()[0]
    assert devueltos == len(aceptados)


def test_an_unanswered_cancellation_is_accepted_by_the_system_at_its_deadline(automatica):
    cerradas = _filas(
        automatica,
        "SELECT estado, resuelta_por, resuelta_en, vence_en FROM disputas "
        "WHERE tipo = 'cancelacion' AND estado != 'abierta'",
    )
    assert {c["estado"] for c in cerradas} == {"aceptada"}
    assert any(c["resuelta_por"] == "sistema" and c["resuelta_en"] == c["vence_en"] for c in cerradas)


def test_some_very_late_orders_were_cancelled_by_their_client_at_once(automatica):
    tardias = _filas(
        automatica,
        "SELECT e.pedido, e.en, e.actor, p.cliente, p.estado, p.fecha_entrega FROM eventos e "
        "JOIN pedidos p ON p.id = e.pedido WHERE e.hecho = 'pedido_cancelado_por_retraso'",
    )
    assert tardias
    for t in tardias:
        assert (t["actor"], t["estado"]) == (t["cliente"], "cancelado"), t
        assert _horas(t["fecha_entrega"], t["en"]) >= timedelta(hours=24), t
        sin_solicitud = automatica.execute("SELECT count(*) FROM disputas WHERE pedido = ?", [t["pedido"]])
        assert sin_solicitud.fetchone()[0] == 0


def test_an_open_client_cancellation_of_an_active_order_is_not_yet_24_hours_late(automatica):
    abiertas = _filas(
        automatica,
        "SELECT d.id, d.creada_en, p.fecha_entrega FROM disputas d JOIN pedidos p ON p.id = d.pedido "
        "WHERE d.tipo = 'cancelacion' AND d.rol = 'cliente' AND d.estado = 'abierta' "
        "AND p.estado_anterior = 'activo'",
    )
    assert abiertas
    for a in abiertas:
        assert _horas(a["fecha_entrega"], a["creada_en"]) < timedelta(hours=24), a


def test_delivered_orders_count_down_to_their_automatic_completion(automatica):
    entregados = _filas(
        automatica,
        "SELECT p.id, p.completar_en, max(e.en) AS entregado FROM pedidos p JOIN eventos e ON e.pedido = p.id "
        "AND e.hecho = 'pedido_entregado' WHERE p.estado = 'entregado' GROUP BY p.id",
    )
    assert entregados
    for p in entregados:
        assert _horas(p["entregado"], p["completar_en"]) == timedelta(days=3), p
        assert _desde_iso(p["completar_en"]) > T0, p
    solos = _filas(automatica, "SELECT en, actor FROM eventos WHERE hecho = 'pedido_completado_solo'")
    assert solos and {s["actor"] for s in solos} == {"sistema"}


def test_every_generated_fact_reads_as_a_sentence(automatica):
    (ruta,) = [f["file"] for f in automatica.execute("PRAGMA database_list")]
    almacen = Almacen.abrir(ruta, T0)
    try:
        pedidos = [f[0] for f in almacen.conexion.execute("SELECT id FROM pedidos")]
        eventos = [e for pedido in pedidos for e in almacen.eventos_de(pedido)]
    finally:
        almacen.cerrar()
    madrid = ZoneInfo("Europe/Madrid")
    assert {"pedido_cancelado_por_retraso", "pedido_completado_solo"} <= {e.hecho for e in eventos}
    for evento in eventos:
        texto = relato.detalle(evento, madrid)
        assert texto and " UTC" not in texto, evento


def test_the_deadlines_the_database_overrides_are_those_generated(tmp_path):
    cli = Cli(tmp_path / "plazos.db")
    cli.ok("init", "--reloj", T0_ISO, "--plazo", "actualizacion=24h")
    cli.ok("generar", "--pedidos", 60, "--semilla", 1)
    assert cli.ok("verificar")["ok"] is True
    conexion = sqlite3.connect(tmp_path / "plazos.db")
    plazos = {
        (tipo, _horas(creada, vence))
        for tipo, creada, vence in conexion.execute("SELECT tipo, creada_en, vence_en FROM disputas")
    }
    assert ("actualizacion", timedelta(hours=24)) in plazos
    assert {tipo for tipo, plazo in plazos if plazo == timedelta(hours=24)} == {"actualizacion"}
