"""`resolucion tick`: moving the simulated clock, and what falls due when it moves."""

from datetime import timedelta

import pytest

from tests.conftest import T0_ISO
from tests.esperado import CLAVES_EVENTO, CLAVES_PROCESADO, CLAVES_TICK, foto, t

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

# --- tick ------------------------------------------------------------------------------


def test_tick_alone_returns_the_whole_tick_object(cli):
    cli.pedido()
    assert cli.ok("tick") == {
        "reloj_anterior": T0_ISO,
        "reloj": T0_ISO,
        "simulado": False,
        "procesados": [],
        "pendientes": [{"pedido": 1, "disputa": None, "tipo": "entrega", "vence_en": t(days=7), "responde": "beto"}],
    }


@pytest.mark.parametrize(
    ("duracion", "delta"),
    [
        ("90m", timedelta(minutes=90)),
        ("48h", timedelta(hours=48)),
        ("2d", timedelta(days=2)),
        ("1w", timedelta(weeks=1)),
        ("1d12h", timedelta(hours=36)),
        ("P2DT3H", timedelta(hours=51)),
    ],
)
def test_tick_avanzar_moves_the_clock_by_the_duration(cli, duracion, delta):
    data = cli.ok("tick", "--avanzar", duracion)
    assert (data["reloj_anterior"], data["reloj"]) == (T0_ISO, t(seconds=delta.total_seconds()))
    assert cli.ok("tick")["reloj"] == data["reloj"]


@pytest.mark.parametrize("duracion", ["P1M", "P1Y", "0h", "5x", "-1d", "", "P", "1 dia"])
def test_tick_avanzar_refuses_bad_durations_and_keeps_the_clock(cli, duracion):
    cli.fails(2, "tick", "--avanzar", duracion)
    assert cli.ok("tick")["reloj"] == T0_ISO


@pytest.mark.parametrize("fecha", ["ayer", "2026-13-01", "2026-03-02T25:00", "02/03/2026"])
def test_tick_at_refuses_unparsable_dates_and_keeps_the_clock(cli, fecha):
    cli.fails(2, "tick", "--at", fecha)
    assert cli.ok("tick")["reloj"] == T0_ISO


def test_tick_refuses_two_ways_of_moving_at_once(cli):
    cli.fails(2, "tick", "--at", t(days=1), "--avanzar", "1d")
    cli.fails(2, "tick", "--avanzar", "1d", "--siguiente")
    assert cli.ok("tick")["reloj"] == T0_ISO


