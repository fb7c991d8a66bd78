"""What the CLI reads about time, money and names (SPEC §2, §4), end to end through the commands."""

import sqlite3
from datetime import timedelta

import pytest

from resolucion_cli import reglas
from resolucion_cli.reloj import desde_iso, iso
from tests.conftest import T0, T0_ISO, Cli

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

MADRID = ("--tz", "Europe/Madrid")
SANTIAGO = ("--tz", "America/Santiago")


def _volcado(db) -> list[str]:
    with sqlite3.connect(db) as conexion:
        return list(conexion.iterdump())


@pytest.fixture
def cli_en(tmp_path):
    """A database whose clock starts at `reloj` (an instant in UTC)."""

    def crear(reloj: str) -> Cli:
        c = Cli(tmp_path / "fechas.db")
        c.ok("init", "--reloj", reloj)
        return c

    return crear


# --- the spring-forward gap --------------------------------------------------------------


@pytest.fixture
def cancelacion_en_el_salto(cli_en):
    """A cancellation due at 2026-03-29 01:15 UTC, that is 03:15 in Madrid, just after the jump."""
    c = cli_en("2026-03-27T01:15:00Z")
    c.pedido(entrega="30d")
    c.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    return c


def test_tick_at_a_madrid_time_that_does_not_exist_is_refused_and_fires_nothing(cancelacion_en_el_salto):
    c = cancelacion_en_el_salto
    antes = _volcado(c.db)

    r = c.fails(2, "tick", "--at", "2026-03-29 02:30", *MADRID)

    assert r.error["mensaje"] == (
        "La fecha de --at «2026-03-29 02:30» no existe en Europe/Madrid: el 2026-03-29 el reloj salta de "
        "02:00 a 03:00; usa 2026-03-29 01:59:59 o 2026-03-29 03:00."
    )
    assert _volcado(c.db) == antes


def test_tick_at_either_side_of_the_gap_works_and_the_deadline_fires_at_its_own_second(cancelacion_en_el_salto):
    c = cancelacion_en_el_salto

    antes_del_salto = c.ok("tick", "--at", "2026-03-29 01:59:59", *MADRID)
    assert antes_del_salto["reloj"] == "2026-03-29T00:59:59Z"
    assert antes_del_salto["procesados"] == []

    tras_el_salto = c.ok("tick", "--at", "2026-03-29 03:00", *MADRID)
    assert tras_el_salto["reloj"] == "2026-03-29T01:00:00Z"
    assert tras_el_salto["procesados"] == []

    un_segundo_antes = c.ok("tick", "--at", "2026-03-29 03:14:59", *MADRID)
    assert un_segundo_antes["procesados"] == []
    al_vencer = c.ok("tick", "--at", "2026-03-29 03:15", *MADRID)
    assert [p["vence_en"] for p in al_vencer["procesados"]] == ["2026-03-29T01:15:00Z"]


def test_the_human_tick_shows_the_seconds_of_one_second_before(cancelacion_en_el_salto):
    r = cancelacion_en_el_salto.run("tick", "--at", "2026-03-29 03:14:59", *MADRID)

    assert r.code == 0, r
    assert "→ 2026-03-29 03:14:59 (Europe/Madrid)" in r.out


@pytest.mark.parametrize(
    "argumentos",
    [
        ("pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "Logo", "--precio", "100",
         "--entrega", "2026-03-29T02:00"),
        ("disputa", "abrir", "1", "--como", "beto", "--tipo", "prorroga", "--nueva-entrega", "2026-03-29T02:59:59"),
    ],
    ids=["entrega", "nueva-entrega"],
)  # fmt: skip
def test_a_delivery_date_in_the_gap_is_refused(cancelacion_en_el_salto, argumentos):
    c = cancelacion_en_el_salto
    antes = _volcado(c.db)

    r = c.fails(2, *argumentos, *MADRID)

    assert "no existe en Europe/Madrid" in r.error["mensaje"]
    assert _volcado(c.db) == antes


def test_init_with_a_clock_in_the_gap_creates_nothing(tmp_path):
    c = Cli(tmp_path / "nueva.db")

    r = c.fails(2, "init", "--reloj", "2026-03-29T02:30", *MADRID)

    assert "el reloj salta de 02:00 a 03:00" in r.error["mensaje"]
    assert not (tmp_path / "nueva.db").exists()


# --- the fall-back night -------------------------------------------------------------------


def test_a_repeated_madrid_hour_is_the_first_and_an_offset_picks_the_second(cli_en):
    c = cli_en("2026-10-24T12:00:00Z")

    assert c.ok("tick", "--at", "2026-10-25T02:30", *MADRID)["reloj"] == "2026-10-25T00:30:00Z"
    assert c.ok("tick", "--at", "2026-10-25T02:30+01:00", *MADRID)["reloj"] == "2026-10-25T01:30:00Z"


def test_a_tick_across_the_repeated_hour_shows_both_offsets(cli_en):
    c = cli_en("2026-10-25T00:30:00Z")

    r = c.run("tick", "--at", "2026-10-25T02:30+01:00", *MADRID)

    assert r.code == 0, r
    assert "Reloj: 2026-10-25 02:30 +02:00 → 2026-10-25 02:30 +01:00 (Europe/Madrid)" in r.out


def test_a_delivery_on_the_repeated_hour_shows_its_offset_on_the_order_screen(cli_en):
    c = cli_en("2026-10-20T12:00:00Z")
    c.pedido(entrega="2026-10-25T02:30+01:00")

    r = c.run("pedido", "ver", "1", *MADRID)

    assert r.code == 0, r
    assert "2026-10-25 02:30 +01:00" in r.out


