"""No English reaches a person: the parser's errors, --help, and broken data and scenario files (SPEC §7)."""

import ast
import gettext
import json
import os
import re
import shutil
import struct
import subprocess
import tomllib
from pathlib import Path

import click
import pytest
import typer
from typer.testing import CliRunner

from resolucion_cli import sintaxis
from resolucion_cli.cli import app
from resolucion_cli.cli.comun import mensaje_de_uso

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

CATALOGO = Path(__file__).parent.parent.parent / "resolucion_cli" / "locale" / "es" / "LC_MESSAGES"

# What Click, Typer, json and tomllib say in English; matched as whole words, case-insensitive.
INGLES = re.compile(
    r"\b(usage|options?|arguments?|commands?|got|did you mean|missing|unexpected|invalid|choose from|is not|"
    r"no such|try|for help|requires|does not take|possible|aborted|required|default|env var|expecting|illegal|"
    r"extra data|unterminated|line|column|env|error:\s+\w+error)\b|<str>|<int>|<text>|(?-i:\{[A-Z]+\})",
    re.IGNORECASE,
)


def resolucion(*argumentos: str):
    """The CLI in-process, under its real name (CliRunner would call it «root»)."""
    return CliRunner().invoke(app, [str(a) for a in argumentos], prog_name="resolucion")


def sin_ingles(texto: str) -> None:
    encontrado = INGLES.search(texto)
    assert encontrado is None, f"English «{encontrado[0]}» in:\n{texto}"


# --- the catalog ---------------------------------------------------------------------------


def _cadena(texto: str) -> str:
    return ast.literal_eval(f'"{texto}"')


