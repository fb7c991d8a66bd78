"""`resolucion disputa abrir`: each type of request, its options and who may open it."""

import pytest

from tests.conftest import T0_ISO
from tests.esperado import CLAVES_MENSAJE, disputa_esperada, foto, pedido_esperado, t, una_linea_de_error

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

# --- disputa abrir ---------------------------------------------------------------------


def test_a_client_update_request_returns_the_whole_request_and_order(cli):
    cli.pedido()
    data = cli.ok("disputa", "abrir", 1, "--como", "ana", "--tipo", "actualizacion")
    assert data == {
        "disputa": disputa_esperada(1, 1, "actualizacion", "ana", "cliente", "beto"),
        "pedido": pedido_esperado(estado="en_controversia"),
    }


def test_a_freelancer_cancellation_carries_its_reason_and_optional_comment(cli):
    cli.pedido()
    data = cli.ok("disputa", "abrir", 1, "--como", "beto", "--tipo", "cancelacion", "--motivo", "fuera_de_alcance")
    assert data["disputa"] == disputa_esperada(
        1, 1, "cancelacion", "beto", "freelancer", "ana", motivo="fuera_de_alcance"
    )


def test_the_other_reason_needs_a_comment(cli):
    cli.pedido()
    cli.fails(2, "disputa", "abrir", 1, "--como", "beto", "--tipo", "cancelacion", "--motivo", "otro")
    d = cli.abrir(1, "beto", "cancelacion", "--motivo", "otro", "--comentario", "Me mudo")
    assert (d["motivo"], d["comentario"]) == ("otro", "Me mudo")


def test_an_unknown_reason_is_bad_input(cli):
    cli.pedido()
    cli.fails(2, "disputa", "abrir", 1, "--como", "beto", "--tipo", "cancelacion", "--motivo", "aburrido")
    assert cli.ok("pedido", "ver", 1)["disputas"] == []


def test_an_extension_request_returns_the_whole_request(cli):
    cli.pedido()
    data = cli.ok("disputa", "abrir", 1, "--como", "beto", "--tipo", "prorroga", "--nueva-entrega", t(days=10))
    assert data == {
        "disputa": disputa_esperada(1, 1, "prorroga", "beto", "freelancer", "ana", nueva_fecha_entrega=t(days=10)),
        "pedido": pedido_esperado(estado="en_controversia"),
    }


def test_an_extension_must_be_later_than_the_current_delivery_date(cli):
    cli.pedido()
    cli.fails(2, "disputa", "abrir", 1, "--como", "beto", "--tipo", "prorroga", "--nueva-entrega", t(days=7))
    cli.fails(2, "disputa", "abrir", 1, "--como", "beto", "--tipo", "prorroga")
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == "activo"


def test_an_extras_offer_returns_the_whole_request_and_acceptance_adds_days_and_price(cli):
    cli.pedido()
    data = cli.ok(
        "disputa", "abrir", 1, "--como", "beto", "--tipo", "extras",
        "--extras-precio", "25,50", "--extras-descripcion", "Versión vectorial", "--extras-dias", "3",
    )  # fmt: skip
    assert data["disputa"] == disputa_esperada(
        1, 1, "extras", "beto", "freelancer", "ana",
        extras_centavos=2550, extras_descripcion="Versión vectorial", extras_dias=3,
    )  # fmt: skip
    r = cli.ok("disputa", "responder", 1, "--como", "ana", "--aceptar")
    assert r["pedido"] == pedido_esperado(precio=12550, entrega=t(days=10))


@pytest.mark.parametrize(
    "extra",
    [
        ("--extras-descripcion", "Más"),
        ("--extras-precio", "10"),
        ("--extras-precio", "0", "--extras-descripcion", "Más"),
        ("--extras-precio", "10", "--extras-descripcion", "Más", "--extras-dias", "0"),
        ("--extras-precio", "10", "--extras-descripcion", "Más", "--extras-dias", "x"),
    ],
)
def test_an_incomplete_or_bad_extras_offer_is_bad_input(cli, extra):
    cli.pedido()
    antes = foto(cli, 1)
    cli.fails(2, "disputa", "abrir", 1, "--como", "beto", "--tipo", "extras", *extra)
    assert foto(cli, 1) == antes


def test_opening_a_request_without_tipo_or_with_an_unknown_tipo_is_bad_input(cli):
    cli.pedido()
    r = cli.fails(2, "disputa", "abrir", 1, "--como", "ana")
    assert "--tipo" in r.error["mensaje"]
    cli.fails(2, "disputa", "abrir", 1, "--como", "ana", "--tipo", "reembolso")
    assert cli.ok("pedido", "ver", 1)["disputas"] == []


