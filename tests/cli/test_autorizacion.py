"""Who may do what: the authorization matrix of SPEC §2–§3, on the command line; a refusal changes nothing."""

import json

import pytest

from tests.conftest import T0_ISO
from tests.hostil import volcado

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

# --- 9. who may do what: the authorization matrix of SPEC §2–§3 -------------------------

ANA, BETO, CARLA = "ana", "beto", "carla"
ABRIR = {
    "actualizacion": (),
    "cancelacion": ("--comentario", "Necesito cancelar"),
    "prorroga": ("--nueva-entrega", "2026-12-24"),
    "extras": ("--extras-precio", "10", "--extras-descripcion", "Más"),
}
MOTIVO = ("--motivo", "otro")

# (description, arguments, acting user, expected exit)
MATRIZ = [
    # pedido entregar: only the freelancer, only an active order
    ("entregar activo · cliente", ("pedido", "entregar", 1), ANA, 4),
    ("entregar activo · freelancer", ("pedido", "entregar", 1), BETO, 0),
    ("entregar activo · ajeno", ("pedido", "entregar", 1), CARLA, 4),
    ("entregar entregado · freelancer", ("pedido", "entregar", 2), BETO, 1),
    ("entregar entregado · cliente", ("pedido", "entregar", 2), ANA, 4),
    ("entregar en controversia · freelancer", ("pedido", "entregar", 4), BETO, 1),
    ("entregar otro pedido · freelancer de este", ("pedido", "entregar", 10), BETO, 4),
    # pedido completar: only the client, only a delivered order
    ("completar entregado · cliente", ("pedido", "completar", 2), ANA, 0),
    ("completar entregado · freelancer", ("pedido", "completar", 2), BETO, 4),
    ("completar entregado · ajeno", ("pedido", "completar", 2), CARLA, 4),
    ("completar activo · cliente", ("pedido", "completar", 1), ANA, 1),
    ("completar completado · cliente", ("pedido", "completar", 3), ANA, 1),
    # pedido ver --como: only the parties
    ("ver · cliente", ("pedido", "ver", 1), ANA, 0),
    ("ver · freelancer", ("pedido", "ver", 1), BETO, 0),
    ("ver · ajeno", ("pedido", "ver", 1), CARLA, 4),
    ("ver con disputa · ajeno", ("pedido", "ver", 4), CARLA, 4),
    ("ver pedido de otros · cliente de otro", ("pedido", "ver", 10), ANA, 4),
    # disputa abrir actualizacion: the client
    ("abrir actualizacion · cliente", ("disputa", "abrir", 1, "--tipo", "actualizacion"), ANA, 0),
    ("abrir actualizacion · freelancer", ("disputa", "abrir", 1, "--tipo", "actualizacion"), BETO, 4),
    ("abrir actualizacion · ajeno", ("disputa", "abrir", 1, "--tipo", "actualizacion"), CARLA, 4),
    ("abrir actualizacion completado · cliente", ("disputa", "abrir", 3, "--tipo", "actualizacion"), ANA, 1),
    ("abrir actualizacion completado · freelancer", ("disputa", "abrir", 3, "--tipo", "actualizacion"), BETO, 4),
    ("abrir actualizacion ya abierta · cliente", ("disputa", "abrir", 4, "--tipo", "actualizacion"), ANA, 1),
    # disputa abrir cancelacion: both parties
    ("abrir cancelacion · cliente", ("disputa", "abrir", 1, "--tipo", "cancelacion", *ABRIR["cancelacion"]), ANA, 0),
    ("abrir cancelacion · freelancer", ("disputa", "abrir", 1, "--tipo", "cancelacion", *MOTIVO,
                                        *ABRIR["cancelacion"]), BETO, 0),
    ("abrir cancelacion · ajeno", ("disputa", "abrir", 1, "--tipo", "cancelacion", *ABRIR["cancelacion"]), CARLA, 4),
    ("abrir cancelacion · ajeno con motivo", ("disputa", "abrir", 1, "--tipo", "cancelacion", *MOTIVO,
                                              *ABRIR["cancelacion"]), CARLA, 4),
    ("abrir cancelacion cancelado · cliente", ("disputa", "abrir", 11, "--tipo", "cancelacion",
                                               *ABRIR["cancelacion"]), ANA, 1),
    ("abrir cancelacion completado · freelancer", ("disputa", "abrir", 3, "--tipo", "cancelacion", *MOTIVO,
                                                   *ABRIR["cancelacion"]), BETO, 1),
    ("abrir cancelacion entregado · cliente", ("disputa", "abrir", 2, "--tipo", "cancelacion",
                                               *ABRIR["cancelacion"]), ANA, 0),
    # disputa abrir prorroga / extras: the freelancer
    ("abrir prorroga · cliente", ("disputa", "abrir", 1, "--tipo", "prorroga", *ABRIR["prorroga"]), ANA, 4),
    ("abrir prorroga · freelancer", ("disputa", "abrir", 1, "--tipo", "prorroga", *ABRIR["prorroga"]), BETO, 0),
    ("abrir prorroga · ajeno", ("disputa", "abrir", 1, "--tipo", "prorroga", *ABRIR["prorroga"]), CARLA, 4),
    ("abrir prorroga completado · freelancer", ("disputa", "abrir", 3, "--tipo", "prorroga", *ABRIR["prorroga"]),
     BETO, 1),
    ("abrir extras · cliente", ("disputa", "abrir", 1, "--tipo", "extras", *ABRIR["extras"]), ANA, 4),
    ("abrir extras · freelancer", ("disputa", "abrir", 1, "--tipo", "extras", *ABRIR["extras"]), BETO, 0),
    ("abrir extras · ajeno", ("disputa", "abrir", 1, "--tipo", "extras", *ABRIR["extras"]), CARLA, 4),
    ("abrir extras cancelado · freelancer", ("disputa", "abrir", 11, "--tipo", "extras", *ABRIR["extras"]), BETO, 1),
    # disputa responder: the recipient only, only while open
    ("responder cancelacion del cliente · destinatario", ("disputa", "responder", 1, "--aceptar"), BETO, 0),
    ("responder cancelacion del cliente · quien la abrió", ("disputa", "responder", 1, "--aceptar"), ANA, 4),
    ("responder cancelacion del cliente · ajeno", ("disputa", "responder", 1, "--aceptar"), CARLA, 4),
    ("responder cancelacion del freelancer · destinatario", ("disputa", "responder", 2, "--rechazar"), ANA, 0),
    ("responder cancelacion del freelancer · quien la abrió", ("disputa", "responder", 2, "--rechazar"), BETO, 4),
    ("responder cancelacion del freelancer · ajeno", ("disputa", "responder", 2, "--rechazar"), CARLA, 4),
    ("responder actualizacion · destinatario", ("disputa", "responder", 3, "--actualizacion", "Va bien"), BETO, 0),
    ("responder actualizacion · quien la abrió", ("disputa", "responder", 3, "--actualizacion", "Va bien"), ANA, 4),
    ("responder actualizacion · ajeno", ("disputa", "responder", 3, "--actualizacion", "Va bien"), CARLA, 4),
    ("responder prorroga · destinatario", ("disputa", "responder", 4, "--aceptar"), ANA, 0),
    ("responder prorroga · quien la abrió", ("disputa", "responder", 4, "--aceptar"), BETO, 4),
    ("responder prorroga · ajeno", ("disputa", "responder", 4, "--aceptar"), CARLA, 4),
    ("responder revocada · destinatario", ("disputa", "responder", 5, "--aceptar"), BETO, 1),
    ("responder revocada · quien la abrió", ("disputa", "responder", 5, "--aceptar"), ANA, 4),
    ("responder rechazada · destinatario", ("disputa", "responder", 6, "--aceptar"), ANA, 1),
    ("responder rechazada · ajeno", ("disputa", "responder", 6, "--aceptar"), CARLA, 4),
    # disputa revocar: the opener only, only while open
    ("revocar cancelacion del cliente · quien la abrió", ("disputa", "revocar", 1), ANA, 0),
    ("revocar cancelacion del cliente · destinatario", ("disputa", "revocar", 1), BETO, 4),
    ("revocar cancelacion del cliente · ajeno", ("disputa", "revocar", 1), CARLA, 4),
    ("revocar cancelacion del freelancer · quien la abrió", ("disputa", "revocar", 2), BETO, 0),
    ("revocar cancelacion del freelancer · destinatario", ("disputa", "revocar", 2), ANA, 4),
    ("revocar prorroga · quien la abrió", ("disputa", "revocar", 4), BETO, 0),
    ("revocar prorroga · destinatario", ("disputa", "revocar", 4), ANA, 4),
    ("revocar revocada · quien la abrió", ("disputa", "revocar", 5), ANA, 1),
    ("revocar revocada · destinatario", ("disputa", "revocar", 5), BETO, 4),
    ("revocar rechazada · quien la abrió", ("disputa", "revocar", 6), BETO, 1),
    ("revocar rechazada · ajeno", ("disputa", "revocar", 6), CARLA, 4),
    # bandeja: anyone who is a party of some order, each only their own messages
    ("bandeja · cliente", ("bandeja",), ANA, 0),
    ("bandeja · freelancer", ("bandeja",), BETO, 0),
    ("bandeja · parte solo de otro pedido", ("bandeja",), CARLA, 0),
    ("bandeja · nadie", ("bandeja",), "zoe", 4),
]  # fmt: skip


