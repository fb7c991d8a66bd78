"""Order numbers and request numbers overlap (#4 may be both): help and errors tell them apart.

The marketplace below gives nora order #5 whose open request is #4, while #4 is also another
order (martin's) and #5 another request: the two numbers a trainee confuses.
"""

import pytest
from typer.testing import CliRunner

from resolucion_cli.cli import app

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True


@pytest.fixture
def mercado(cli):
    for otro in ("otro1", "otro2", "otro3", "otro4"):
        cli.pedido(cliente="martin", freelancer=otro)
    cli.pedido(cliente="martin", freelancer="nora")  # #5
    for pedido in (1, 2, 3, 5):
        cli.abrir(pedido, "martin", "actualizacion")  # requests #1, #2, #3 and #4 (on order #5)
    return cli


def _estado(cli) -> dict:
    return {"disputas": cli.ok("disputa", "listar")["disputas"], "pedidos": cli.ok("pedido", "listar")["pedidos"]}


@pytest.mark.parametrize(
    "orden",
    [
        ("disputa", "responder", "5", "--como", "nora", "--actualizacion", "Listo mañana"),
        ("disputa", "revocar", "5", "--como", "martin"),
        ("explicar", "5", "--como", "nora"),
    ],
)
def test_an_order_number_where_a_request_number_goes_names_the_order_s_open_request(mercado, orden):
    antes = _estado(mercado)
    r = mercado.fails(3, *orden)
    assert r.error["mensaje"] == (
        "No existe la solicitud #5, pero sí el pedido #5: este comando pide el número de solicitud, "
        "y la solicitud abierta del pedido #5 es la #4."
    )
    assert _estado(mercado) == antes


def test_without_an_open_request_the_order_s_requests_are_listed_by_command(mercado):
    mercado.ok("disputa", "responder", 4, "--como", "nora", "--actualizacion", "Listo")
    r = mercado.fails(3, "disputa", "revocar", "5", "--como", "martin")
    assert r.error["mensaje"].endswith(
        "y las solicitudes del pedido #5 se ven con «resolucion disputa listar --pedido 5»."
    )


@pytest.mark.parametrize(
    "orden",
    [
        ("pedido", "ver", "7"),
        ("pedido", "entregar", "7", "--como", "nora"),
        ("pedido", "completar", "7", "--como", "martin"),
        ("disputa", "abrir", "7", "--como", "martin", "--tipo", "actualizacion"),
        ("mensaje", "7", "--como", "martin", "--texto", "hola"),
    ],
)
def test_a_request_number_where_an_order_number_goes_names_the_request_s_order(cli, orden):
    for _ in range(3):
        cli.pedido()
    for _ in range(7):  # requests #1..#7 on order #3, each revoked so the next can open
        d = cli.abrir(3, "ana", "actualizacion")
        cli.ok("disputa", "revocar", d["id"], "--como", "ana")
    antes = _estado(cli)
    r = cli.fails(3, *orden)
    assert r.error["mensaje"] == (
        "No existe el pedido #7, pero sí la solicitud #7 (del pedido #3): este comando pide el número de pedido."
    )
    assert _estado(cli) == antes


@pytest.mark.parametrize(
    "orden",
    [
        ("pedido", "ver", "4", "--como", "nora"),
        ("pedido", "entregar", "4", "--como", "nora"),
        ("disputa", "abrir", "4", "--como", "nora", "--tipo", "prorroga", "--nueva-entrega", "9d"),
        ("mensaje", "4", "--como", "nora", "--texto", "hola"),
    ],
)
def test_a_party_refused_on_an_order_that_is_also_their_request_s_number_is_told_so(mercado, orden):
    antes = _estado(mercado)
    r = mercado.fails(4, *orden)
    assert r.error["mensaje"] == (
        "«nora» no es parte del pedido #4: solo martin (cliente) y otro4 (freelancer) pueden actuar en él; "
        "#4 es también el número de una solicitud tuya (del pedido #5), y este comando pide el número de pedido."
    )
    assert _estado(mercado) == antes


@pytest.mark.parametrize(
    "orden",
    [
        ("disputa", "responder", "5", "--como", "nora", "--actualizacion", "Listo"),
        ("disputa", "revocar", "5", "--como", "nora"),
        ("explicar", "5", "--como", "nora"),
    ],
)
def test_a_party_refused_on_a_request_whose_number_is_also_their_order_is_told_so(mercado, orden):
    mercado.pedido(cliente="ana", freelancer="beto")  # #6
    mercado.abrir(6, "ana", "actualizacion")  # request #5, not nora's
    antes = _estado(mercado)
    r = mercado.fails(4, *orden)
    assert r.error["mensaje"] == (
        "«nora» no es parte del pedido #6: solo ana (cliente) y beto (freelancer) pueden actuar en él; "
        "este comando pide el número de solicitud y #5 es también el de tu pedido #5: "
        "la solicitud abierta del pedido #5 es la #4."
    )
    assert _estado(mercado) == antes


def test_no_hint_when_the_other_number_is_not_the_user_s_either(mercado):
    r = mercado.fails(4, "pedido", "ver", "4", "--como", "otro1")
    assert r.error["mensaje"] == (
        "«otro1» no es parte del pedido #4: solo martin (cliente) y otro4 (freelancer) pueden actuar en él."
    )
    assert mercado.fails(3, "pedido", "ver", "99").error["mensaje"] == (
        "No existe el pedido #99: consulta los pedidos con «resolucion pedido listar»."
    )
    assert mercado.fails(3, "disputa", "revocar", "99", "--como", "martin").error["mensaje"] == (
        "No existe la solicitud #99: consulta las solicitudes con «resolucion disputa listar»."
    )


@pytest.mark.parametrize(
    "orden, clase",
    [
        (("pedido", "ver"), "pedido"),
        (("pedido", "entregar"), "pedido"),
        (("pedido", "completar"), "pedido"),
        (("disputa", "abrir"), "pedido"),
        (("mensaje",), "pedido"),
        (("disputa", "responder"), "solicitud"),
        (("disputa", "revocar"), "solicitud"),
        (("explicar",), "solicitud"),
    ],
)
def test_help_says_which_number_each_command_takes(orden, clase):
    r = CliRunner().invoke(app, [*orden, "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0
    otra = "no el de una solicitud" if clase == "pedido" else "no el de su pedido"
    assert f"Número de {clase} (" in r.stdout and otra in r.stdout
    assert f"[OPCIONES] {clase.upper()}" in r.stdout
