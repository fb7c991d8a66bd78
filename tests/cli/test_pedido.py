"""`resolucion pedido`: crear, listar, ver, entregar, completar (in-process, `--json`)."""

import pytest

from tests.conftest import T0_ISO
from tests.esperado import CLAVES_EVENTO, CLAVES_VER, disputa_esperada, foto, pedido_esperado, t

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

# --- pedido crear ----------------------------------------------------------------------


def test_creating_an_order_returns_the_whole_order(cli):
    data = cli.ok(
        "pedido", "crear", "--cliente", "ana", "--freelancer", "beto",
        "--titulo", "Logo", "--precio", "100", "--entrega", "7d",
    )  # fmt: skip
    assert data == {"pedido": pedido_esperado()}


@pytest.mark.parametrize(
    ("precio", "centavos"),
    [("120", 12000), ("120.5", 12050), ("120,50", 12050), ("0.01", 1), ("  99,9 ", 9990)],
)
def test_prices_in_every_accepted_form_become_cents(cli, precio, centavos):
    assert cli.pedido(precio=precio)["precio_centavos"] == centavos


@pytest.mark.parametrize(
    ("entrega", "esperada"),
    [
        ("48h", t(hours=48)),
        ("1d12h", t(hours=36)),
        ("P2DT3H", t(hours=51)),
        ("1w", t(days=7)),
        ("90m", t(minutes=90)),
        ("2026-03-10", "2026-03-10T00:00:00Z"),
        ("2026-03-10T18:30", "2026-03-10T18:30:00Z"),
        ("2026-03-10 18:30", "2026-03-10T18:30:00Z"),
        ("2026-03-10T18:30:00+02:00", "2026-03-10T16:30:00Z"),
        ("2026-03-10T18:30Z", "2026-03-10T18:30:00Z"),
    ],
)
def test_delivery_takes_a_duration_from_the_clock_or_an_iso_date(cli, entrega, esperada):
    assert cli.pedido(entrega=entrega)["fecha_entrega"] == esperada


@pytest.mark.parametrize("falta", ["--cliente", "--freelancer", "--titulo", "--precio", "--entrega"])
def test_each_required_option_of_pedido_crear_is_named_when_missing(cli, falta):
    opciones = {
        "--cliente": "ana",
        "--freelancer": "beto",
        "--titulo": "Logo",
        "--precio": "100",
        "--entrega": "7d",
    }
    del opciones[falta]
    argumentos = [x for par in opciones.items() for x in par]
    r = cli.fails(2, "pedido", "crear", *argumentos)
    assert falta in r.error["mensaje"]
    assert cli.ok("pedido", "listar") == {"pedidos": []}


@pytest.mark.parametrize("precio", ["0", "0,00", "1.234", "abc", "-5", "12,345", "1e3", ""])
def test_a_bad_price_is_bad_input_and_creates_nothing(cli, precio):
    cli.fails(2, "pedido", "crear", "--cliente", "ana", "--freelancer", "beto",
              "--titulo", "Logo", "--precio", precio, "--entrega", "7d")  # fmt: skip
    assert cli.ok("pedido", "listar") == {"pedidos": []}


@pytest.mark.parametrize(
    ("opcion", "valor"),
    [
        ("--cliente", "Ana"),
        ("--freelancer", "BETO"),
        ("--cliente", "a"),
        ("--cliente", "ana maria"),
        ("--freelancer", "sistema"),
        ("--titulo", ""),
        ("--titulo", "x" * 121),
        ("--entrega", "mañana"),
        ("--entrega", "2026-02-30"),
        ("--entrega", "P1M"),
        ("--entrega", "2026-03-01"),
    ],
)
def test_a_bad_order_field_is_bad_input_and_creates_nothing(cli, opcion, valor):
    opciones = {
        "--cliente": "ana",
        "--freelancer": "beto",
        "--titulo": "Logo",
        "--precio": "100",
        "--entrega": "7d",
        opcion: valor,
    }
    cli.fails(2, "pedido", "crear", *[x for par in opciones.items() for x in par])
    assert cli.ok("pedido", "listar") == {"pedidos": []}


