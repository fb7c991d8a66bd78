"""Unit tests of what users type (SPEC §2, §3, §7): handles, money, titles, comments, ids."""

import pytest

from resolucion_cli import entrada, reglas
from resolucion_cli.errores import EntradaInvalida, Salida

# --- handles ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("ana", "ana"),
        ("ab", "ab"),
        ("a" * 32, "a" * 32),
        ("ana_89", "ana_89"),
        ("a.b-c_1", "a.b-c_1"),
        ("007", "007"),
        ("  beto  ", "beto"),
        ("añá", "añá"),
        ("peña", "peña"),
        ("josé", "josé"),
        ("güemes.ínés_óscar-úrsula", "güemes.ínés_óscar-úrsula"),
    ],
)
def test_a_valid_handle_is_accepted(texto, esperado):
    assert entrada.usuario(texto) == esperado


@pytest.mark.parametrize("texto", ["Ana", "ANA", "anA", "Beto_2", "Sistema", "José", "ÑANDÚ", "peÑa"])
def test_a_handle_with_capitals_is_refused_not_folded(texto):
    with pytest.raises(EntradaInvalida) as error:
        entrada.usuario(texto)

    assert "minúsculas" in error.value.mensaje


@pytest.mark.parametrize(
    "texto",
    [
        "a",
        "",
        "  ",
        "a" * 33,
        "ana garcía",
        "ana!",
        "ana@x",
        "ana/beto",
        "ａｎａ",
        "an\x1ba",
        "ana\u200b",
        "\u0430na",
        "ànà",
        "ç1",
        "ana\u0301\u0301",
    ],
    ids=[
        "1-char",
        "empty",
        "blank",
        "33-chars",
        "space",
        "bang",
        "at",
        "slash",
        "fullwidth",
        "escape",
        "zero-width",
        "cyrillic-a",
        "grave-accents",
        "cedilla",
        "two-acute-accents",
    ],
)
def test_an_invalid_handle_is_refused(texto):
    with pytest.raises(EntradaInvalida) as error:
        entrada.usuario(texto, "--cliente")

    assert "--cliente" in error.value.mensaje
    assert "\x1b" not in error.value.mensaje


def test_the_refusal_names_exactly_the_letters_a_handle_may_use():
    with pytest.raises(EntradaInvalida) as error:
        entrada.usuario("ana garcía")

    assert "letras minúsculas (a-z, ñ, á, é, í, ó, ú, ü), cifras, «_», «.» y «-»" in error.value.mensaje
    for letra in "ñáéíóúü":
        assert entrada.usuario(f"a{letra}") == f"a{letra}"


def test_an_accent_typed_as_two_code_points_is_the_same_user():
    compuesto, descompuesto = "jos\u00e9", "jose\u0301"

    assert entrada.usuario(descompuesto) == entrada.usuario(compuesto) == compuesto


def test_sistema_is_a_reserved_handle():
    with pytest.raises(EntradaInvalida) as error:
        entrada.usuario("sistema")

    assert "reservado" in error.value.mensaje


def test_bad_input_exits_with_code_2():
    with pytest.raises(EntradaInvalida) as error:
        entrada.usuario("X")

    assert error.value.codigo == Salida.ENTRADA_INVALIDA == 2


# --- money ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texto", "centavos"),
    [
        ("120", 120_00),
        ("120.5", 120_50),
        ("120,50", 120_50),
        ("120,5", 120_50),
        ("120.05", 120_05),
        ("0.01", 1),
        ("0,99", 99),
        ("1", 100),
        (" 120 ", 120_00),
        ("007", 7_00),
        ("1234.50", 1234_50),
        ("1.234,50", 1234_50),
        ("US$ 1.234,50", 1234_50),
        ("US$1.234,5", 1234_50),
        ("US$ 120", 120_00),
        ("1.000,00", 1000_00),
        ("1.234.567", 1234567_00),
        ("1.234.567,89", 1234567_89),
        ("US$ 0,05", 5),
    ],
)
def test_an_amount_becomes_cents(texto, centavos):
    assert entrada.centavos(texto) == centavos


