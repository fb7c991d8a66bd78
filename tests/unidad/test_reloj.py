"""Unit tests of the clock (SPEC §4): parsing dates and durations, zones, Spanish phrases, modes."""

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from resolucion_cli import reloj
from resolucion_cli.errores import EntradaInvalida
from resolucion_cli.reloj import ModoReloj
from tests.conftest import T0, T0_ISO

MADRID = reloj.zona("Europe/Madrid")
MEXICO = reloj.zona("America/Mexico_City")
UTC_ZONA = reloj.zona("UTC")


def utc(*partes) -> datetime:
    return datetime(*partes, tzinfo=UTC)


# --- parsear_fecha ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("2026-12-01", utc(2026, 12, 1)),
        ("2026-12-01T10:00", utc(2026, 12, 1, 10, 0)),
        ("2026-12-01 10:00", utc(2026, 12, 1, 10, 0)),
        ("2026-12-01T10:00:30", utc(2026, 12, 1, 10, 0, 30)),
        ("2026-12-01 10:00:30", utc(2026, 12, 1, 10, 0, 30)),
        ("2026-12-01T10:00Z", utc(2026, 12, 1, 10, 0)),
        ("2026-12-01T10:00:30Z", utc(2026, 12, 1, 10, 0, 30)),
        ("2026-12-01T10:00+01:00", utc(2026, 12, 1, 9, 0)),
        ("2026-12-01 10:00+01:00", utc(2026, 12, 1, 9, 0)),
        ("2026-12-01T10:00:00-06:00", utc(2026, 12, 1, 16, 0)),
        ("  2026-12-01T10:00  ", utc(2026, 12, 1, 10, 0)),
    ],
)
def test_every_iso_form_of_the_spec_is_read_in_utc(texto, esperado):
    resultado = reloj.parsear_fecha(texto, UTC_ZONA)

    assert resultado == esperado
    assert resultado.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("texto", "zona", "esperado"),
    [
        # Madrid is UTC+1 in winter and UTC+2 in summer
        ("2026-12-01T10:00", MADRID, utc(2026, 12, 1, 9, 0)),
        ("2026-12-01 10:00", MADRID, utc(2026, 12, 1, 9, 0)),
        ("2026-12-01T10:00:15", MADRID, utc(2026, 12, 1, 9, 0, 15)),
        ("2026-07-01T10:00", MADRID, utc(2026, 7, 1, 8, 0)),
        # Mexico City has been UTC-6 all year since 2022
        ("2026-12-01T10:00", MEXICO, utc(2026, 12, 1, 16, 0)),
        ("2026-07-01T10:00", MEXICO, utc(2026, 7, 1, 16, 0)),
    ],
)
def test_a_date_without_offset_is_read_in_the_given_zone(texto, zona, esperado):
    assert reloj.parsear_fecha(texto, zona) == esperado


@pytest.mark.parametrize(
    ("zona", "esperado"),
    [
        (MADRID, utc(2026, 11, 30, 23, 0)),
        (MEXICO, utc(2026, 12, 1, 6, 0)),
        (reloj.zona("UTC"), utc(2026, 12, 1, 0, 0)),
    ],
    ids=["madrid", "mexico", "utc"],
)
def test_a_date_without_time_is_midnight_in_the_given_zone(zona, esperado):
    assert reloj.parsear_fecha("2026-12-01", zona) == esperado


@pytest.mark.parametrize("zona", [MADRID, MEXICO], ids=["madrid", "mexico"])
@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("2026-12-01T10:00Z", utc(2026, 12, 1, 10, 0)),
        ("2026-12-01T10:00+01:00", utc(2026, 12, 1, 9, 0)),
        ("2026-07-01T10:00:00-06:00", utc(2026, 7, 1, 16, 0)),
    ],
)
def test_an_explicit_offset_wins_over_the_zone(zona, texto, esperado):
    assert reloj.parsear_fecha(texto, zona) == esperado


@pytest.mark.parametrize(
    "texto",
    ["", "   ", "mañana", "01/12/2026", "2026-12-01T10", "2026-12-01T10:00 tarde", "2026-12", "20261201", "hoy 10:00"],
)
def test_text_that_is_not_an_iso_date_is_bad_input(texto):
    with pytest.raises(EntradaInvalida):
        reloj.parsear_fecha(texto, UTC_ZONA)


@pytest.mark.parametrize(
    "texto",
    ["2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-12-01T25:00", "2026-12-01T10:60"],
)
def test_a_day_or_time_that_does_not_exist_is_bad_input(texto):
    with pytest.raises(EntradaInvalida):
        reloj.parsear_fecha(texto, MADRID)