def test_a_capitalised_handle_is_refused_not_folded(cli):
    r = cli.fails(2, "pedido", "crear", "--cliente", "Ana", "--freelancer", "beto",
                  "--titulo", "Logo", "--precio", "1", "--entrega", "7d")  # fmt: skip
    assert "Ana" in r.error["mensaje"]
    p = cli.pedido()
    cli.fails(2, "pedido", "entregar", p["id"], "--como", "Beto")
    assert cli.ok("pedido", "ver", p["id"])["pedido"]["estado"] == "activo"


def test_the_same_user_on_both_sides_is_bad_input(cli):
    r = cli.fails(2, "pedido", "crear", "--cliente", "ana", "--freelancer", "ana",
                  "--titulo", "Logo", "--precio", "1", "--entrega", "7d")  # fmt: skip
    assert "ana" in r.error["mensaje"]
    assert cli.ok("pedido", "listar") == {"pedidos": []}


def test_a_title_of_exactly_120_characters_is_accepted(cli):
    assert cli.pedido(titulo="x" * 120)["titulo"] == "x" * 120


# --- pedido listar / ver / entregar / completar ----------------------------------------


def test_listing_orders_gives_whole_orders_by_id_and_filters_by_user_state_and_limit(cli):
    cli.pedido()
    cli.pedido(cliente="carla", freelancer="dario", titulo="Web", precio="250", entrega="3d")
    cli.pedido(cliente="beto", freelancer="carla", titulo="App")
    cli.ok("pedido", "entregar", 3, "--como", "carla")
    todos = cli.ok("pedido", "listar")
    assert todos == {
        "pedidos": [
            pedido_esperado(),
            pedido_esperado(2, "Web", "carla", "dario", precio=25000, entrega=t(days=3)),
            pedido_esperado(3, "App", "beto", "carla", estado="entregado"),
        ]
    }
    assert [p["id"] for p in cli.ok("pedido", "listar", "--como", "beto")["pedidos"]] == [1, 3]
    assert [p["id"] for p in cli.ok("pedido", "listar", "--estado", "entregado")["pedidos"]] == [3]
    assert [p["id"] for p in cli.ok("pedido", "listar", "--limite", "2")["pedidos"]] == [1, 2]
    assert cli.ok("pedido", "listar", "--como", "zoe") == {"pedidos": []}


@pytest.mark.parametrize("args", [("--estado", "pendiente"), ("--limite", "0"), ("--limite", "dos")])
def test_listing_orders_with_a_bad_filter_is_bad_input(cli, args):
    cli.fails(2, "pedido", "listar", *args)


def test_viewing_an_order_gives_the_whole_view_object(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "actualizacion", "--comentario", "¿Cómo va?")
    data = cli.ok("pedido", "ver", 1)
    assert set(data) == CLAVES_VER
    assert data["reloj"] == T0_ISO
    assert data["pedido"] == pedido_esperado(estado="en_controversia")
    assert data["disputas"] == [
        disputa_esperada(d["id"], 1, "actualizacion", "ana", "cliente", "beto", comentario="¿Cómo va?")
    ]
    assert data["plazos"] == [
        {"pedido": 1, "disputa": d["id"], "tipo": "actualizacion", "vence_en": t(hours=48), "responde": "beto"},
        {"pedido": 1, "disputa": None, "tipo": "entrega", "vence_en": t(days=7), "responde": "beto"},
    ]
    assert len(data["eventos"]) == 2
    for evento in data["eventos"]:
        assert set(evento) == CLAVES_EVENTO
        assert evento["en"] == T0_ISO and evento["actor"] == "ana"
        assert isinstance(evento["tipo"], str) and evento["detalle"]


def test_a_party_may_view_the_order_with_como(cli):
    cli.pedido()
    assert cli.ok("pedido", "ver", 1, "--como", "beto")["pedido"] == pedido_esperado()