@pytest.mark.parametrize("texto", ["120.5055", "1234,555", "0.001", "1.000,001"])
def test_an_amount_with_more_than_two_decimals_is_refused(texto):
    with pytest.raises(EntradaInvalida):
        entrada.centavos(texto)


@pytest.mark.parametrize("texto", ["0", "0.00", "0,0", "-5", "-0.5", "-120,50"])
def test_an_amount_of_zero_or_less_is_refused(texto):
    with pytest.raises(EntradaInvalida):
        entrada.centavos(texto)


@pytest.mark.parametrize(
    "texto",
    ["abc", "", "  ", "1e3", "120.", ".5", "US$", "120€", "+5", "12 0", "١٢٠", "1,000.00", "12.34.56", "1.234.5"],
)
def test_text_that_is_not_an_amount_is_refused(texto):
    with pytest.raises(EntradaInvalida) as error:
        entrada.centavos(texto, "--extras-precio")

    assert "--extras-precio" in error.value.mensaje


@pytest.mark.parametrize("texto", ["10000001", "99999999999999999999", "9" * 400, "10000000.01"])
def test_a_huge_amount_is_refused(texto):
    with pytest.raises(EntradaInvalida):
        entrada.centavos(texto)


@pytest.mark.parametrize(("texto", "miles"), [("1.234", "1234"), ("1,234", "1234"), ("US$ 120.505", "120505")])
def test_one_separator_before_three_digits_is_refused_as_ambiguous_saying_how_to_write_it(texto, miles):
    with pytest.raises(EntradaInvalida) as error:
        entrada.centavos(texto)

    assert "ambiguo" in error.value.mensaje
    assert f"escribe {miles} o" in error.value.mensaje


@pytest.mark.parametrize(
    "centavos", [1, 5, 10, 99, 100, 1_00_00, 1234_50, 999_99, 1000_00, 1234567_89, entrada.MAX_CENTAVOS]
)
def test_every_amount_the_screens_print_reads_back_as_the_same_cents(centavos):
    assert entrada.centavos(reglas.dinero(centavos)) == centavos


# --- titles -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("Logo", "Logo"),
        ("  Logo  ", "Logo"),
        ("x", "x"),
        ("a" * 120, "a" * 120),
        ("Diseño [bold] 🎨", "Diseño [bold] 🎨"),
    ],
)
def test_a_title_of_1_to_120_characters_is_accepted(texto, esperado):
    assert entrada.texto_corto(texto, "--titulo") == esperado


@pytest.mark.parametrize("texto", ["", "   ", "a" * 121, "ñ" * 121])
def test_an_empty_or_too_long_title_is_refused(texto):
    with pytest.raises(EntradaInvalida) as error:
        entrada.texto_corto(texto, "--titulo")

    assert "--titulo" in error.value.mensaje


@pytest.mark.parametrize(
    "texto",
    ["\x1b[31mrojo", "uno\ndos", "uno\tdos", "bell\x07", "nul\x00", "del\x7f", "c1\x9b", "\u202eolleh", "a\u200bb"],
    ids=["escape", "newline", "tab", "bell", "nul", "del", "c1-csi", "bidi-override", "zero-width"],
)
def test_a_title_with_control_characters_is_refused(texto):
    with pytest.raises(EntradaInvalida):
        entrada.texto_corto(texto, "--titulo")


# --- comments ---------------------------------------------------------------------------


@pytest.mark.parametrize("texto", [None, "", "   ", "\n\t "])
def test_an_empty_comment_is_no_comment(texto):
    assert entrada.comentario(texto) is None


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("Hola", "Hola"),
        ("  Hola  ", "Hola"),
        ("a" * 2000, "a" * 2000),
        ("Línea 1\nLínea 2", "Línea 1\nLínea 2"),
        ("[bold]no es estilo[/bold]", "[bold]no es estilo[/bold]"),
    ],
)
def test_a_comment_up_to_2000_characters_is_kept(texto, esperado):
    assert entrada.comentario(texto) == esperado