def test_a_leap_day_of_a_leap_year_exists():
    assert reloj.parsear_fecha("2028-02-29", UTC_ZONA) == utc(2028, 2, 29)


@pytest.mark.parametrize("texto", ["1969-12-31T23:59Z", "9999-12-31"])
def test_a_date_outside_the_supported_years_is_bad_input(texto):
    with pytest.raises(EntradaInvalida):
        reloj.parsear_fecha(texto, UTC_ZONA)


def test_a_bad_date_is_quoted_back_with_control_characters_made_visible():
    with pytest.raises(EntradaInvalida) as error:
        reloj.parsear_fecha("2026\x1b[2J", UTC_ZONA, "--at")

    assert "\x1b" not in error.value.mensaje
    assert "--at" in error.value.mensaje


# --- parsear_duracion -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("90m", timedelta(minutes=90)),
        ("48h", timedelta(hours=48)),
        ("2d", timedelta(days=2)),
        ("1w", timedelta(weeks=1)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("1w2d3h4m", timedelta(weeks=1, days=2, hours=3, minutes=4)),
        ("P2DT3H", timedelta(days=2, hours=3)),
        ("PT90M", timedelta(minutes=90)),
        ("P1W", timedelta(weeks=1)),
        ("P2D", timedelta(days=2)),
        ("PT1M", timedelta(minutes=1)),  # M after T is minutes, not months
        ("P1DT1M", timedelta(days=1, minutes=1)),
        (" 48h ", timedelta(hours=48)),
    ],
)
def test_every_duration_form_of_the_spec(texto, esperado):
    assert reloj.parsear_duracion(texto) == esperado


@pytest.mark.parametrize("texto", ["P1M", "P1Y", "P1Y2D", "P2M3D", "p1m"])
def test_months_and_years_are_refused_because_they_have_no_fixed_length(texto):
    with pytest.raises(EntradaInvalida) as error:
        reloj.parsear_duracion(texto)

    assert "meses" in error.value.mensaje


@pytest.mark.parametrize("texto", ["0h", "0d", "0m", "P0D", "PT0S", "0w0d"])
def test_a_zero_duration_is_refused(texto):
    with pytest.raises(EntradaInvalida):
        reloj.parsear_duracion(texto)


@pytest.mark.parametrize(
    "texto", ["-1h", "-P1D", "abc", "", "  ", "P", "PT", "P1DT", "1h30", "1.5h", "h", "48 h", "2 días", "1x"]
)
def test_text_that_is_not_a_positive_duration_is_bad_input(texto):
    with pytest.raises(EntradaInvalida):
        reloj.parsear_duracion(texto)


@pytest.mark.parametrize("texto", ["99999999h", "100000d", "P99999W", "99999999999999999999999m", "P100000D"])
def test_a_huge_duration_is_refused(texto):
    with pytest.raises(EntradaInvalida):
        reloj.parsear_duracion(texto)


# --- parsear_fecha_o_duracion -----------------------------------------------------------


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("2026-12-01", utc(2026, 11, 30, 23, 0)),
        ("2026-12-01T10:00", utc(2026, 12, 1, 9, 0)),
        ("2026-12-01T10:00Z", utc(2026, 12, 1, 10, 0)),
        ("7d", timedelta(days=7)),
        ("48h", timedelta(hours=48)),
        ("P2DT3H", timedelta(days=2, hours=3)),
    ],
)
def test_a_date_or_a_duration_is_told_apart(texto, esperado):
    assert reloj.parsear_fecha_o_duracion(texto, MADRID, "--entrega") == esperado


@pytest.mark.parametrize("texto", ["mañana", "", "2026-02-30", "0h", "P1M", "-7d", "7 días"])
def test_neither_a_date_nor_a_duration_is_bad_input(texto):
    with pytest.raises(EntradaInvalida):
        reloj.parsear_fecha_o_duracion(texto, MADRID, "--entrega")


# --- zona -------------------------------------------------------------------------------


@pytest.mark.parametrize("nombre", ["Europe/Madrid", "America/Mexico_City", "UTC", "  Europe/Madrid  "])
def test_a_known_zone_name_gives_that_zone(nombre):
    tz = reloj.zona(nombre)

    assert str(tz) == nombre.strip()


@pytest.mark.parametrize("nombre", [None, "", "   "])
def test_no_zone_name_gives_the_local_zone(nombre):
    tz = reloj.zona(nombre)

    assert datetime(2026, 1, 1, tzinfo=tz).utcoffset() is not None