def test_delivering_and_completing_return_the_whole_order(cli):
    cli.pedido()
    assert cli.ok("pedido", "entregar", 1, "--como", "beto") == {"pedido": pedido_esperado(estado="entregado")}
    assert cli.ok("pedido", "completar", 1, "--como", "ana") == {"pedido": pedido_esperado(estado="completado")}
    assert cli.ok("pedido", "ver", 1)["plazos"] == []


def test_a_delivered_order_owes_no_delivery_deadline(cli):
    cli.pedido()
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    assert cli.ok("pedido", "ver", 1)["plazos"] == []
    assert cli.ok("tick")["pendientes"] == []


def test_an_order_is_late_at_its_delivery_date_also_while_in_dispute(cli):
    cli.pedido(entrega="1d")
    cli.ok("tick", "--avanzar", "23h59m")
    assert cli.ok("pedido", "ver", 1)["pedido"]["atrasado"] is False
    cli.ok("tick", "--avanzar", "1m")
    assert cli.ok("pedido", "ver", 1)["pedido"]["atrasado"] is True
    cli.abrir(1, "ana", "actualizacion")
    assert cli.ok("pedido", "ver", 1)["pedido"]["atrasado"] is True
    # a late delivery is still a pending deadline
    entregas = [p for p in cli.ok("tick")["pendientes"] if p["tipo"] == "entrega"]
    assert entregas == [{"pedido": 1, "disputa": None, "tipo": "entrega", "vence_en": t(days=1), "responde": "beto"}]


def test_delivering_twice_or_completing_an_active_order_is_refused_by_a_rule(cli):
    cli.pedido()
    cli.fails(1, "pedido", "completar", 1, "--como", "ana")
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    antes = foto(cli, 1)
    cli.fails(1, "pedido", "entregar", 1, "--como", "beto")
    assert foto(cli, 1) == antes


def test_an_order_in_dispute_cannot_be_delivered(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    antes = foto(cli, 1)
    cli.fails(1, "pedido", "entregar", 1, "--como", "beto")
    assert foto(cli, 1) == antes


def test_only_the_freelancer_delivers_and_only_the_client_completes(cli):
    cli.pedido()
    cli.fails(4, "pedido", "entregar", 1, "--como", "ana")
    cli.fails(4, "pedido", "entregar", 1, "--como", "carla")
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    antes = foto(cli, 1)
    cli.fails(4, "pedido", "completar", 1, "--como", "beto")
    cli.fails(4, "pedido", "completar", 1, "--como", "carla")
    assert foto(cli, 1) == antes


@pytest.mark.parametrize(
    "args",
    [
        ("pedido", "ver", "999"),
        ("pedido", "entregar", "999", "--como", "beto"),
        ("pedido", "completar", "999", "--como", "ana"),
        ("disputa", "abrir", "999", "--como", "ana", "--tipo", "actualizacion"),
        ("disputa", "listar", "--pedido", "999"),
        ("disputa", "responder", "999", "--como", "beto", "--aceptar"),
        ("disputa", "revocar", "999", "--como", "ana"),
    ],
)
def test_unknown_orders_and_requests_are_not_found(cli, args):
    cli.pedido()
    r = cli.fails(3, *args)
    assert "999" in r.error["mensaje"]


@pytest.mark.parametrize("id", ["0", "-1", "tres", "1.5"])
def test_an_order_number_that_is_not_a_positive_integer_is_bad_input(cli, id):
    cli.fails(2, "pedido", "ver", id)


def test_a_non_party_cannot_view_an_order_with_como(cli):
    cli.pedido()
    r = cli.fails(4, "pedido", "ver", 1, "--como", "carla")
    assert "carla" in r.error["mensaje"]


@pytest.mark.parametrize(
    "args",
    [
        ("pedido", "entregar", "1"),
        ("pedido", "completar", "1"),
        ("disputa", "abrir", "1", "--tipo", "actualizacion"),
        ("disputa", "responder", "1", "--aceptar"),
        ("disputa", "revocar", "1"),
        ("bandeja",),
    ],
)
def test_commands_that_act_for_a_party_need_como(cli, args):
    cli.pedido()
    antes = foto(cli, 1)
    r = cli.fails(2, *args)
    assert "--como" in r.error["mensaje"]
    assert foto(cli, 1) == antes
