"""More edges of the command line: files of other applications, newer versions, handles, escapes."""

import pytest

from tests.conftest import SOLO_SQLITE, T0_ISO, Cli
from tests.esperado import disputa_esperada, pedido_esperado

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

# --- more edges ------------------------------------------------------------------------


def test_a_sqlite_file_of_another_application_is_unusable_and_left_untouched(tmp_path):
    import sqlite3

    ruta = tmp_path / "ajena.db"
    with sqlite3.connect(ruta) as conexion:
        conexion.execute("CREATE TABLE facturas (id INTEGER PRIMARY KEY, total INTEGER)")
        conexion.execute("INSERT INTO facturas (total) VALUES (5)")
    conexion.close()
    contenido = ruta.read_bytes()
    otra = Cli(ruta)
    otra.fails(5, "init")
    otra.fails(5, "pedido", "listar")
    assert ruta.read_bytes() == contenido


@SOLO_SQLITE
def test_a_database_made_by_a_newer_version_is_unusable(cli):
    import sqlite3

    conexion = sqlite3.connect(cli.db)
    conexion.execute("PRAGMA user_version = 999")
    conexion.close()
    r = cli.fails(5, "pedido", "listar")
    assert "999" in r.error["mensaje"] or "nueva" in r.error["mensaje"]


def test_real_mode_clock_can_still_be_pushed_ahead_with_tick_at(tmp_path):
    otra = Cli(tmp_path / "real.db")
    otra.ok("init", "--reloj", "2099-01-01T00:00:00Z", "--modo-reloj", "real")
    data = otra.ok("tick", "--at", "2099-01-02T00:00:00Z")
    assert (data["reloj_anterior"], data["reloj"]) == ("2099-01-01T00:00:00Z", "2099-01-02T00:00:00Z")
    otra.fails(2, "tick", "--at", "2099-01-01T12:00:00Z")


@pytest.mark.parametrize(("usuario", "codigo"), [("a" * 32, 0), ("a" * 33, 2), ("ana.m_r-1", 0), ("ana!", 2)])
def test_handles_are_2_to_32_lowercase_letters_digits_and_separators(cli, usuario, codigo):
    r = cli.run("pedido", "crear", "--cliente", usuario, "--freelancer", "beto", "--titulo", "L",
                "--precio", "1", "--entrega", "1d", "--json")  # fmt: skip
    assert r.code == codigo, r
    if codigo == 0:
        assert r.data["pedido"]["cliente"] == usuario


def test_no_interactivo_is_accepted_and_a_missing_option_is_named(cli):
    cli.pedido()
    assert cli.ok("pedido", "listar", "--no-interactivo")["pedidos"][0]["id"] == 1
    r = cli.fails(2, "disputa", "abrir", 1, "--como", "ana", "--no-interactivo")
    assert "--tipo" in r.error["mensaje"]
    r = cli.fails(2, "disputa", "responder", 1, "--como", "beto", "--no-interactivo")
    assert "--aceptar" in r.error["mensaje"]


def test_an_escape_sequence_in_user_text_never_reaches_the_terminal(cli):
    cli.pedido()
    r = cli.run("disputa", "abrir", 1, "--como", "ana", "--tipo", "cancelacion", "--comentario", "\x1b[31mrojo\x1b[0m")
    assert "\x1b" not in r.out and "\x1b" not in r.err
    r = cli.run("pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "\x1b]0;hola\x07",
                "--precio", "1", "--entrega", "1d")  # fmt: skip
    assert r.code == 2, r
    assert "\x1b" not in r.err
    for args in (("pedido", "ver", 1), ("bandeja", "--como", "beto"), ("disputa", "listar")):
        salida = cli.run(*args)
        assert "\x1b" not in salida.out and "\x1b" not in salida.err


def test_a_late_order_shows_as_late_with_a_past_relative_time(cli):
    cli.pedido(entrega="1d")
    cli.ok("tick", "--avanzar", "2d")
    r = cli.run("pedido", "ver", 1)
    assert r.code == 0, r
    assert "ATRASADO" in r.out
    assert "hace 1 día" in r.out
    r = cli.run("pedido", "listar")
    assert "(atrasado)" in r.out


def test_tick_simular_with_siguiente_and_nothing_pending_is_refused(cli):
    cli.fails(1, "tick", "--siguiente", "--simular")
    assert cli.ok("tick")["reloj"] == T0_ISO


def test_accepting_with_a_comment_records_it_as_the_answer(cli):
    cli.pedido()
    cli.abrir(1, "beto", "cancelacion", "--motivo", "no_puedo_completar")
    data = cli.ok("disputa", "responder", 1, "--como", "ana", "--aceptar", "--comentario", "De acuerdo")
    assert data == {
        "disputa": disputa_esperada(
            1, 1, "cancelacion", "beto", "freelancer", "ana", estado="aceptada",
            motivo="no_puedo_completar", respuesta="De acuerdo", resuelta_en=T0_ISO, resuelta_por="ana",
        ),
        "pedido": pedido_esperado(estado="cancelado"),
    }  # fmt: skip
    assert cli.ok("pedido", "ver", 1)["plazos"] == []