@pytest.mark.parametrize(
    "nombre", ["Marte/Olympus", "Europe/", "../etc/passwd", "/etc/passwd", "Europe/Madrid ahora", "UTC\x00", "\x1b[31m"]
)
def test_an_unknown_zone_name_is_bad_input(nombre):
    with pytest.raises(EntradaInvalida) as error:
        reloj.zona(nombre)

    assert "\x1b" not in error.value.mensaje
    assert "\x00" not in error.value.mensaje


# --- relativo ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("diferencia", "frase"),
    [
        (timedelta(days=1, hours=23), "vence en 1 día y 23 horas"),
        (timedelta(days=2), "vence en 2 días"),
        (timedelta(days=1), "vence en 1 día"),
        (timedelta(hours=1), "vence en 1 hora"),
        (timedelta(hours=5), "vence en 5 horas"),
        (timedelta(minutes=1), "vence en 1 minuto"),
        (timedelta(minutes=3), "vence en 3 minutos"),
        (timedelta(weeks=1), "vence en 1 semana"),
        (timedelta(weeks=2, days=3), "vence en 2 semanas y 3 días"),
        (timedelta(hours=3), "vence en 3 horas"),
        (timedelta(hours=-3), "venció hace 3 horas"),
        (timedelta(hours=-1), "venció hace 1 hora"),
        (timedelta(days=-1), "venció hace 1 día"),
        (timedelta(days=-2, hours=-1), "venció hace 2 días y 1 hora"),
        (timedelta(minutes=-1), "venció hace 1 minuto"),
    ],
)
def test_a_time_reads_as_a_spanish_phrase_with_singular_and_plural(diferencia, frase):
    assert reloj.relativo(T0 + diferencia, T0) == frase


def test_a_phrase_keeps_the_two_largest_units():
    assert reloj.relativo(T0 + timedelta(days=1, hours=2, minutes=3), T0) == "vence en 1 día y 2 horas"


def test_less_than_a_minute_is_said_so():
    assert reloj.relativo(T0 + timedelta(seconds=30), T0) == "vence en menos de un minuto"
    assert reloj.relativo(T0 - timedelta(seconds=30), T0) == "venció hace menos de un minuto"


def test_the_phrase_words_can_be_chosen():
    assert reloj.relativo(T0 + timedelta(hours=2), T0, "entrega en", "entregado hace") == "entrega en 2 horas"
    assert reloj.relativo(T0 - timedelta(hours=2), T0, "entrega en", "entregado hace") == "entregado hace 2 horas"


def test_the_deadline_instant_itself_reads_as_now():
    assert reloj.relativo(T0, T0) == "vence ahora"


# --- iso / legible ----------------------------------------------------------------------


def test_times_are_written_as_utc_with_a_z():
    assert reloj.iso(T0) == T0_ISO
    assert reloj.iso(datetime(2026, 3, 2, 10, 0, tzinfo=MADRID)) == T0_ISO
    assert reloj.desde_iso(reloj.iso(T0)) == T0


def test_human_times_are_shown_in_the_chosen_zone():
    assert reloj.legible(T0, MADRID) == "2026-03-02 10:00"
    assert reloj.legible(T0, MEXICO) == "2026-03-02 03:00"


# --- ahora_efectivo ---------------------------------------------------------------------


@freeze_time("2026-03-02T12:00:00Z")
def test_the_real_clock_follows_the_wall_clock_when_it_is_ahead():
    assert reloj.ahora_efectivo(T0, ModoReloj.REAL) == utc(2026, 3, 2, 12, 0)


@freeze_time("2026-03-02T12:00:00Z")
def test_the_real_clock_never_goes_back_behind_the_stored_clock():
    adelantado = T0 + timedelta(days=5)

    assert reloj.ahora_efectivo(adelantado, ModoReloj.REAL) == adelantado


@freeze_time("2026-03-02T12:00:00Z")
def test_the_simulated_clock_ignores_the_wall_clock():
    assert reloj.ahora_efectivo(T0, ModoReloj.SIMULADO) == T0
    assert reloj.ahora_efectivo(T0 + timedelta(days=5), ModoReloj.SIMULADO) == T0 + timedelta(days=5)


def test_the_real_clock_moves_with_the_wall_clock():
    with freeze_time("2026-03-02T12:00:00Z") as reloj_congelado:
        antes = reloj.ahora_efectivo(T0, ModoReloj.REAL)
        reloj_congelado.tick(timedelta(hours=2))
        despues = reloj.ahora_efectivo(T0, ModoReloj.REAL)

    assert despues - antes == timedelta(hours=2)


@freeze_time("2026-03-02T12:00:00.750000Z")
def test_the_wall_clock_is_read_in_utc_to_the_second():
    ahora = reloj.reloj_de_pared()

    assert ahora == utc(2026, 3, 2, 12, 0, 0)
    assert ahora.utcoffset() == timedelta(0)