@pytest.mark.parametrize(("args", "como", "codigo"), [m[1:] for m in MATRIZ], ids=[m[0] for m in MATRIZ])
def test_only_the_party_the_rules_name_may_act_and_a_refusal_changes_nothing(base, args, como, codigo):
    antes = volcado(base.db)

    r = base.run(*args, "--como", como, "--json")

    assert r.code == codigo, r
    if codigo == 0:
        assert r.err == ""
        json.loads(r.out)
    else:
        assert r.out == ""
        assert r.error["codigo"] == codigo
        assert volcado(base.db) == antes


def test_a_successful_action_changes_exactly_what_the_rules_say(base):
    """The 0 rows of the matrix really act: a spot check of each kind."""
    assert base.ok("pedido", "entregar", 1, "--como", BETO)["pedido"]["estado"] == "entregado"
    assert base.ok("pedido", "completar", 2, "--como", ANA)["pedido"]["estado"] == "completado"
    r = base.ok("disputa", "responder", 1, "--como", BETO, "--aceptar")
    assert (r["disputa"]["estado"], r["pedido"]["estado"]) == ("aceptada", "cancelado")
    r = base.ok("disputa", "revocar", 2, "--como", BETO)
    assert (r["disputa"]["estado"], r["disputa"]["resuelta_por"], r["pedido"]["estado"]) == ("revocada", BETO, "activo")


