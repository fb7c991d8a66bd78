"""Environment variables (RESOLUCION_DB, RESOLUCION_USUARIO, RESOLUCION_TZ) and time zones."""

import json

import pytest
from typer.testing import CliRunner

from resolucion_cli.cli import app
from tests.conftest import T0_ISO, Cli
from tests.esperado import pedido_esperado

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

# --- environment and time zones ---------------------------------------------------------


def test_resolucion_db_chooses_the_database(tmp_path):
    ruta = tmp_path / "desde_env.db"
    runner = CliRunner()
    r = runner.invoke(app, ["init", "--reloj", T0_ISO, "--json"], env={"RESOLUCION_DB": str(ruta)})
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["db"] == str(ruta.resolve())
    assert ruta.exists()
    r = runner.invoke(
        app,
        ["pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "T", "--precio", "1",
         "--entrega", "1d", "--json"],
        env={"RESOLUCION_DB": str(ruta)},
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert Cli(ruta).ok("pedido", "ver", 1)["pedido"]["titulo"] == "T"


def test_resolucion_usuario_acts_as_como(cli):
    cli.pedido()
    r = cli.run("pedido", "entregar", 1, "--json", env={"RESOLUCION_USUARIO": "beto"})
    assert r.code == 0, r
    assert r.data == {"pedido": pedido_esperado(estado="entregado")}
    r = cli.run("pedido", "completar", 1, "--json", env={"RESOLUCION_USUARIO": "beto"})
    assert r.code == 4, r
    r = cli.run("pedido", "completar", 1, "--json", "--como", "ana", env={"RESOLUCION_USUARIO": "beto"})
    assert r.code == 0, r


def test_resolucion_usuario_with_capitals_is_bad_input(cli):
    cli.pedido()
    r = cli.run("pedido", "entregar", 1, "--json", env={"RESOLUCION_USUARIO": "Beto"})
    assert r.code == 2 and r.error["codigo"] == 2, r
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == "activo"


def test_resolucion_tz_reads_naive_dates_and_shows_times_in_that_zone(cli):
    cli.pedido()
    r = cli.run("tick", "--at", "2026-03-02T12:00", "--json", env={"RESOLUCION_TZ": "Europe/Madrid"})
    assert r.code == 0, r
    assert r.data["reloj"] == "2026-03-02T11:00:00Z"
    r = cli.run("pedido", "ver", 1, env={"RESOLUCION_TZ": "Europe/Madrid"})
    assert r.code == 0, r
    assert "2026-03-02 12:00" in r.out  # the clock, 11:00 UTC, read in Madrid
    assert "2026-03-09 10:00" in r.out  # the delivery date, 09:00 UTC


def test_tz_option_reads_a_naive_at_in_that_zone(cli):
    assert cli.ok("tick", "--at", "2026-03-02T12:00", "--tz", "Europe/Madrid")["reloj"] == "2026-03-02T11:00:00Z"
    assert cli.ok("tick", "--at", "2026-03-03", "--tz", "Europe/Madrid")["reloj"] == "2026-03-02T23:00:00Z"
    # an explicit offset wins over the zone
    assert cli.ok("tick", "--at", "2026-03-03T00:00Z", "--tz", "Europe/Madrid")["reloj"] == "2026-03-03T00:00:00Z"


def test_tz_option_reads_a_naive_delivery_date_in_that_zone(cli):
    data = cli.ok("pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "L", "--precio", "1",
                  "--entrega", "2026-03-10", "--tz", "America/Mexico_City")  # fmt: skip
    assert data["pedido"]["fecha_entrega"] == "2026-03-10T06:00:00Z"


def test_an_unknown_time_zone_is_bad_input(cli):
    cli.pedido()
    r = cli.fails(2, "tick", "--at", "2026-03-03T10:00", "--tz", "Marte/Olimpo")
    assert "Marte/Olimpo" in r.error["mensaje"]
    cli.fails(2, "pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "L", "--precio", "1",
              "--entrega", "2026-03-10", "--tz", "Marte/Olimpo")  # fmt: skip
    assert cli.ok("tick")["reloj"] == T0_ISO
    assert [p["id"] for p in cli.ok("pedido", "listar")["pedidos"]] == [1]


def test_an_unknown_time_zone_is_bad_input_even_where_no_date_is_read(cli):
    cli.pedido()
    cli.fails(2, "pedido", "ver", 1, "--tz", "Marte/Olimpo")
    r = cli.run("pedido", "listar", "--json", env={"RESOLUCION_TZ": "No/Existe"})
    assert r.code == 2, r
    # malformed input is reported before "not found"
    cli.fails(2, "pedido", "ver", 999, "--tz", "Marte/Olimpo")


@pytest.mark.parametrize(
    "entorno, color",
    [
        ({"NO_COLOR": None}, False),
        ({"NO_COLOR": None, "FORCE_COLOR": "1", "TERM": "xterm"}, True),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1", "TERM": "xterm"}, False),
    ],
    ids=["tuberia", "force-color", "no-color-gana"],
)
def test_force_color_colours_a_screen_into_a_pipe_unless_no_color_says_otherwise(cli, entorno, color):
    cli.pedido()
    salida = cli.run("pedido", "ver", "1", env=entorno).out
    assert ("\x1b[" in salida) is color
    assert "Logo" in salida
    assert cli.run("pedido", "ver", "1", "--json", env=entorno).out.startswith('{"reloj"')
