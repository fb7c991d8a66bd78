"""Human output and errors without `--json`: screens, tables, usage errors in Spanish."""

import json

from tests.conftest import T0_ISO, Cli
from tests.esperado import una_linea_de_error

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

# --- human output and errors without --json --------------------------------------------


def test_a_human_error_is_one_spanish_line_on_stderr(cli):
    cli.pedido()
    casos = [
        (3, ("pedido", "ver", "999")),
        (4, ("pedido", "entregar", "1", "--como", "ana")),
        (1, ("pedido", "completar", "1", "--como", "ana")),
        (2, ("tick", "--at", "mañana")),
        (2, ("pedido", "entregar", "1")),
    ]
    for codigo, args in casos:
        r = cli.run(*args)
        assert r.code == codigo, r
        una_linea_de_error(r)


def test_an_unknown_option_is_a_spanish_usage_error(cli):
    r = cli.run("pedido", "listar", "--nope")
    assert r.code == 2, r
    linea = una_linea_de_error(r)
    assert "--nope" in linea and "no existe" in linea
    assert "No such option" not in linea and "Usage" not in linea


def test_a_missing_argument_is_a_spanish_usage_error(cli):
    r = cli.run("pedido", "ver")
    assert r.code == 2, r
    linea = una_linea_de_error(r)
    assert "Falta el argumento" in linea
    assert "Missing" not in linea


def test_usage_errors_with_json_are_a_json_error_on_stderr(cli):
    r = cli.fails(2, "pedido", "listar", "--nope")
    assert set(r.error) == {"codigo", "mensaje"}
    assert "--nope" in r.error["mensaje"]
    r = cli.fails(2, "disputa", "revocar")
    assert json.loads(r.err) == {"error": {"codigo": 2, "mensaje": r.error["mensaje"]}}


def test_a_json_error_is_exactly_one_object_with_code_and_message(cli):
    r = cli.fails(3, "pedido", "ver", 42)
    assert json.loads(r.err) == {"error": {"codigo": 3, "mensaje": r.error["mensaje"]}}
    assert r.error["mensaje"].strip()


def test_pedido_ver_shows_title_state_who_acts_relative_time_and_history(cli):
    cli.pedido(titulo="Rediseño de marca")
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Demasiado caro")
    cli.ok("tick", "--avanzar", "1h")
    r = cli.run("pedido", "ver", 1)
    assert r.code == 0, r
    assert "Rediseño de marca" in r.out
    assert "En controversia" in r.out
    assert "beto debe responder" in r.out
    assert "vence en 1 día y 23 horas" in r.out
    assert "Historial" in r.out
    assert "abrió una solicitud" in r.out
    assert "Demasiado caro" in r.out
    assert "\x1b[" not in r.out
    assert r.err == ""


def test_user_text_is_shown_literally_never_as_markup(cli):
    titulo = "[bold]x[/bold] y [link=http://e.com]z[/link]"
    cli.pedido(titulo=titulo)
    cli.abrir(1, "ana", "cancelacion", "--comentario", "[red]rojo[/red]")
    for args in (("pedido", "ver", 1), ("pedido", "listar"), ("disputa", "listar"), ("bandeja", "--como", "beto")):
        r = cli.run(*args)
        assert r.code == 0, r
        assert "\x1b[" not in r.out
        if args[0] == "pedido":
            assert titulo in r.out, r
        else:
            assert "[red]rojo[/red]" in r.out, r


def test_human_output_has_no_escape_codes_even_without_no_color_when_piped(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    for args in (("pedido", "ver", 1), ("pedido", "listar"), ("tick",), ("disputa", "listar")):
        r = cli.run(*args, env={"NO_COLOR": None})
        assert r.code == 0, r
        assert "\x1b[" not in r.out


def test_pedido_listar_renders_a_table_with_the_orders(cli):
    cli.pedido(titulo="Logo nuevo")
    cli.pedido(cliente="carla", freelancer="dario", titulo="Tienda web", precio="1234,5")
    r = cli.run("pedido", "listar")
    assert r.code == 0, r
    for texto in ("Pedidos", "Logo nuevo", "Tienda web", "carla", "dario", "Activo", "US$ 1.234,50", "debe entregar"):
        assert texto in r.out, texto


def test_pedido_listar_without_orders_says_so(cli):
    r = cli.run("pedido", "listar")
    assert r.code == 0 and "No hay pedidos" in r.out


def test_disputa_listar_renders_a_table_with_the_requests(cli):
    cli.pedido()
    cli.abrir(1, "beto", "cancelacion", "--motivo", "cliente_no_responde")
    r = cli.run("disputa", "listar")
    assert r.code == 0, r
    for texto in ("Solicitar a tu cliente que cancele el pedido", "Abierta", "beto → ana", "El cliente no responde"):
        assert texto in r.out, texto


def test_tick_renders_processed_and_pending_deadlines(cli):
    cli.pedido()
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    cli.abrir(2, "beto", "extras", "--extras-precio", "5", "--extras-descripcion", "Más")
    r = cli.run("tick", "--avanzar", "3d")
    assert r.code == 0, r
    assert "2026-03-02 09:00 → 2026-03-05 09:00" in r.out
    assert "Plazos vencidos" in r.out and "el pedido vuelve a su estado anterior" in r.out
    assert "Plazos pendientes" in r.out and "ana debe responder" in r.out and "beto debe entregar" in r.out
    r = cli.run("tick", "--simular")
    assert r.code == 0 and "Simulación" in r.out


def test_bandeja_renders_a_table_of_messages(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo quiero")
    cli.ok("tick", "--avanzar", "2d")
    r = cli.run("bandeja", "--como", "beto")
    assert r.code == 0, r
    assert "Bandeja de beto" in r.out
    assert "Ya no lo quiero" in r.out
    assert "sistema" in r.out
    assert "2026-03-04 09:00" in r.out  # the notice carries the deadline's time
    assert "se canceló automáticamente" in r.out


def test_init_and_change_commands_print_a_human_summary(cli, tmp_path):
    r = Cli(tmp_path / "h.db").run("init", "--reloj", T0_ISO)
    assert r.code == 0 and "creada" in r.out, r
    r = cli.run("pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "Logo",
                "--precio", "100", "--entrega", "7d")  # fmt: skip
    assert r.code == 0 and "Pedido #1 creado" in r.out, r
    r = cli.run("disputa", "abrir", 1, "--como", "ana", "--tipo", "actualizacion")
    assert r.code == 0 and "Solicitud #1 abierta" in r.out and "beto tiene hasta el 2026-03-04 09:00" in r.out, r