@pytest.mark.parametrize("comentario", ["", "   "])
def test_a_client_cancellation_needs_a_non_empty_comment(cli, comentario):
    cli.pedido()
    antes = foto(cli, 1)
    r = cli.fails(2, "disputa", "abrir", 1, "--como", "ana", "--tipo", "cancelacion", "--comentario", comentario)
    assert "--comentario" in r.error["mensaje"]
    assert foto(cli, 1) == antes


def test_a_comment_of_2000_characters_is_accepted_and_2001_is_bad_input(cli):
    cli.pedido()
    cli.pedido()
    antes = foto(cli, 1)
    cli.fails(2, "disputa", "abrir", 1, "--como", "ana", "--tipo", "cancelacion", "--comentario", "a" * 2001)
    assert foto(cli, 1) == antes
    d = cli.abrir(2, "ana", "cancelacion", "--comentario", "a" * 2000)
    assert d["comentario"] == "a" * 2000


def test_an_empty_optional_comment_is_no_comment(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "actualizacion", "--comentario", "  ")
    assert d["comentario"] is None
    r = cli.ok("disputa", "revocar", d["id"], "--como", "ana", "--comentario", "")
    assert r["disputa"]["estado"] == "revocada"


def test_the_opening_comment_reaches_the_other_party_only(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    mensajes = cli.ok("bandeja", "--como", "beto")["mensajes"]
    assert len(mensajes) == 1
    m = mensajes[0]
    assert set(m) == CLAVES_MENSAJE
    assert (m["pedido"], m["disputa"], m["de"], m["para"], m["en"]) == (1, d["id"], "ana", "beto", T0_ISO)
    assert isinstance(m["id"], int)
    assert "Ya no lo necesito" in m["texto"]
    assert cli.ok("bandeja", "--como", "ana") == {"mensajes": []}


@pytest.mark.parametrize(
    ("como", "tipo", "extra"),
    [
        ("carla", "actualizacion", ()),
        ("beto", "actualizacion", ()),
        ("ana", "prorroga", ("--nueva-entrega", t(days=10))),
        ("ana", "extras", ("--extras-precio", "5", "--extras-descripcion", "Más")),
    ],
)
def test_a_non_party_or_a_role_without_that_type_is_not_allowed_to_open(cli, como, tipo, extra):
    cli.pedido()
    antes = foto(cli, 1)
    cli.fails(4, "disputa", "abrir", 1, "--como", como, "--tipo", tipo, *extra)
    assert foto(cli, 1) == antes


def test_an_order_with_an_open_request_refuses_a_second_one(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    antes = foto(cli, 1)
    cli.fails(1, "disputa", "abrir", 1, "--como", "beto", "--tipo", "cancelacion", "--motivo", "otro",
              "--comentario", "x")  # fmt: skip
    cli.fails(1, "disputa", "abrir", 1, "--como", "ana", "--tipo", "actualizacion")
    assert foto(cli, 1) == antes


def test_a_completed_order_sends_the_user_to_customer_support(cli):
    cli.pedido()
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    cli.ok("pedido", "completar", 1, "--como", "ana")
    antes = foto(cli, 1)
    r = cli.fails(1, "disputa", "abrir", 1, "--como", "beto", "--tipo", "cancelacion", "--motivo", "cliente_lo_pidio")
    assert "Atención al cliente" in r.error["mensaje"]
    r = cli.run("disputa", "abrir", 1, "--como", "ana", "--tipo", "actualizacion")
    assert r.code == 1
    assert "Atención al cliente" in una_linea_de_error(r)
    assert foto(cli, 1) == antes


def test_a_cancelled_order_cannot_use_the_resolution_center(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "cancelacion", "--comentario", "Adiós")
    cli.ok("disputa", "responder", d["id"], "--como", "beto", "--aceptar")
    antes = foto(cli, 1)
    cli.fails(1, "disputa", "abrir", 1, "--como", "ana", "--tipo", "actualizacion")
    assert foto(cli, 1) == antes


@pytest.mark.parametrize(
    ("como", "tipo", "extra"),
    [
        ("ana", "cancelacion", ("--comentario", "x", "--motivo", "otro")),
        ("ana", "actualizacion", ("--motivo", "otro")),
        ("beto", "extras", ("--extras-precio", "5", "--extras-descripcion", "x", "--nueva-entrega", t(days=9))),
        ("beto", "prorroga", ("--nueva-entrega", t(days=9), "--extras-precio", "5")),
        ("ana", "actualizacion", ("--nueva-entrega", t(days=9))),
    ],
)
def test_an_option_that_does_not_fit_the_type_is_bad_input(cli, como, tipo, extra):
    cli.pedido()
    antes = foto(cli, 1)
    cli.fails(2, "disputa", "abrir", 1, "--como", como, "--tipo", tipo, *extra)
    assert foto(cli, 1) == antes
