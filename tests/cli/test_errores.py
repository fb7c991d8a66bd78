"""Which error wins (SPEC §7), and a refused command changes nothing."""

import pytest

from tests.conftest import T0_ISO
from tests.esperado import foto, t

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

# --- order of §7 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("disputa", "abrir", "999", "--como", "beto", "--tipo", "prorroga", "--nueva-entrega", "el lunes"),
        ("disputa", "abrir", "999", "--como", "ana", "--tipo", "queja"),
        ("disputa", "abrir", "999", "--como", "Ana", "--tipo", "actualizacion"),
        ("disputa", "abrir", "999", "--como", "ana", "--tipo", "cancelacion", "--comentario", "x" * 2001),
        ("disputa", "responder", "999", "--como", "beto", "--aceptar", "--rechazar"),
        ("disputa", "revocar", "999", "--como", "ana", "--comentario", "x" * 2001),
        ("pedido", "entregar", "999", "--como", "BETO"),
    ],
)
def test_malformed_input_beats_not_found(cli, args):
    cli.fails(2, *args)


def test_not_found_beats_not_allowed(cli):
    cli.pedido()
    cli.fails(3, "pedido", "ver", 999, "--como", "carla")
    cli.fails(3, "disputa", "revocar", 999, "--como", "carla")
    cli.fails(3, "disputa", "responder", 999, "--como", "carla", "--aceptar")
    cli.fails(3, "pedido", "entregar", 999, "--como", "carla")


def test_not_allowed_beats_a_rule(cli):
    cli.pedido()
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    cli.ok("pedido", "completar", 1, "--como", "ana")
    cli.fails(4, "disputa", "abrir", 1, "--como", "carla", "--tipo", "actualizacion")
    cli.fails(4, "disputa", "abrir", 1, "--como", "beto", "--tipo", "actualizacion")
    cli.fails(4, "pedido", "entregar", 1, "--como", "carla")
    cli.fails(4, "pedido", "completar", 1, "--como", "beto")
    cli.pedido()
    d = cli.abrir(2, "ana", "cancelacion", "--comentario", "No")
    cli.ok("disputa", "revocar", d["id"], "--como", "ana")
    cli.fails(4, "disputa", "responder", d["id"], "--como", "ana", "--aceptar")  # opener, and closed
    cli.fails(4, "disputa", "revocar", d["id"], "--como", "beto")  # not the opener, and closed


def test_not_allowed_beats_input_that_does_not_fit_the_type(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    cli.fails(4, "disputa", "responder", 1, "--como", "ana", "--actualizacion", "x")
    cli.fails(4, "disputa", "abrir", 1, "--como", "carla", "--tipo", "actualizacion", "--motivo", "otro")


def test_a_rule_beats_input_that_does_not_fit_the_type(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "actualizacion")
    cli.ok("disputa", "responder", d["id"], "--como", "beto", "--actualizacion", "Listo")
    cli.fails(1, "disputa", "responder", d["id"], "--como", "beto", "--aceptar")
    cli.ok("tick", "--avanzar", "1h")
    d2 = cli.abrir(1, "ana", "actualizacion")
    cli.ok("tick", "--at", d2["vence_en"])
    cli.fails(1, "disputa", "responder", d2["id"], "--como", "beto", "--rechazar")
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    cli.ok("pedido", "completar", 1, "--como", "ana")
    cli.fails(1, "disputa", "abrir", 1, "--como", "ana", "--tipo", "cancelacion", "--comentario", "x",
              "--motivo", "otro")  # fmt: skip
    cli.fails(1, "disputa", "abrir", 1, "--como", "beto", "--tipo", "extras", "--nueva-entrega", t(days=30),
              "--extras-precio", "5", "--extras-descripcion", "Más")  # fmt: skip


# --- bad input changes nothing ---------------------------------------------------------


@pytest.fixture
def escenario(cli):
    """Order 1 in dispute (ana's cancellation #1), order 2 delivered, order 3 completed."""
    cli.pedido()
    cli.pedido(titulo="Web")
    cli.pedido(titulo="App")
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Demasiado lento")
    cli.ok("pedido", "entregar", 2, "--como", "beto")
    cli.ok("pedido", "entregar", 3, "--como", "beto")
    cli.ok("pedido", "completar", 3, "--como", "ana")
    cli.ok("tick", "--avanzar", "3h")
    return cli


@pytest.mark.parametrize(
    ("codigo", "args"),
    [
        (2, ("pedido", "crear", "--cliente", "ana", "--freelancer", "ana", "--titulo", "X", "--precio", "1",
             "--entrega", "1d")),
        (2, ("pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "X", "--precio", "1",
             "--entrega", "2020-01-01")),
        (1, ("pedido", "entregar", "1", "--como", "beto")),
        (1, ("pedido", "completar", "1", "--como", "ana")),
        (4, ("pedido", "completar", "2", "--como", "beto")),
        (1, ("pedido", "entregar", "3", "--como", "beto")),
        (1, ("disputa", "abrir", "1", "--como", "beto", "--tipo", "prorroga", "--nueva-entrega", "2026-04-01")),
        (2, ("disputa", "abrir", "2", "--como", "ana", "--tipo", "cancelacion")),
        (2, ("disputa", "abrir", "2", "--como", "beto", "--tipo", "cancelacion", "--motivo", "otro")),
        (1, ("disputa", "abrir", "3", "--como", "ana", "--tipo", "cancelacion", "--comentario", "Cancelar")),
        (4, ("disputa", "responder", "1", "--como", "ana", "--aceptar")),
        (2, ("disputa", "responder", "1", "--como", "beto", "--actualizacion", "x")),
        (2, ("disputa", "responder", "1", "--como", "beto", "--aceptar", "--rechazar")),
        (4, ("disputa", "revocar", "1", "--como", "beto")),
        (2, ("disputa", "revocar", "1", "--como", "ana", "--comentario", "x" * 2001)),
        (3, ("disputa", "responder", "9", "--como", "beto", "--aceptar")),
        (2, ("tick", "--at", T0_ISO)),
        (2, ("tick", "--avanzar", "P1M")),
        (2, ("tick", "--at", "2026-03-05", "--tz", "Nowhere/Ciudad")),
        (2, ("init", "--reloj", "2026-01-01")),
    ],
)  # fmt: skip
def test_a_refused_command_changes_nothing(escenario, codigo, args):
    antes = foto(escenario, 1, 2, 3)
    escenario.fails(codigo, *args)
    assert foto(escenario, 1, 2, 3) == antes