def test_tick_at_the_same_instant_is_a_no_op(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    antes = foto(cli, 1)
    data = cli.ok("tick", "--at", T0_ISO)
    assert (data["reloj_anterior"], data["reloj"], data["procesados"]) == (T0_ISO, T0_ISO, [])
    assert foto(cli, 1) == antes


def test_moving_the_clock_backwards_is_bad_input_and_changes_nothing(cli):
    cli.pedido()
    cli.ok("tick", "--avanzar", "1h")
    antes = foto(cli, 1)
    r = cli.fails(2, "tick", "--at", T0_ISO)
    assert T0_ISO in r.error["mensaje"] or "retroceder" in r.error["mensaje"]
    cli.fails(2, "tick", "--at", t(minutes=59, seconds=59))
    assert foto(cli, 1) == antes


def test_tick_simular_reports_what_would_happen_and_changes_nothing(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    antes = foto(cli, 1)
    data = cli.ok("tick", "--avanzar", "3d", "--simular")
    assert data == {
        "reloj_anterior": T0_ISO,
        "reloj": t(days=3),
        "simulado": True,
        "procesados": [
            {"disputa": d["id"], "pedido": 1, "tipo": "cancelacion", "vence_en": d["vence_en"],
             "resultado": "pedido_cancelado"}
        ],
        "pendientes": [],
    }  # fmt: skip
    assert foto(cli, 1) == antes
    assert cli.ok("tick")["reloj"] == T0_ISO


def test_deadlines_fire_in_deadline_order_each_at_its_own_instant(cli):
    for _ in range(3):
        cli.pedido(entrega="20d")
    prorroga = cli.abrir(1, "beto", "prorroga", "--nueva-entrega", t(days=25))  # due at +96h
    cli.ok("tick", "--avanzar", "1h")
    cancelacion = cli.abrir(2, "ana", "cancelacion", "--comentario", "No")  # due at +49h
    cli.ok("tick", "--avanzar", "1h")
    actualizacion = cli.abrir(3, "ana", "actualizacion")  # due at +50h
    assert [d["vence_en"] for d in (cancelacion, actualizacion, prorroga)] == [
        t(hours=49),
        t(hours=50),
        t(hours=96),
    ]

    data = cli.ok("tick", "--avanzar", "10d")
    assert set(data) == CLAVES_TICK
    assert data["reloj_anterior"] == t(hours=2)
    assert data["reloj"] == t(days=10, hours=2)
    assert data["simulado"] is False
    assert data["procesados"] == [
        {"disputa": 2, "pedido": 2, "tipo": "cancelacion", "vence_en": t(hours=49), "resultado": "pedido_cancelado"},
        {"disputa": 3, "pedido": 3, "tipo": "actualizacion", "vence_en": t(hours=50), "resultado": "pedido_restaurado"},
        {"disputa": 1, "pedido": 1, "tipo": "prorroga", "vence_en": t(hours=96), "resultado": "solicitud_revocada"},
    ]
    for procesado in data["procesados"]:
        assert set(procesado) == CLAVES_PROCESADO
        vista = cli.ok("pedido", "ver", procesado["pedido"])
        ultimo = vista["eventos"][-1]
        assert set(ultimo) == CLAVES_EVENTO
        assert (ultimo["en"], ultimo["actor"]) == (procesado["vence_en"], "sistema")
        assert vista["disputas"][-1]["resuelta_en"] == procesado["vence_en"]
        assert vista["disputas"][-1]["estado"] == "vencida"
    assert cli.ok("pedido", "ver", 1)["pedido"]["fecha_entrega"] == t(days=20)
    assert [p["estado"] for p in cli.ok("pedido", "listar")["pedidos"]] == ["activo", "cancelado", "activo"]


def test_tick_siguiente_moves_to_the_nearest_request_deadline_and_processes_only_it(cli):
    cli.pedido()
    cli.pedido()
    cli.abrir(1, "beto", "prorroga", "--nueva-entrega", t(days=9))
    cli.abrir(2, "ana", "actualizacion")
    data = cli.ok("tick", "--siguiente")
    assert (data["reloj_anterior"], data["reloj"]) == (T0_ISO, t(hours=48))
    assert data["procesados"] == [
        {"disputa": 2, "pedido": 2, "tipo": "actualizacion", "vence_en": t(hours=48), "resultado": "pedido_restaurado"}
    ]
    assert [p["tipo"] for p in data["pendientes"]] == ["prorroga", "entrega", "entrega"]


def test_tick_siguiente_with_no_request_pending_is_refused_and_keeps_the_clock(cli):
    cli.pedido()  # a delivery deadline is not a request deadline
    r = cli.fails(1, "tick", "--siguiente")
    assert r.error["mensaje"]
    assert cli.ok("tick")["reloj"] == T0_ISO


def test_pending_deadlines_are_soonest_first_and_include_owed_deliveries(cli):
    cli.pedido(entrega="10d")
    cli.pedido(entrega="1d")
    cli.pedido(entrega="5d")
    cli.ok("pedido", "entregar", 3, "--como", "beto")
    cli.abrir(1, "ana", "actualizacion")
    assert cli.ok("tick")["pendientes"] == [
        {"pedido": 2, "disputa": None, "tipo": "entrega", "vence_en": t(days=1), "responde": "beto"},
        {"pedido": 1, "disputa": 1, "tipo": "actualizacion", "vence_en": t(days=2), "responde": "beto"},
        {"pedido": 1, "disputa": None, "tipo": "entrega", "vence_en": t(days=10), "responde": "beto"},
    ]


def test_tick_como_lists_only_the_deadlines_of_that_user(cli):
    cli.pedido()  # 1: ana -> beto
    cli.pedido(cliente="beto", freelancer="carla", entrega="8d")  # 2: beto -> carla
    cli.pedido(cliente="ana", freelancer="carla", entrega="9d")  # 3: ana -> carla
    cli.abrir(1, "ana", "cancelacion", "--comentario", "No")  # beto must answer
    cli.abrir(2, "carla", "prorroga", "--nueva-entrega", t(days=12))  # beto must answer
    cli.abrir(3, "ana", "actualizacion")  # carla must answer
    data = cli.ok("tick", "--como", "beto")
    assert data["pendientes"] == [
        {"pedido": 1, "disputa": 1, "tipo": "cancelacion", "vence_en": t(hours=48), "responde": "beto"},
        {"pedido": 2, "disputa": 2, "tipo": "prorroga", "vence_en": t(hours=96), "responde": "beto"},
        {"pedido": 1, "disputa": None, "tipo": "entrega", "vence_en": t(days=7), "responde": "beto"},
    ]
    assert {p["responde"] for p in cli.ok("tick", "--como", "carla")["pendientes"]} == {"carla"}
    assert len(cli.ok("tick")["pendientes"]) == 6


def test_every_command_first_processes_what_is_due(cli):
    cli.pedido()
    cli.pedido()
    d = cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    # the stored clock jumps past the deadline without any tick processing it
    cli.sql("UPDATE reloj SET ahora = ? WHERE id = 1", [t(days=3)])
    r = cli.fails(1, "disputa", "responder", d["id"], "--como", "beto", "--rechazar")
    assert "no está abierta" in r.error["mensaje"]
    vista = cli.ok("pedido", "ver", 1)
    assert vista["pedido"]["estado"] == "cancelado"
    assert (vista["disputas"][0]["estado"], vista["disputas"][0]["resuelta_en"]) == ("vencida", d["vence_en"])
    assert cli.ok("tick")["procesados"] == []