def test_the_clock_modes_are_the_two_of_the_spec():
    assert {m.value for m in ModoReloj} == {"simulado", "real"}


# --- clock changes (SPEC §4) ------------------------------------------------------------

SANTIAGO = reloj.zona("America/Santiago")


@pytest.mark.parametrize(
    ("texto", "zona", "esperado"),
    [
        # Europe/Madrid springs forward on 2026-03-29 at 01:00 UTC: 02:00 becomes 03:00
        ("2026-03-29T01:59:59", MADRID, utc(2026, 3, 29, 0, 59, 59)),
        ("2026-03-29T03:00", MADRID, utc(2026, 3, 29, 1, 0)),
        ("2026-03-29T03:00:01", MADRID, utc(2026, 3, 29, 1, 0, 1)),
        # America/Santiago springs forward on 2026-09-06 at 04:00 UTC: 00:00 becomes 01:00
        ("2026-09-05T23:59:59", SANTIAGO, utc(2026, 9, 6, 3, 59, 59)),
        ("2026-09-06T01:00", SANTIAGO, utc(2026, 9, 6, 4, 0)),
    ],
)
def test_the_seconds_around_a_gap_exist(texto, zona, esperado):
    assert reloj.parsear_fecha(texto, zona) == esperado


@pytest.mark.parametrize(
    ("texto", "zona", "salto", "antes", "despues"),
    [
        ("2026-03-29T02:00", MADRID, "de 02:00 a 03:00", "2026-03-29 01:59:59", "2026-03-29 03:00"),
        ("2026-03-29 02:30", MADRID, "de 02:00 a 03:00", "2026-03-29 01:59:59", "2026-03-29 03:00"),
        ("2026-03-29T02:59:59", MADRID, "de 02:00 a 03:00", "2026-03-29 01:59:59", "2026-03-29 03:00"),
        ("2026-09-06T00:30", SANTIAGO, "de 00:00 a 01:00", "2026-09-05 23:59:59", "2026-09-06 01:00"),
    ],
)
def test_a_wall_time_the_zone_skips_is_refused_naming_the_gap(texto, zona, salto, antes, despues):
    with pytest.raises(EntradaInvalida) as error:
        reloj.parsear_fecha(texto, zona, "la fecha de --at")

    mensaje = error.value.mensaje
    assert mensaje.startswith(f"La fecha de --at «{texto}» no existe en {reloj.nombre_zona(zona)}")
    assert salto in mensaje
    assert f"usa {antes} o {despues}." in mensaje


@pytest.mark.parametrize(
    ("texto", "zona", "esperado"),
    [
        # Europe/Madrid falls back on 2026-10-25 at 01:00 UTC: 02:00-02:59 happens twice
        ("2026-10-25T02:30", MADRID, utc(2026, 10, 25, 0, 30)),
        ("2026-10-25T02:30+02:00", MADRID, utc(2026, 10, 25, 0, 30)),
        ("2026-10-25T02:30+01:00", MADRID, utc(2026, 10, 25, 1, 30)),
        ("2026-10-25T01:59:59", MADRID, utc(2026, 10, 24, 23, 59, 59)),
        ("2026-10-25T03:00", MADRID, utc(2026, 10, 25, 2, 0)),
        # America/Santiago falls back on 2026-04-05 at 03:00 UTC: 23:00-23:59 of the 4th twice
        ("2026-04-04T23:30", SANTIAGO, utc(2026, 4, 5, 2, 30)),
        ("2026-04-04T23:30-04:00", SANTIAGO, utc(2026, 4, 5, 3, 30)),
    ],
)
def test_a_repeated_wall_time_is_its_first_occurrence_unless_an_offset_says_otherwise(texto, zona, esperado):
    assert reloj.parsear_fecha(texto, zona) == esperado


def test_a_date_whose_midnight_is_skipped_is_the_first_instant_of_that_day():
    assert reloj.parsear_fecha("2026-09-06", SANTIAGO) == utc(2026, 9, 6, 4, 0)
    assert reloj.legible(utc(2026, 9, 6, 4, 0), SANTIAGO) == "2026-09-06 01:00"


@pytest.mark.parametrize("texto", ["2026-12-01T10:00+24:00", "2026-12-01T10:00-25:00", "2026-12-01T10:00+01:60"])
def test_an_offset_of_a_day_or_more_or_past_59_minutes_is_bad_input(texto):
    with pytest.raises(EntradaInvalida) as error:
        reloj.parsear_fecha(texto, UTC_ZONA, "la fecha de --at")

    assert error.value.mensaje.startswith("El desfase «")
    assert "de la fecha de --at no es válido: va de -23:59 a +23:59." in error.value.mensaje


