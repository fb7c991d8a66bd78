"""Partial refunds and the cancellation of a very late order through the CLI (issue 13):
exit codes in the order of SPEC §7, nothing changed by a refusal, JSON and screens."""

from datetime import timedelta

import pytest

from tests.conftest import T0
from tests.esperado import foto, pedido_esperado

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True


def _en(**delta) -> str:
    return (T0 + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def automatica(cli):
    cli.ok("init", "--politica", "aceptacion-automatica")
    return cli


def _reembolso(cli, pedido, importe, como="beto"):
    return cli.run(
        "disputa", "abrir", pedido, "--como", como, "--tipo", "reembolso_parcial", "--importe", importe, "--json"
    )


# --- refusals, in the order of SPEC §7 -------------------------------------------------


@pytest.mark.parametrize(
    ("politica", "precio", "importe", "como", "codigo", "frase"),
    [
        ("aceptacion-automatica", "100", "abc", "beto", 2, "--importe"),
        ("aceptacion-automatica", "100", "4,99", "beto", 2, "al menos US$ 5,00"),
        ("clasica", "100", "4,99", "beto", 2, "al menos US$ 5,00"),  # malformed input comes first
        ("clasica", "100", "40", "ana", 4, "Un cliente no puede abrir"),
        ("aceptacion-automatica", "100", "40", "ana", 4, "Un cliente no puede abrir"),
        ("clasica", "100", "40", "beto", 1, "«clasica»"),
        ("aceptacion-automatica", "50", "5", "beto", 1, "más de US$ 50,00"),
        ("aceptacion-automatica", "50", "40", "beto", 1, "más de US$ 50,00"),  # the rule before the limit
        ("aceptacion-automatica", "100", "60,01", "beto", 2, "US$ 60,00"),
    ],
)
def test_a_refused_refund_says_why_with_its_exit_code_and_changes_nothing(
    cli, politica, precio, importe, como, codigo, frase
):
    cli.ok("init", "--politica", politica)
    p = cli.pedido(precio=precio)
    antes = foto(cli, p["id"])

    r = _reembolso(cli, p["id"], importe, como)

    assert r.code == codigo, r
    assert frase in r.error["mensaje"], r
    assert foto(cli, p["id"]) == antes


def test_a_refund_amount_on_another_type_does_not_fit_it(automatica):
    p = automatica.pedido()
    r = automatica.fails(2, "disputa", "abrir", p["id"], "--como", "ana", "--tipo", "actualizacion", "--importe", "10")
    assert "--importe solo se usa" in r.error["mensaje"]


def test_a_refund_without_an_amount_names_the_option_and_the_range(automatica):
    p = automatica.pedido()
    r = automatica.fails(2, "disputa", "abrir", p["id"], "--como", "beto", "--tipo", "reembolso_parcial")
    assert "Falta --importe" in r.error["mensaje"] and "US$ 60,00" in r.error["mensaje"]


def test_the_limit_is_60_percent_of_the_price_before_the_extras_accepted_since(automatica):
    p = automatica.pedido()
    extras = automatica.abrir(p["id"], "beto", "extras", "--extras-precio", "50", "--extras-descripcion", "Más")
    automatica.ok("disputa", "responder", extras["id"], "--como", "ana", "--aceptar")
    assert automatica.ok("pedido", "ver", p["id"])["pedido"]["precio_centavos"] == 15000

    r = _reembolso(automatica, p["id"], "60,01")
    assert r.code == 2 and "US$ 60,00" in r.error["mensaje"], r
    assert automatica.abrir(p["id"], "beto", "reembolso_parcial", "--importe", "60")["reembolso_centavos"] == 6000


# --- a refund's whole life --------------------------------------------------------------


def test_an_accepted_refund_completes_the_order_and_every_view_shows_it(automatica):
    p = automatica.pedido()
    d = automatica.abrir(p["id"], "beto", "reembolso_parcial", "--importe", "40", "--comentario", "Te devuelvo parte")
    assert (d["tipo"], d["reembolso_centavos"], d["vence_en"]) == ("reembolso_parcial", 4000, _en(hours=48))
    pendientes = automatica.ok("pendientes", "--como", "ana")["pendientes"]
    assert [(x["tipo"], x["que"], x["comando"]) for x in pendientes if x["disputa"]] == [
        (
            "reembolso_parcial",
            "responder a la solicitud de reembolso parcial de beto",
            f"resolucion disputa responder {d['id']} --como ana --aceptar",
        )
    ]

    r = automatica.ok("disputa", "responder", d["id"], "--como", "ana", "--aceptar")

    assert r["pedido"] == pedido_esperado(estado="completado", reembolso=4000)
    assert r["disputa"]["estado"] == "aceptada"
    pantalla = automatica.run("pedido", "ver", p["id"], env={"COLUMNS": "100"}).out
    assert "US$ 40,00 al cliente; beto se queda US$ 60,00" in pantalla
    bandeja = automatica.ok("bandeja", "--como", "beto")["mensajes"]
    assert "el pedido queda completado con un reembolso de US$ 40,00 al cliente" in bandeja[-1]["texto"]
    assert automatica.ok("verificar")["ok"] is True


def test_a_rejected_refund_leaves_the_order_as_it_was(automatica):
    p = automatica.pedido()
    d = automatica.abrir(p["id"], "beto", "reembolso_parcial", "--importe", "40")
    r = automatica.ok("disputa", "responder", d["id"], "--como", "ana", "--rechazar", "--comentario", "No")
    assert r["pedido"] == pedido_esperado()
    assert r["disputa"]["estado"] == "rechazada"


def test_a_refund_left_unanswered_is_accepted_at_48_hours_to_the_second(automatica):
    p = automatica.pedido()
    d = automatica.abrir(p["id"], "beto", "reembolso_parcial", "--importe", "40")

    assert automatica.ok("tick", "--at", _en(hours=48, seconds=-1))["procesados"] == []
    tick = automatica.ok("tick", "--at", _en(hours=48, seconds=1))
    assert tick["procesados"] == [
        {
            "disputa": d["id"],
            "pedido": p["id"],
            "tipo": "reembolso_parcial",
            "vence_en": _en(hours=48),
            "resultado": "solicitud_aceptada",
        }
    ]
    vista = automatica.ok("pedido", "ver", p["id"])
    assert (vista["pedido"]["estado"], vista["pedido"]["reembolso_centavos"]) == ("completado", 4000)
    assert vista["disputas"][0]["resuelta_en"] == _en(hours=48)


# --- cancelling a very late order ------------------------------------------------------


def _cancelar(cli, pedido):
    return cli.ok("disputa", "abrir", pedido, "--como", "ana", "--tipo", "cancelacion", "--comentario", "Llega tarde")


def test_one_second_before_24_hours_late_the_client_opens_an_ordinary_request(automatica):
    p = automatica.pedido(entrega="1d")
    automatica.ok("tick", "--at", _en(days=2, seconds=-1))
    r = _cancelar(automatica, p["id"])
    assert r["disputa"]["vence_en"] == _en(days=4, seconds=-1)
    assert r["pedido"]["estado"] == "en_controversia"


@pytest.mark.parametrize("despues", [0, 1])
def test_from_24_hours_late_the_client_cancels_at_once(automatica, despues):
    p = automatica.pedido(entrega="1d")
    automatica.ok("tick", "--at", _en(days=2, seconds=despues))

    r = _cancelar(automatica, p["id"])

    assert r["disputa"] is None
    assert r["pedido"] == pedido_esperado(estado="cancelado", entrega=_en(days=1))
    assert automatica.ok("disputa", "listar")["disputas"] == []
    (aviso,) = automatica.ok("bandeja", "--como", "beto")["mensajes"]
    assert aviso["de"] == "ana" and aviso["disputa"] is None
    assert "canceló el pedido sin esperar respuesta" in aviso["texto"] and "Llega tarde" in aviso["texto"]
    historia = automatica.ok("pedido", "ver", p["id"])["eventos"]
    assert historia[-1]["tipo"] == "pedido_cancelado" and historia[-1]["en"] == _en(days=2, seconds=despues)
    assert automatica.ok("verificar")["ok"] is True
    pantalla = automatica.run("disputa", "abrir", p["id"], "--como", "ana", "--tipo", "actualizacion").err
    assert "cancelado" in pantalla


def test_the_screen_says_the_order_was_cancelled_without_waiting(automatica):
    p = automatica.pedido(entrega="1d")
    automatica.ok("tick", "--avanzar", "3d")
    r = automatica.run("disputa", "abrir", p["id"], "--como", "ana", "--tipo", "cancelacion", "--comentario", "Tarde")
    assert r.code == 0, r
    assert "Pedido #1 cancelado por retraso, sin esperar respuesta de beto" in r.out


def test_under_the_classic_rules_a_very_late_order_still_waits_for_the_freelancer(cli):
    p = cli.pedido(entrega="1d")
    cli.ok("tick", "--avanzar", "10d")
    r = _cancelar(cli, p["id"])
    assert r["disputa"]["estado"] == "abierta" and r["pedido"]["estado"] == "en_controversia"
