"""`resolucion disputa responder / revocar / listar`, and the edges of a request's deadline."""

import pytest

from tests.conftest import T0_ISO
from tests.esperado import disputa_esperada, foto, pedido_esperado, t

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

# --- disputa responder / revocar -------------------------------------------------------


def test_answering_an_update_returns_the_whole_request_and_the_text_reaches_the_opener(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    cli.ok("tick", "--avanzar", "2h")
    data = cli.ok("disputa", "responder", 1, "--como", "beto", "--actualizacion", "Voy al 80 %")
    assert data == {
        "disputa": disputa_esperada(
            1, 1, "actualizacion", "ana", "cliente", "beto",
            estado="respondida", respuesta="Voy al 80 %", resuelta_en=t(hours=2), resuelta_por="beto",
        ),
        "pedido": pedido_esperado(),
    }  # fmt: skip
    ultimo = cli.ok("bandeja", "--como", "ana")["mensajes"][-1]
    assert (ultimo["de"], ultimo["para"], ultimo["disputa"], ultimo["en"]) == ("beto", "ana", 1, t(hours=2))
    assert "Voy al 80 %" in ultimo["texto"]


def test_rejecting_with_a_comment_makes_it_the_answer_and_restores_the_previous_state(cli):
    cli.pedido()
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    cli.abrir(1, "ana", "cancelacion", "--comentario", "No me gusta")
    data = cli.ok("disputa", "responder", 1, "--como", "beto", "--rechazar", "--comentario", "Lo corrijo")
    assert data["disputa"]["estado"] == "rechazada"
    assert data["disputa"]["respuesta"] == "Lo corrijo"
    assert data["disputa"]["resuelta_por"] == "beto"
    assert data["pedido"] == pedido_esperado(estado="entregado")
    assert "Lo corrijo" in cli.ok("bandeja", "--como", "ana")["mensajes"][-1]["texto"]


def test_accepting_an_extension_moves_the_delivery_date_and_rejecting_keeps_it(cli):
    cli.pedido()
    cli.pedido()
    cli.abrir(1, "beto", "prorroga", "--nueva-entrega", t(days=9))
    cli.abrir(2, "beto", "prorroga", "--nueva-entrega", t(days=9))
    assert cli.ok("disputa", "responder", 1, "--como", "ana", "--aceptar")["pedido"]["fecha_entrega"] == t(days=9)
    assert cli.ok("disputa", "responder", 2, "--como", "ana", "--rechazar")["pedido"] == pedido_esperado(2)


def test_revoking_returns_the_whole_request_and_the_comment_reaches_the_other_party(cli):
    cli.pedido()
    cli.abrir(1, "beto", "extras", "--extras-precio", "5", "--extras-descripcion", "Más")
    data = cli.ok("disputa", "revocar", 1, "--como", "beto", "--comentario", "Me equivoqué")
    assert data == {
        "disputa": disputa_esperada(
            1, 1, "extras", "beto", "freelancer", "ana", estado="revocada",
            extras_centavos=500, extras_descripcion="Más", resuelta_en=T0_ISO, resuelta_por="beto",
        ),
        "pedido": pedido_esperado(),
    }  # fmt: skip
    ultimo = cli.ok("bandeja", "--como", "ana")["mensajes"][-1]
    assert (ultimo["de"], ultimo["para"]) == ("beto", "ana")
    assert "Me equivoqué" in ultimo["texto"]


def test_the_opener_cannot_answer_and_only_the_opener_can_revoke(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    antes = foto(cli, 1)
    cli.fails(4, "disputa", "responder", 1, "--como", "ana", "--aceptar")
    cli.fails(4, "disputa", "responder", 1, "--como", "carla", "--aceptar")
    cli.fails(4, "disputa", "revocar", 1, "--como", "beto")
    cli.fails(4, "disputa", "revocar", 1, "--como", "carla")
    assert foto(cli, 1) == antes


def test_an_answer_that_does_not_fit_the_type_is_bad_input(cli):
    cli.pedido()
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    cli.abrir(2, "ana", "cancelacion", "--comentario", "No")
    antes = foto(cli, 1, 2)
    cli.fails(2, "disputa", "responder", 1, "--como", "beto", "--aceptar")
    cli.fails(2, "disputa", "responder", 1, "--como", "beto", "--rechazar")
    cli.fails(2, "disputa", "responder", 2, "--como", "beto", "--actualizacion", "Voy bien")
    assert foto(cli, 1, 2) == antes


@pytest.mark.parametrize(
    "respuesta",
    [
        (),
        ("--aceptar", "--rechazar"),
        ("--aceptar", "--actualizacion", "x"),
        ("--rechazar", "--actualizacion", "x"),
    ],
)
def test_no_answer_or_two_answers_at_once_is_bad_input(cli, respuesta):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    antes = foto(cli, 1)
    cli.fails(2, "disputa", "responder", 1, "--como", "beto", *respuesta)
    assert foto(cli, 1) == antes


def test_an_empty_update_or_an_overlong_answer_comment_is_bad_input(cli):
    cli.pedido()
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    cli.abrir(2, "ana", "cancelacion", "--comentario", "No")
    antes = foto(cli, 1, 2)
    cli.fails(2, "disputa", "responder", 1, "--como", "beto", "--actualizacion", " ")
    cli.fails(2, "disputa", "responder", 2, "--como", "beto", "--rechazar", "--comentario", "z" * 2001)
    cli.fails(2, "disputa", "revocar", 2, "--como", "ana", "--comentario", "z" * 2001)
    assert foto(cli, 1, 2) == antes


def test_a_request_that_is_no_longer_open_cannot_be_answered_or_revoked(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    cli.ok("disputa", "revocar", 1, "--como", "ana")
    antes = foto(cli, 1)
    cli.fails(1, "disputa", "responder", 1, "--como", "beto", "--aceptar")
    cli.fails(1, "disputa", "revocar", 1, "--como", "ana")
    assert foto(cli, 1) == antes


# --- deadline edges --------------------------------------------------------------------


def test_a_request_can_be_answered_one_second_before_its_deadline(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    cli.ok("tick", "--at", t(hours=48, seconds=-1))
    r = cli.ok("disputa", "responder", d["id"], "--como", "beto", "--rechazar")
    assert r["disputa"]["estado"] == "rechazada"
    assert r["disputa"]["resuelta_en"] == t(hours=48, seconds=-1)
    assert r["pedido"]["estado"] == "activo"


def test_a_request_can_be_revoked_one_second_before_its_deadline(cli):
    cli.pedido()
    d = cli.abrir(1, "beto", "prorroga", "--nueva-entrega", t(days=9))
    cli.ok("tick", "--at", t(hours=96, seconds=-1))
    assert cli.ok("disputa", "revocar", d["id"], "--como", "beto")["disputa"]["estado"] == "revocada"


def test_at_its_deadline_exactly_a_request_has_expired_and_cannot_be_answered(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    cli.ok("tick", "--at", d["vence_en"])
    antes = foto(cli, 1)
    r = cli.fails(1, "disputa", "responder", d["id"], "--como", "beto", "--rechazar")
    assert "no está abierta" in r.error["mensaje"]
    cli.fails(1, "disputa", "revocar", d["id"], "--como", "ana")
    assert foto(cli, 1) == antes
    vista = cli.ok("pedido", "ver", 1)
    assert vista["disputas"] == [
        disputa_esperada(
            1, 1, "cancelacion", "ana", "cliente", "beto", estado="vencida",
            comentario="No", resuelta_en=d["vence_en"], resuelta_por="sistema",
        )
    ]  # fmt: skip
    assert vista["pedido"] == pedido_esperado(estado="cancelado")


def test_an_expiry_notifies_both_parties_from_sistema_at_the_deadline(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "actualizacion")
    cli.ok("tick", "--avanzar", "1w")
    for usuario in ("ana", "beto"):
        aviso = cli.ok("bandeja", "--como", usuario)["mensajes"][-1]
        assert (aviso["de"], aviso["para"], aviso["disputa"], aviso["en"]) == (
            "sistema",
            usuario,
            d["id"],
            d["vence_en"],
        )


# --- disputa listar / bandeja ----------------------------------------------------------


def test_listing_requests_gives_whole_requests_and_filters_by_order_open_and_user(cli):
    cli.pedido()
    cli.pedido(cliente="carla", freelancer="dario")
    cli.abrir(1, "ana", "actualizacion")
    cli.ok("disputa", "responder", 1, "--como", "beto", "--actualizacion", "Bien")
    cli.abrir(1, "beto", "prorroga", "--nueva-entrega", t(days=9))
    cli.abrir(2, "carla", "cancelacion", "--comentario", "No")
    todas = cli.ok("disputa", "listar")
    assert todas == {
        "disputas": [
            disputa_esperada(
                1, 1, "actualizacion", "ana", "cliente", "beto", estado="respondida",
                respuesta="Bien", resuelta_en=T0_ISO, resuelta_por="beto",
            ),
            disputa_esperada(2, 1, "prorroga", "beto", "freelancer", "ana", nueva_fecha_entrega=t(days=9)),
            disputa_esperada(3, 2, "cancelacion", "carla", "cliente", "dario", comentario="No"),
        ]
    }  # fmt: skip
    assert [d["id"] for d in cli.ok("disputa", "listar", "--pedido", 1)["disputas"]] == [1, 2]
    assert [d["id"] for d in cli.ok("disputa", "listar", "--abiertas")["disputas"]] == [2, 3]
    assert [d["id"] for d in cli.ok("disputa", "listar", "--pedido", 1, "--abiertas")["disputas"]] == [2]
    assert [d["id"] for d in cli.ok("disputa", "listar", "--como", "dario")["disputas"]] == [3]
    assert [d["id"] for d in cli.ok("disputa", "listar", "--como", "ana")["disputas"]] == [1, 2]