def test_a_comment_over_2000_characters_is_refused():
    with pytest.raises(EntradaInvalida) as error:
        entrada.comentario("a" * 2001)

    assert "2000" in error.value.mensaje


@pytest.mark.parametrize(
    "texto",
    ["\x1b[2J borra la pantalla", "\x1b]0;titulo\x07", "campana\x07", "nul\x00", "\x9b31m", "\u202eolleh"],
    ids=["csi", "osc", "bell", "nul", "c1-csi", "bidi-override"],
)
def test_a_comment_with_escape_sequences_is_refused(texto):
    with pytest.raises(EntradaInvalida) as error:
        entrada.comentario(texto, "--actualizacion")

    assert "--actualizacion" in error.value.mensaje


# --- ids and bounded integers -----------------------------------------------------------


@pytest.mark.parametrize(("texto", "esperado"), [("3", 3), ("#3", 3), (" 12 ", 12), ("999999999", 999999999)])
def test_an_id_is_a_positive_integer(texto, esperado):
    assert entrada.identificador(texto, "pedido") == esperado


@pytest.mark.parametrize("texto", ["0", "-1", "abc", "", "3.5", "1e3", "9" * 19, "٣", "#", "3 4"])
def test_an_id_that_is_not_a_positive_integer_is_refused(texto):
    with pytest.raises(EntradaInvalida) as error:
        entrada.identificador(texto, "pedido")

    assert "pedido" in error.value.mensaje


@pytest.mark.parametrize(("texto", "esperado"), [("0", 0), ("3", 3), ("365", 365)])
def test_an_integer_within_bounds_is_accepted(texto, esperado):
    assert entrada.entero(texto, "--extras-dias", 0, 365) == esperado


@pytest.mark.parametrize("texto", ["366", "-1", "x", "", "2.5"])
def test_an_integer_out_of_bounds_is_refused(texto):
    with pytest.raises(EntradaInvalida) as error:
        entrada.entero(texto, "--extras-dias", 0, 365)

    assert "--extras-dias" in error.value.mensaje


def test_a_value_from_a_fixed_list_is_accepted_or_refused_with_the_choices():
    assert entrada.opcion_de(" prorroga ", ["actualizacion", "prorroga"], "--tipo") == "prorroga"
    with pytest.raises(EntradaInvalida) as error:
        entrada.opcion_de("Prorroga", ["actualizacion", "prorroga"], "--tipo")

    assert "actualizacion, prorroga" in error.value.mensaje


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [("prórroga", "prorroga"), ("actualización", "actualizacion"), ("cancelación", "cancelacion")],
)
def test_a_choice_written_with_its_spanish_accents_is_the_code_without_them(texto, esperado):
    assert entrada.opcion_de(texto, ["actualizacion", "cancelacion", "prorroga"], "--tipo") == esperado
    assert entrada.opcion_de("prorroga".replace("o", "o\u0301", 1), ["prorroga"], "--tipo") == "prorroga"


# --- limpiar ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texto", "visible"),
    [
        ("\x1b[31mrojo", "\\u001b[31mrojo"),
        ("a\x00b", "a\\u0000b"),
        ("bell\x07", "bell\\u0007"),
        ("del\x7f", "del\\u007f"),
        ("\x9b", "\\u009b"),
        ("\u202eolleh", "\\u202eolleh"),
        ("a\u200bb", "a\\u200bb"),
    ],
)
def test_limpiar_makes_control_characters_visible(texto, visible):
    assert entrada.limpiar(texto) == visible


@pytest.mark.parametrize("texto", ["Diseño de logotipo ñ €", "línea\nsiguiente", "con\ttab", "[bold]x[/bold]", ""])
def test_limpiar_leaves_ordinary_text_alone(texto):
    assert entrada.limpiar(texto) == texto
