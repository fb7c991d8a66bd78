"""Rule sets: `init --politica aceptacion-automatica` and `--plazo TIPO=DURACION`."""

import pytest

from resolucion_cli import reglas
from resolucion_cli.modelo import EstadoDisputa, Resultado, TipoDisputa
from tests.conftest import T0_ISO

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True


def _en(horas: float) -> str:
    """T0 plus some hours, as the CLI writes instants."""
    from datetime import timedelta

    from tests.conftest import T0

    return (T0 + timedelta(hours=horas)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def automatica(cli):
    assert cli.ok("init", "--politica", "aceptacion-automatica")["politica"] == "aceptacion-automatica"
    return cli


ABRIR = {
    "actualizacion": ("ana", ()),
    "cancelacion": ("ana", ("--comentario", "Ya no lo necesito")),
    "prorroga": ("beto", ("--nueva-entrega", _en(24 * 20))),
    "extras": ("beto", ("--extras-precio", "25", "--extras-descripcion", "Versión vectorial", "--extras-dias", "2")),
    "reembolso_parcial": ("beto", ("--importe", "40")),
}
# Under the marketplace's current pages (issue 13): the deadline of each type, how an unanswered
# request ends, and the order afterwards (state, price, delivery in days from T0, refund).
VENCIMIENTOS = [
    ("actualizacion", 48, "vencida", "pedido_restaurado", "activo", 10000, 10, None),
    ("cancelacion", 48, "aceptada", "pedido_cancelado", "cancelado", 10000, 10, None),
    ("prorroga", 48, "aceptada", "solicitud_aceptada", "activo", 10000, 20, None),
    ("extras", 96, "vencida", "solicitud_revocada", "activo", 10000, 10, None),
    ("reembolso_parcial", 48, "aceptada", "solicitud_aceptada", "completado", 10000, 10, 4000),
]


@pytest.mark.parametrize("tipo, horas", [(v[0], v[1]) for v in VENCIMIENTOS])
def test_under_automatic_acceptance_each_type_waits_the_deadline_of_its_sources(automatica, tipo, horas):
    p = automatica.pedido(entrega="10d")
    como, extra = ABRIR[tipo]
    d = automatica.abrir(p["id"], como, tipo, *extra)
    assert d["politica"] == "aceptacion-automatica"
    assert d["vence_en"] == _en(horas)

    automatica.ok("tick", "--at", _en(horas - 1 / 3600))
    assert automatica.ok("pedido", "ver", p["id"])["disputas"][0]["estado"] == "abierta"


@pytest.mark.parametrize(
    "tipo, horas, estado_disputa, resultado, estado_pedido, precio, entrega, reembolso",
    VENCIMIENTOS,
    ids=[v[0] for v in VENCIMIENTOS],
)
def test_an_unanswered_request_ends_as_its_sources_say_at_its_deadline(
    automatica, tipo, horas, estado_disputa, resultado, estado_pedido, precio, entrega, reembolso
):
    p = automatica.pedido(entrega="10d")
    como, extra = ABRIR[tipo]
    d = automatica.abrir(p["id"], como, tipo, *extra)

    tick = automatica.ok("tick", "--at", _en(horas))

    assert [(x["disputa"], x["resultado"], x["vence_en"]) for x in tick["procesados"]] == [
        (d["id"], resultado, _en(horas))
    ]
    vista = automatica.ok("pedido", "ver", p["id"])
    assert vista["disputas"][0]["estado"] == estado_disputa
    assert vista["disputas"][0]["resuelta_por"] == "sistema"
    assert vista["disputas"][0]["resuelta_en"] == _en(horas)
    assert vista["pedido"]["estado"] == estado_pedido
    assert vista["pedido"]["precio_centavos"] == precio
    assert vista["pedido"]["fecha_entrega"] == _en(24 * entrega)
    assert vista["pedido"]["reembolso_centavos"] == reembolso
    assert automatica.ok("verificar")["ok"] is True


def test_a_delivered_order_completes_by_itself_after_three_days_without_an_answer(automatica):
    p = automatica.pedido()
    automatica.ok("pedido", "entregar", p["id"], "--como", "beto")
    plazo = next(x for x in automatica.ok("pedido", "ver", p["id"])["plazos"] if x["tipo"] == "aceptar_entrega")
    assert (plazo["vence_en"], plazo["responde"]) == (_en(72), "ana")

    automatica.ok("tick", "--at", _en(72 - 1 / 3600))
    assert automatica.ok("pedido", "ver", p["id"])["pedido"]["estado"] == "entregado"

    tick = automatica.ok("tick", "--at", _en(72))
    assert tick["procesados"] == [
        {
            "disputa": None,
            "pedido": p["id"],
            "tipo": "aceptar_entrega",
            "vence_en": _en(72),
            "resultado": "pedido_completado",
        }
    ]
    vista = automatica.ok("pedido", "ver", p["id"])
    assert vista["pedido"]["estado"] == "completado"
    assert vista["eventos"][-1]["actor"] == "sistema"
    avisos = [m for m in automatica.ok("bandeja", "--como", "ana")["mensajes"] if m["de"] == "sistema"]
    assert avisos and avisos[-1]["en"] == _en(72)


def test_a_request_on_a_delivered_order_starts_the_three_days_again(automatica):
    p = automatica.pedido()
    automatica.ok("pedido", "entregar", p["id"], "--como", "beto")
    automatica.ok("tick", "--at", _en(24))
    d = automatica.abrir(p["id"], "ana", "actualizacion")
    automatica.ok("tick", "--at", _en(30))
    automatica.ok("disputa", "responder", d["id"], "--como", "beto", "--actualizacion", "Ya está entregado")

    # Delivered at 0 h; without the request it would have completed at 72 h.
    automatica.ok("tick", "--at", _en(72))
    assert automatica.ok("pedido", "ver", p["id"])["pedido"]["estado"] == "entregado"
    tick = automatica.ok("tick", "--at", _en(30 + 72))
    assert [x["resultado"] for x in tick["procesados"]] == ["pedido_completado"]


def test_under_the_classic_rules_a_delivered_order_waits_for_the_client(cli):
    p = cli.pedido()
    cli.ok("pedido", "entregar", p["id"], "--como", "beto")
    assert all(x["tipo"] != "aceptar_entrega" for x in cli.ok("pedido", "ver", p["id"])["plazos"])
    cli.ok("tick", "--avanzar", "30d")
    assert cli.ok("pedido", "ver", p["id"])["pedido"]["estado"] == "entregado"


def test_switching_to_automatic_acceptance_changes_only_requests_opened_afterwards(cli):
    antes = cli.pedido(entrega="10d")
    despues = cli.pedido(entrega="10d")
    vieja = cli.abrir(antes["id"], "ana", "cancelacion", "--comentario", "No")
    assert (vieja["politica"], vieja["vence_en"]) == ("clasica", _en(48))

    cli.ok("init", "--politica", "aceptacion-automatica")
    nueva = cli.abrir(despues["id"], "ana", "cancelacion", "--comentario", "No")
    assert (nueva["politica"], nueva["vence_en"]) == ("aceptacion-automatica", _en(48))

    cli.ok("tick", "--at", _en(48))
    # Both cancel the order; each ends as its own rule set says: expired, or accepted by silence.
    assert cli.ok("pedido", "ver", antes["id"])["disputas"][0]["estado"] == "vencida"
    assert cli.ok("pedido", "ver", despues["id"])["disputas"][0]["estado"] == "aceptada"


def test_switching_back_to_classic_keeps_what_was_opened_under_automatic_acceptance(automatica):
    p = automatica.pedido(entrega="10d")
    d = automatica.abrir(p["id"], "beto", "reembolso_parcial", "--importe", "25")
    automatica.ok("init", "--politica", "clasica")
    # A new refund is refused now, but the open one still ends as its rules say.
    otro = automatica.pedido(entrega="10d")
    r = automatica.fails(1, "disputa", "abrir", otro["id"], "--como", "beto", "--tipo", "reembolso_parcial")
    assert "«clasica»" in r.error["mensaje"]
    automatica.ok("tick", "--at", _en(48))
    vista = automatica.ok("pedido", "ver", p["id"])
    assert vista["disputas"][0]["id"] == d["id"]
    assert vista["disputas"][0]["estado"] == "aceptada"
    assert (vista["pedido"]["estado"], vista["pedido"]["reembolso_centavos"]) == ("completado", 2500)


def test_a_deadline_override_applies_to_new_requests_of_that_type_only(cli):
    assert cli.ok("init", "--plazo", "cancelacion=24h")["politica"] == "clasica"
    p1, p2 = cli.pedido(), cli.pedido()
    cancelacion = cli.abrir(p1["id"], "ana", "cancelacion", "--comentario", "No")
    actualizacion = cli.abrir(p2["id"], "ana", "actualizacion")
    assert cancelacion["vence_en"] == _en(24)
    assert actualizacion["vence_en"] == _en(48)
    cli.ok("tick", "--at", _en(24))
    assert cli.ok("pedido", "ver", p1["id"])["pedido"]["estado"] == "cancelado"


def test_choosing_another_rule_set_drops_the_previous_overrides(cli):
    cli.ok("init", "--plazo", "extras=1h")
    cli.ok("init", "--politica", "aceptacion-automatica")
    p = cli.pedido()
    d = cli.abrir(p["id"], "beto", "extras", "--extras-precio", "10", "--extras-descripcion", "Más")
    assert d["vence_en"] == _en(96)


@pytest.mark.parametrize(
    "argumentos",
    [
        ("--politica", "relajada"),
        ("--plazo", "cancelacion"),
        ("--plazo", "devolucion=24h"),
        ("--plazo", "cancelacion=0h"),
        ("--plazo", "cancelacion=P1M"),
    ],
)
def test_an_unknown_rule_set_or_malformed_override_is_bad_input_and_changes_nothing(cli, argumentos):
    r = cli.fails(2, "init", *argumentos)
    assert "--p" in r.error["mensaje"] or "plazo" in r.error["mensaje"]
    assert cli.ok("init")["politica"] == "clasica"
    p = cli.pedido()
    assert cli.abrir(p["id"], "ana", "cancelacion", "--comentario", "No")["vence_en"] == _en(48)


def test_every_rule_set_says_what_every_request_it_offers_does_when_unanswered():
    assert reglas.CLASICA.tipos == set(TipoDisputa) - {TipoDisputa.REEMBOLSO_PARCIAL}
    assert reglas.ACEPTACION_AUTOMATICA.tipos == set(TipoDisputa)
    for politica in reglas.POLITICAS.values():
        assert set(politica.plazos) == set(politica.al_vencer) == politica.tipos
        for final, resultado in politica.al_vencer.values():
            assert final in (EstadoDisputa.VENCIDA, EstadoDisputa.ACEPTADA)
            assert isinstance(resultado, Resultado)


def test_init_reports_the_rule_set_of_a_new_database(tmp_path):
    from tests.conftest import Cli

    otra = Cli(tmp_path / "nueva.db")
    data = otra.ok("init", "--reloj", T0_ISO, "--politica", "aceptacion-automatica", "--plazo", "extras=72h")
    assert data["politica"] == "aceptacion-automatica"
    p = otra.pedido()
    d = otra.abrir(p["id"], "beto", "extras", "--extras-precio", "10", "--extras-descripcion", "Más")
    assert d["vence_en"] == _en(72)
