"""The parsers of `entrada` and `reloj` never fail with anything but EntradaInvalida (hypothesis)."""

import re
import string
import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from resolucion_cli import entrada, reloj
from resolucion_cli.errores import EntradaInvalida
from tests.hostil import CONTROL

# --- 8. the parsers never fail with anything but EntradaInvalida -------------------------

fechas_parecidas = st.builds(
    lambda a, m, d, sep, h, mi, s, zona: (
        f"{a:04d}-{m:02d}-{d:02d}" + (f"{sep}{h:02d}:{mi:02d}{s}" if sep else "") + zona
    ),
    st.integers(0, 9999),
    st.integers(0, 19),
    st.integers(0, 39),
    st.sampled_from(["", "T", " ", "t"]),
    st.integers(0, 29),
    st.integers(0, 69),
    st.sampled_from(["", ":00", ":59", ":61"]),
    st.sampled_from(["", "Z", "z", "+00:00", "-23:59", "+14:00", "+99:99", "+0530", "-05", "+1"]),
)
duraciones_parecidas = st.one_of(
    st.text(alphabet="0123456789PTWDHMSYpwdhmsy", max_size=24),
    st.builds(
        lambda numeros, unidades: "".join(f"{n}{u}" for n, u in zip(numeros, unidades, strict=False)),
        st.lists(st.integers(0, 10**30), max_size=5),
        st.lists(st.sampled_from(["w", "d", "h", "m", "s", "W", "D", "H", "M", "S", "Y"]), max_size=5),
    ),
    st.builds(lambda cuerpo: "P" + cuerpo, st.text(alphabet="0123456789TWDHMSY", max_size=16)),
)
textos = st.one_of(
    st.text(),
    st.text(alphabet=string.digits + string.ascii_letters + string.punctuation + " ", max_size=40),
    fechas_parecidas,
    duraciones_parecidas,
)
PARSERS = settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MINIMO, MAXIMO = datetime(1970, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)


def _solo_entrada_invalida(funcion, *args):
    """The value, or None when refused; anything but EntradaInvalida fails the test."""
    try:
        return funcion(*args)
    except EntradaInvalida as error:
        assert error.codigo == 2
        assert error.mensaje.strip()
        assert not CONTROL.search(error.mensaje), repr(error.mensaje)
        return None


@PARSERS
@given(textos)
@example("9999-12-31T23:59-23:59")
@example("0001-01-01T00:00+01:00")
@example("2026-02-30")
@example("2026-03-29T02:30")  # a local time that does not exist in Madrid
def test_parsing_a_date_returns_a_utc_date_in_range_or_refuses_it_as_bad_input(texto):
    for zona in (UTC, reloj.zona("Europe/Madrid")):
        valor = _solo_entrada_invalida(reloj.parsear_fecha, texto, zona)
        if valor is not None:
            assert valor.tzinfo is UTC and MINIMO <= valor <= MAXIMO


@PARSERS
@given(textos)
@example("1" * 5000 + "d")
@example("P" + "9" * 5000 + "D")
@example("P1M")
@example("PT")
def test_parsing_a_duration_returns_a_positive_duration_or_refuses_it_as_bad_input(texto):
    valor = _solo_entrada_invalida(reloj.parsear_duracion, texto)
    if valor is not None:
        assert timedelta(0) < valor <= reloj.DURACION_MAXIMA


@PARSERS
@given(textos)
@example("9999-12-31T23:59-23:59")
@example("1" * 5000 + "d")
def test_parsing_a_date_or_duration_returns_one_of_them_or_refuses_it_as_bad_input(texto):
    valor = _solo_entrada_invalida(reloj.parsear_fecha_o_duracion, texto, UTC, "la fecha de entrega")
    assert valor is None or isinstance(valor, datetime | timedelta)


@PARSERS
@given(textos)
@example("9" * 5000)
@example("0,001")
def test_parsing_money_returns_positive_cents_within_the_maximum_or_refuses_it(texto):
    valor = _solo_entrada_invalida(entrada.centavos, texto)
    assert valor is None or (isinstance(valor, int) and 0 < valor <= entrada.MAX_CENTAVOS)


@PARSERS
@given(textos)
def test_parsing_a_handle_returns_a_valid_handle_or_refuses_it(texto):
    valor = _solo_entrada_invalida(entrada.usuario, texto)
    assert valor is None or (
        re.fullmatch(r"[a-z0-9ñáéíóúü_.-]{2,32}", valor)
        and unicodedata.is_normalized("NFC", valor)
        and valor != "sistema"
    )


@PARSERS
@given(textos)
@example("#" + "9" * 30)
def test_parsing_an_id_returns_a_positive_integer_or_refuses_it(texto):
    valor = _solo_entrada_invalida(entrada.identificador, texto, "pedido")
    assert valor is None or (isinstance(valor, int) and 0 < valor < 10**18)


@PARSERS
@given(textos)
def test_parsing_a_comment_returns_clean_text_of_at_most_2000_characters_or_refuses_it(texto):
    valor = _solo_entrada_invalida(entrada.comentario, texto)
    assert valor is None or (0 < len(valor) <= 2000 and not CONTROL.search(valor))


@PARSERS
@given(textos)
def test_parsing_a_title_returns_one_clean_line_of_at_most_120_characters_or_refuses_it(texto):
    valor = _solo_entrada_invalida(entrada.texto_corto, texto, "--titulo")
    assert valor is None or (0 < len(valor) <= 120 and not CONTROL.search(valor) and "\n" not in valor)


@PARSERS
@given(textos)
@example("../../etc/passwd")
@example("America")
@example("\x00")
def test_parsing_a_time_zone_returns_a_zone_or_refuses_it(texto):
    valor = _solo_entrada_invalida(reloj.zona, texto)
    assert valor is None or datetime(2026, 1, 1, tzinfo=valor).utcoffset() is not None


@pytest.mark.parametrize(
    "args",
    [("tick", "--at", "9999-12-31T23:59-23:59"), ("tick", "--avanzar", "1" * 5000 + "d"),
     ("pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "T", "--precio", "1",
      "--entrega", "0001-01-01T00:00+01:00")],
    ids=["date past year 9999 in UTC", "duration with 5000 digits", "date before year 1 in UTC"],
)  # fmt: skip
def test_an_out_of_range_date_or_duration_on_the_command_line_is_bad_input(cli, args):
    r = cli.fails(2, *args)
    assert "inesperado" not in r.error["mensaje"]