# --- iso / legible: seconds and repeated hours --------------------------------------------


@pytest.mark.parametrize(
    ("momento", "zona", "texto"),
    [
        (utc(2026, 3, 25, 8, 59, 59), MADRID, "2026-03-25 09:59:59"),
        (utc(2026, 3, 25, 9, 0), MADRID, "2026-03-25 10:00"),
        (utc(2026, 3, 25, 9, 0, 1), UTC_ZONA, "2026-03-25 09:00:01"),
        # the two 02:30 of Madrid's fall-back night carry their offsets; the hours around do not
        (utc(2026, 10, 25, 0, 30), MADRID, "2026-10-25 02:30 +02:00"),
        (utc(2026, 10, 25, 1, 30), MADRID, "2026-10-25 02:30 +01:00"),
        (utc(2026, 10, 25, 1, 59, 59), MADRID, "2026-10-25 02:59:59 +01:00"),
        (utc(2026, 10, 24, 23, 59, 59), MADRID, "2026-10-25 01:59:59"),
        (utc(2026, 10, 25, 2, 0), MADRID, "2026-10-25 03:00"),
        (utc(2026, 3, 29, 1, 0), MADRID, "2026-03-29 03:00"),
        (utc(2026, 4, 5, 2, 30), SANTIAGO, "2026-04-04 23:30 -03:00"),
        (utc(2026, 4, 5, 3, 30), SANTIAGO, "2026-04-04 23:30 -04:00"),
    ],
)
def test_a_human_time_shows_seconds_when_not_zero_and_the_offset_on_a_repeated_hour(momento, zona, texto):
    assert reloj.legible(momento, zona) == texto


@pytest.mark.parametrize("zona", [MADRID, SANTIAGO, MEXICO, UTC_ZONA], ids=str)
def test_every_time_a_screen_shows_reads_back_as_the_same_instant(zona):
    momento = utc(2026, 1, 1)
    while momento.year == 2026:  # an odd step lands on seconds and inside every repeated hour
        assert reloj.parsear_fecha(reloj.legible(momento, zona), zona) == momento
        momento += timedelta(minutes=29, seconds=7)


def test_a_zone_is_named_by_its_iana_name():
    assert reloj.nombre_zona(MADRID) == "Europe/Madrid"
    assert reloj.nombre_zona(UTC_ZONA) == "UTC"


# --- durations: months, years and the minute -----------------------------------------------


@pytest.mark.parametrize("texto", ["1M", "2Y", "1y", "1d1M", "P1M"])
def test_a_month_or_year_written_short_is_refused_saying_minutes_are_m(texto):
    with pytest.raises(EntradaInvalida) as error:
        reloj.parsear_duracion(texto, "la duración de --avanzar")

    assert "meses o años" in error.value.mensaje
    assert "m minúscula" in error.value.mensaje


@pytest.mark.parametrize(("texto", "esperado"), [("1m", timedelta(minutes=1)), ("48H", timedelta(hours=48))])
def test_minutes_are_a_lowercase_m_and_other_units_take_either_case(texto, esperado):
    assert reloj.parsear_duracion(texto) == esperado


def test_a_number_of_days_agrees_with_its_noun():
    assert reloj.cantidad(1, "día", "días") == "1 día"
    assert reloj.cantidad(3, "día", "días") == "3 días"


def test_the_clock_cannot_be_pushed_past_the_year_9000_by_durations(tmp_path):
    """Typed dates stop at 9000; a clock pushed past it would later need deadlines past 9999."""
    from tests.conftest import Cli
    from tests.hostil import archivos

    cli = Cli(tmp_path / "fin.db")
    cli.ok("init", "--reloj", "8999-12-31T23:59:59Z")
    antes = archivos(cli.db)
    r = cli.fails(2, "tick", "--avanzar", "2s")
    assert archivos(cli.db) == antes
    assert r.error["mensaje"] == (
        "El reloj no puede pasar del año 9000: marca 8999-12-31 23:59:59 y --avanzar lo llevaría al "
        "9000-01-01 00:00:01."
    )
    assert cli.ok("tick", "--simular")["reloj"] == "8999-12-31T23:59:59Z"  # nothing moved
    assert cli.ok("tick", "--avanzar", "1s")["reloj"] == "9000-01-01T00:00:00Z"  # the last instant allowed
    cli.fails(2, "tick", "--avanzar", "1s")
    cli.fails(2, "tick", "--at", "9000-01-01T00:00:01Z")