def test_what_the_screen_shows_can_be_typed_back(cli_en):
    c = cli_en("2026-10-20T12:00:00Z")
    c.pedido(entrega="2026-10-25T02:30+01:00")

    c.ok("tick", "--at", "2026-10-25 02:30 +01:00", *MADRID)

    assert c.ok("pedido", "ver", "1")["reloj"] == "2026-10-25T01:30:00Z"


# --- a southern zone -----------------------------------------------------------------------


def test_santiago_skips_its_midnight_so_the_bare_date_is_one_oclock(cli_en):
    c = cli_en("2026-09-05T12:00:00Z")

    r = c.fails(2, "tick", "--at", "2026-09-06T00:30", *SANTIAGO)
    assert "no existe en America/Santiago: el 2026-09-06 el reloj salta de 00:00 a 01:00" in r.error["mensaje"]
    assert "usa 2026-09-05 23:59:59 o 2026-09-06 01:00." in r.error["mensaje"]

    assert c.ok("tick", "--at", "2026-09-06", *SANTIAGO)["reloj"] == "2026-09-06T04:00:00Z"


def test_santiagos_repeated_hour_is_the_first_and_shows_its_offset(cli_en):
    c = cli_en("2026-04-04T12:00:00Z")

    assert c.ok("tick", "--at", "2026-04-04T23:30", *SANTIAGO)["reloj"] == "2026-04-05T02:30:00Z"
    r = c.run("tick", "--at", "2026-04-04T23:30-04:00", *SANTIAGO)

    assert r.code == 0, r
    assert "2026-04-04 23:30 -03:00 → 2026-04-04 23:30 -04:00" in r.out


# --- durations -----------------------------------------------------------------------------


@pytest.mark.parametrize("duracion", ["1M", "P1M", "1y"])
def test_a_month_is_not_a_duration_and_the_clock_stays(cli, duracion):
    r = cli.fails(2, "tick", "--avanzar", duracion)

    assert "meses o años" in r.error["mensaje"]
    assert cli.ok("tick")["reloj"] == T0_ISO


def test_one_minute_is_a_lowercase_m(cli):
    assert cli.ok("tick", "--avanzar", "1m")["reloj"] == iso(T0 + timedelta(minutes=1))


def test_an_extension_takes_a_duration_from_the_clock_like_the_delivery_does(cli):
    cli.pedido(entrega="7d")

    disputa = cli.abrir(1, "beto", "prórroga", "--nueva-entrega", "40d")

    assert disputa["tipo"] == "prorroga"
    assert desde_iso(disputa["nueva_fecha_entrega"]) == T0 + timedelta(days=40)


def test_an_extension_given_as_a_duration_must_still_pass_the_current_delivery(cli):
    cli.pedido(entrega="7d")

    r = cli.fails(2, "disputa", "abrir", "1", "--como", "beto", "--tipo", "prorroga", "--nueva-entrega", "3d")

    assert "posterior a la actual" in r.error["mensaje"]


# --- money ---------------------------------------------------------------------------------


@pytest.mark.parametrize("precio", ["US$ 1.234,50", "1.234,50", "1234.50", "1234,5"])
def test_an_order_takes_its_price_as_the_screen_prints_it(cli, precio):
    assert cli.pedido(precio=precio)["precio_centavos"] == 1234_50


def test_the_price_on_the_screen_creates_the_same_order_again(cli):
    cli.pedido(precio="1234567.89")
    impreso = reglas.dinero(cli.ok("pedido", "ver", "1")["pedido"]["precio_centavos"])
    assert impreso in cli.run("pedido", "ver", "1").out

    assert cli.pedido(precio=impreso)["precio_centavos"] == 1234567_89


def test_an_ambiguous_price_is_refused_saying_how_to_write_it(cli):
    r = cli.fails(2, "pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "Logo",
                  "--precio", "1.234", "--entrega", "7d")  # fmt: skip

    assert r.error["mensaje"].startswith("--precio «1.234» es ambiguo")
    assert cli.ok("pedido", "listar")["pedidos"] == []


def test_extras_take_the_printed_format_too(cli):
    cli.pedido()

    disputa = cli.abrir(1, "beto", "extras", "--extras-precio", "US$ 1.000,00", "--extras-descripcion", "Un logo más")

    assert disputa["extras_centavos"] == 1000_00


# --- handles and choices -------------------------------------------------------------------


def test_a_spanish_handle_typed_either_way_is_one_user(cli):
    cli.pedido(cliente="peña", freelancer="jose\u0301")

    disputa = cli.abrir(1, "jos\u00e9", "cancelacion", "--motivo", "otro", "--comentario", "No llego")

    assert disputa["abierta_por"] == "jos\u00e9"
    assert disputa["destinatario"] == "peña"


def test_a_handle_with_a_letter_of_another_script_is_refused(cli):
    r = cli.fails(2, "pedido", "crear", "--cliente", "\u0430na", "--freelancer", "beto", "--titulo", "Logo",
                  "--precio", "100", "--entrega", "7d")  # fmt: skip

    assert "letras minúsculas (a-z, ñ, á, é, í, ó, ú, ü)" in r.error["mensaje"]


@pytest.mark.parametrize(("escrito", "tipo"), [("actualización", "actualizacion"), ("cancelación", "cancelacion")])
def test_a_request_type_written_with_its_accent_is_accepted(cli, escrito, tipo):
    cli.pedido()

    extra = ("--comentario", "Ya no lo necesito") if tipo == "cancelacion" else ()
    assert cli.abrir(1, "ana", escrito, *extra)["tipo"] == tipo