def _entradas_po() -> dict[str, str]:
    """msgid → msgstr of the .po (one-line entries: the catalog is written that way); a plural
    entry gives both its msgids, each with its form."""
    texto = (CATALOGO / "resolucion.po").read_text(encoding="utf-8")
    entradas = {_cadena(i): _cadena(s) for i, s in re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"$', texto, re.M) if i}
    plurales = re.findall(
        r'^msgid "(.*)"\nmsgid_plural "(.*)"\nmsgstr\[0\] "(.*)"\nmsgstr\[1\] "(.*)"$', texto, re.MULTILINE
    )
    for singular, plural, uno, varios in plurales:
        entradas[_cadena(singular)] = _cadena(uno)
        entradas[_cadena(plural)] = _cadena(varios)
    return entradas


def test_the_compiled_catalog_matches_its_source():
    entradas = _entradas_po()
    texto = (CATALOGO / "resolucion.po").read_text(encoding="utf-8")
    plurales = {_cadena(a): _cadena(b) for a, b in re.findall(r'^msgid "(.*)"\nmsgid_plural "(.*)"$', texto, re.M)}
    mo = (CATALOGO / "resolucion.mo").read_bytes()
    with open(CATALOGO / "resolucion.mo", "rb") as archivo:
        traducciones = gettext.GNUTranslations(archivo)
    for msgid, msgstr in entradas.items():
        if msgid in plurales:
            assert traducciones.ngettext(msgid, plurales[msgid], 1) == msgstr, msgid
            assert traducciones.ngettext(msgid, plurales[msgid], 2) == entradas[plurales[msgid]], msgid
        elif msgid not in plurales.values():
            assert traducciones.gettext(msgid) == msgstr, msgid
    # the .mo header counts its strings: the .po's entries (a plural one counts once) plus the metadata one
    assert struct.unpack("<I", mo[8:12])[0] == len(entradas) - len(plurales) + 1


def test_the_catalog_source_is_valid_for_msgfmt():
    """The .po must compile: `msgfmt --check` also checks that each msgstr keeps its msgid's placeholders."""
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt is not installed")
    r = subprocess.run(
        ["msgfmt", "--check-format", "-o", os.devnull, CATALOGO / "resolucion.po"], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr


def _buscados(paquete) -> set[str]:
    """Every message a package looks up through gettext: the literals of its _() and ngettext() calls."""
    buscados = set()
    for archivo in Path(paquete.__file__).parent.glob("*.py"):
        for nodo in ast.walk(ast.parse(archivo.read_text(encoding="utf-8"))):
            if isinstance(nodo, ast.Call) and getattr(nodo.func, "id", None) in ("_", "ngettext"):
                buscados |= {a.value for a in nodo.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return buscados


@pytest.mark.parametrize("paquete", [click, typer], ids=["click", "typer"])
def test_every_message_the_installed_click_and_typer_define_has_its_spanish(paquete):
    """A Click or Typer release that adds a message must not print it in English."""
    buscados = _buscados(paquete)
    assert len(buscados) > 10, "it no longer looks messages up through gettext: revisit the catalog"
    entradas = _entradas_po()
    assert buscados <= set(entradas), buscados - set(entradas)
    for msgid in buscados:
        assert entradas[msgid].strip(), msgid
        # placeholders keep the library's names; a label kept as is (the editor's "d", "Error") is not English
        sin_ingles(re.sub(r"\{\w*(![rsa])?\}|%\(\w+\)s", "", entradas[msgid]))


# --- the parser's errors -------------------------------------------------------------------


def _nombre(valor):
    return " ".join(valor) if isinstance(valor, list) else None


ERRORES_DE_USO = [
    (["pedid"], "El comando «pedid» no existe. ¿Quisiste decir 'pedido'?", "resolucion"),
    (["zzz"], "El comando «zzz» no existe.", "resolucion"),
    (["disputa", "abrri"], "El comando «abrri» no existe. ¿Quisiste decir 'abrir'?", "resolucion disputa"),
    (["--nope"], "La opción «--nope» no existe.", "resolucion"),
    (["--tz", "UTC", "pedido"], "La opción --tz va después del comando, no antes", "resolucion"),
    (["pedido", "--como", "ana", "listar"], "La opción --como va después del comando", "resolucion pedido"),
    (["pedido", "listar", "--limit", "3"], "La opción «--limit» no existe. ¿Quisiste decir '--limite'?", None),
    (["pedido", "listar", "--zzz"], "La opción «--zzz» no existe.", "resolucion pedido listar"),
    (["pedido", "ver"], "Falta el argumento 'PEDIDO'.", "resolucion pedido ver"),
    (["disputa", "abrir"], "Falta el argumento 'PEDIDO'.", "resolucion disputa abrir"),
    (["disputa", "responder"], "Falta el argumento 'SOLICITUD'.", "resolucion disputa responder"),
    (["explicar"], "Falta el argumento 'SOLICITUD'.", "resolucion explicar"),
    (["guion"], "Falta el argumento ARCHIVO: el guion que se ejecuta", None),
    (["pedido", "listar", "--como"], "La opción --como necesita un valor.", "resolucion pedido listar"),
    (["pedido", "listar", "--json=sí"], "La opción --json no lleva valor.", "resolucion pedido listar"),
    (["pedido", "ver", "1", "2"], "Sobra el argumento «2».", "resolucion pedido ver"),
    (["pedido", "ver", "1", "2", "3"], "Sobran los argumentos «2 3».", "resolucion pedido ver"),
    (["pedido", "listar", "--limite", "x"], "--limite debe ser un número entero", None),
    (["pedido", "listar", "--estado", "nada"], "«nada» no es válido: elige uno de activo", None),
    (["disputa", "abrir", "1", "--como", "ana", "--tipo", "volar"], "elige uno de actualizacion", None),
]


@pytest.mark.parametrize(("argumentos", "frase", "ayuda"), ERRORES_DE_USO, ids=_nombre)
def test_every_usage_error_is_one_spanish_sentence(cli, argumentos, frase, ayuda):
    r = resolucion(*argumentos[:2], "--db", cli.db, *argumentos[2:])
    assert r.exit_code == 2, r.output
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1, r.stderr
    assert frase in r.stderr, r.stderr
    if ayuda is not None:
        assert f"Consulta «{ayuda} --help»." in r.stderr, r.stderr
    sin_ingles(r.stderr)


@pytest.mark.parametrize(("argumentos", "frase", "ayuda"), ERRORES_DE_USO[:8], ids=_nombre)
def test_a_usage_error_with_json_is_the_spanish_error_object(cli, argumentos, frase, ayuda):
    r = cli.fails(2, *argumentos)
    assert frase in r.error["mensaje"]
    sin_ingles(r.error["mensaje"])


def test_no_suggestion_is_made_up_for_a_word_unlike_any_command(cli):
    assert "Quisiste" not in cli.run("zzz").err


@pytest.mark.parametrize(
    "error",
    [
        lambda c: click.UsageError(click.core._("Missing command."), c),
        lambda c: click.NoSuchOption("--x", possibilities=["--xy"], ctx=c),
        lambda c: click.BadOptionUsage(
            "--x", click.core._("Option {name!r} does not take a value.").format(name="--x"), c
        ),
        lambda c: click.MissingParameter(ctx=c, param=c.command.params[0]),
        lambda c: click.BadParameter("«x» no vale", ctx=c, param=c.command.params[0]),
        lambda c: click.NoSuchOption("--x", possibilities=["--xy", "--xz"], ctx=c),
    ],
    ids=["sin-comando", "opcion", "sin-valor", "falta", "valor", "varias"],
)
def test_any_click_usage_error_reads_in_spanish_with_its_hint(error):
    """Whatever Click raises, its words come from the catalog: nothing is rebuilt by hand."""
    comando = typer.main.get_command(app).commands["pedido"].commands["ver"]
    raiz = click.Context(click.Group("resolucion"), info_name="resolucion")
    with click.Context(comando, info_name="ver", parent=raiz) as contexto:
        mensaje = mensaje_de_uso(error(contexto))
    assert mensaje.endswith("Consulta «resolucion ver --help»."), mensaje
    sin_ingles(mensaje)


# --- help ---------------------------------------------------------------------------------


def _rutas(comando, ruta=()):
    yield list(ruta)
    for nombre, sub in getattr(comando, "commands", {}).items():
        yield from _rutas(sub, (*ruta, nombre))


RUTAS = list(_rutas(typer.main.get_command(app)))


@pytest.mark.parametrize("ruta", RUTAS, ids=lambda r: " ".join(r) or "resolucion")
def test_every_help_is_spanish_from_usage_to_panels(ruta):
    r = resolucion(*ruta, "--help")
    assert r.exit_code == 0, r.output
    primera = next(linea.strip() for linea in r.stdout.splitlines() if linea.strip())
    assert primera.startswith(f"Uso: {' '.join(['resolucion', *ruta])} [OPCIONES]"), primera
    sin_ingles(r.stdout)


@pytest.mark.parametrize(
    ("ruta", "uso"),
    [
        (["pedido", "ver"], "Uso: resolucion pedido ver [OPCIONES] PEDIDO"),
        (["disputa", "abrir"], "Uso: resolucion disputa abrir [OPCIONES] PEDIDO"),
        (["disputa", "responder"], "Uso: resolucion disputa responder [OPCIONES] SOLICITUD"),
        (["disputa", "revocar"], "Uso: resolucion disputa revocar [OPCIONES] SOLICITUD"),
        (["guion"], "Uso: resolucion guion [OPCIONES] [ARCHIVO]"),  # --listar needs none
        (["pedido"], "Uso: resolucion pedido [OPCIONES] COMANDO [ARGUMENTOS]..."),
    ],
)
def test_the_usage_line_names_what_each_argument_is(ruta, uso):
    assert uso in resolucion(*ruta, "--help").stdout


def test_the_help_is_spanish_whatever_the_locale():
    """gettext would fall back to English under LANG=C or an English locale: the tool picks Spanish itself."""
    resolucion = shutil.which("resolucion")
    assert resolucion, "the resolucion command is not installed"
    for idioma in ("C", "en_US.UTF-8"):
        entorno = {k: v for k, v in os.environ.items() if not k.startswith(("LANG", "LC_"))}
        entorno.update(LANG=idioma, LC_ALL=idioma, COLUMNS="100", NO_COLOR="1", LANGUAGE="en")
        ayuda = subprocess.run([resolucion, "pedido", "ver", "--help"], capture_output=True, text=True, env=entorno)
        assert "Uso: resolucion pedido ver [OPCIONES] PEDIDO" in ayuda.stdout and "[obligatorio]" in ayuda.stdout
        sin_ingles(ayuda.stdout)
        error = subprocess.run([resolucion, "pedid"], capture_output=True, text=True, env=entorno)
        assert error.returncode == 2 and "¿Quisiste decir 'pedido'?" in error.stderr
        sin_ingles(error.stderr)


# --- data files (init --datos) -------------------------------------------------------------

JSON_ROTO = [
    ('{\n  "formato": 1,\n  "pasos": [1,]\n}\n', 3, 15, "se esperaba un valor"),
    ('{\n  "formato": 1,\n}\n', 3, 1, "se esperaba el nombre de un campo"),
    ('{"formato" 1}', 1, 12, "falta «:»"),
    ('{"pasos": [1 2]}', 1, 14, "falta una coma"),
    ('{"pasos": []}\n{}', 2, 1, "sobra texto después"),
    ('{"pasos": ["abc', 1, 12, "no se cierra con comillas dobles"),
    ('{"pasos": ["a\tb"]}', 1, 14, "salto de línea o un tabulador"),
    ('{"pasos": ["\\x"]}', 1, 13, "barra invertida"),
]


@pytest.mark.parametrize(("texto", "linea", "columna", "motivo"), JSON_ROTO)
def test_a_broken_data_file_names_line_column_and_reason_in_spanish(tmp_path, texto, linea, columna, motivo):
    datos = tmp_path / "datos.json"
    datos.write_text(texto, encoding="utf-8")
    r = CliRunner().invoke(app, ["init", "--db", str(tmp_path / "x.db"), "--datos", str(datos)])
    assert r.exit_code == 2, r.output
    assert f"en la línea {linea}, columna {columna}: " in r.stderr and motivo in r.stderr, r.stderr
    assert "No se ha cargado nada." in r.stderr
    sin_ingles(r.stderr.replace(str(tmp_path), ""))


@pytest.mark.parametrize(
    ("contenido", "frase"),
    [
        (None, "No existe el archivo de datos"),
        (b'{"pasos": []}\n\xff', "no está en UTF-8 (línea 2, columna 1)"),
        ("carpeta", "es una carpeta, no un archivo"),
    ],
    ids=["falta", "latin1", "carpeta"],
)
def test_a_data_file_that_cannot_be_read_says_why_in_spanish(tmp_path, contenido, frase):
    datos = tmp_path / "datos.json"
    if isinstance(contenido, bytes):
        datos.write_bytes(contenido)
    elif contenido == "carpeta":
        datos.mkdir()
    r = CliRunner().invoke(app, ["init", "--db", str(tmp_path / "x.db"), "--datos", str(datos)])
    assert r.exit_code == 2 and frase in r.stderr, r.stderr
    assert "Error" not in r.stderr.removeprefix("Error:")  # no exception class name
    sin_ingles(r.stderr.replace(str(tmp_path), ""))


# --- scenario files (guion) ----------------------------------------------------------------

TOML_ROTO = [
    ('reloj = "2026-03-01T10:00:00Z"\n[[paso]]\naccion = "crear\n', "línea 3, columna 16", "un salto de línea"),
    ('x = "a\x01b"\n', "línea 1, columna 7", "U+0001"),
    ("a = 1\na = 2\n", "línea 2, columna 6", "se define dos veces"),
    ("a = 1\n[[paso]\n", "línea 2, columna 7", "falta «]]»"),
    ("a 1\n", "línea 1, columna 3", "falta «=»"),
    ("a = nada\n", "línea 1, columna 5", "el valor no es válido"),
    ("x = [1,\n", "al final del archivo", "el valor no es válido"),
]


@pytest.mark.parametrize(("texto", "donde", "motivo"), TOML_ROTO)
def test_a_broken_scenario_names_line_column_and_reason_in_spanish(tmp_path, texto, donde, motivo):
    guion = tmp_path / "g.toml"
    guion.write_text(texto, encoding="utf-8")
    r = CliRunner().invoke(app, ["guion", str(guion)])
    assert r.exit_code == 2, r.output
    assert "no es TOML válido" in r.stderr and donde in r.stderr and motivo in r.stderr, r.stderr
    assert "No se ha ejecutado nada." in r.stderr
    sin_ingles(r.stderr.replace(str(tmp_path), ""))


def test_every_reason_json_and_tomllib_give_here_has_its_spanish_sentence():
    """Guards the tables against the standard library's wording: none of these falls back."""
    for texto, *_ in JSON_ROTO:
        with pytest.raises(json.JSONDecodeError) as error:
            json.loads(texto)
        assert "la sintaxis no es válida" not in sintaxis.error_json(error.value)
    for texto, *_ in TOML_ROTO:
        with pytest.raises(tomllib.TOMLDecodeError) as error:
            tomllib.loads(texto)
        assert "la sintaxis no es válida" not in sintaxis.error_toml(error.value, texto)


def test_a_toml_error_with_fields_uses_them_and_an_unknown_reason_stays_spanish():
    """Python 3.14's TOMLDecodeError carries msg/lineno/colno; a reason we do not know is not shown."""

    class ErrorConCampos(ValueError):
        msg, lineno, colno = "Some new complaint", 4, 2

    assert sintaxis.error_toml(ErrorConCampos("Some new complaint (at line 4, column 2)"), "") == (
        "en la línea 4, columna 2: la sintaxis no es válida"
    )


def test_every_option_is_spelled_as_its_help_says():
    """Typer spells an option after its metavar when they differ only in case (`--TIPO` for metavar TIPO)."""
    for ruta in RUTAS:
        comando = typer.main.get_command(app)
        for nombre in ruta:
            comando = comando.commands[nombre]
        for parametro in comando.params:
            for opcion in parametro.opts:
                assert opcion == opcion.lower(), (ruta, opcion)


def test_shell_completion_speaks_spanish_when_it_installs_and_when_it_cannot(tmp_path):
    otra = CliRunner().invoke(app, ["--show-completion"], env={"SHELL": "/bin/tcsh"}, prog_name="resolucion")
    assert otra.exit_code == 2 and "No sé autocompletar en «tcsh»" in otra.stderr
    sin_ingles(otra.stderr)
    hecha = CliRunner().invoke(
        app, ["--install-completion"], env={"SHELL": "/bin/bash", "HOME": str(tmp_path)}, prog_name="resolucion"
    )
    assert hecha.exit_code == 0, hecha.output
    assert hecha.stdout.startswith("Autocompletado de bash instalado en ")
    sin_ingles(hecha.stdout.replace(str(tmp_path), ""))
    assert (tmp_path / ".bashrc").exists()