def test_a_non_party_cannot_see_an_order_nor_learn_its_contents_from_the_refusal(base):
    r = base.fails(4, "pedido", "ver", 4, "--como", CARLA)
    assert "Vídeo" not in r.error["mensaje"] and "Me arrepentí" not in r.error["mensaje"]
    humano = base.run("pedido", "ver", 4, "--como", CARLA)
    assert humano.code == 4 and humano.out == ""
    assert "Vídeo" not in humano.err and "Me arrepentí" not in humano.err


def test_each_inbox_holds_only_its_owners_messages(base):
    for usuario in (ANA, BETO, CARLA):
        mensajes = base.ok("bandeja", "--como", usuario)["mensajes"]
        assert all(m["para"] == usuario for m in mensajes), usuario
    assert base.ok("bandeja", "--como", CARLA)["mensajes"] == []
    assert base.ok("disputa", "listar", "--como", CARLA)["disputas"] == []
    assert [p["id"] for p in base.ok("pedido", "listar", "--como", CARLA)["pedidos"]] == [10]


def test_the_fixture_has_the_requests_the_matrix_names(base):
    disputas = {d["id"]: d for d in base.ok("disputa", "listar")["disputas"]}
    assert {
        i: (d["pedido"], d["tipo"], d["estado"], d["abierta_por"], d["destinatario"]) for i, d in disputas.items()
    } == {
        1: (4, "cancelacion", "abierta", ANA, BETO),
        2: (5, "cancelacion", "abierta", BETO, ANA),
        3: (6, "actualizacion", "abierta", ANA, BETO),
        4: (7, "prorroga", "abierta", BETO, ANA),
        5: (8, "cancelacion", "revocada", ANA, BETO),
        6: (9, "extras", "rechazada", BETO, ANA),
        7: (11, "cancelacion", "aceptada", ANA, BETO),
    }
    assert base.ok("tick", "--simular")["reloj"] == T0_ISO
