"""Security on the command line: hostile text, limits, handles, SQL-looking input and hostile
text already in the file (SPEC §2, §6, §7). Random use of the services is in
tests/almacen/test_al_azar.py, the fuzzed parsers in tests/unidad/test_parsers_hostiles.py,
who may do what in test_autorizacion.py.

Screens are read with NO_COLOR (set for every test by conftest) and a wide COLUMNS so that
a literal piece of text is never split by Rich's wrapping.
"""

import os
import sqlite3
import subprocess

import pytest

from tests.conftest import SOLO_SQLITE, T0_ISO
from tests.hostil import ANCHO, COMANDO, CONTROL, volcado

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

# --- 1. markup is text -----------------------------------------------------------------

TITULO = "[bold]x[/bold] [link=http://evil]y[/link] [/]"
COMENTARIO = "Ojo: [red]rojo[/red] [link=http://evil]aquí[/link] [/]"
ACTUALIZACION = "Voy por [bold]la mitad[/bold] [/]"
EXTRAS = "[italic]Dos[/italic] revisiones [link=http://evil]más[/link]"
RESPUESTA = "[/] No, [bold]gracias[/bold]"
REVOCACION = "[blink]Perdón[/blink] [/]"


def _literal(r, *textos) -> None:
    assert r.code == 0, r
    assert "\x1b" not in r.out
    for texto in textos:
        assert texto in r.out, (texto, r.out)
    # A link would have swallowed its markup and kept only the URL or the label.
    assert r.out.count("http://evil") == r.out.count("[link=http://evil]")


def test_rich_markup_in_every_user_text_is_stored_verbatim_and_shown_literally_on_every_screen(cli):
    cli.pedido(titulo=TITULO)
    d1 = cli.abrir(1, "ana", "actualizacion", "--comentario", COMENTARIO)
    cli.ok("disputa", "responder", d1["id"], "--como", "beto", "--actualizacion", ACTUALIZACION)
    d2 = cli.abrir(1, "beto", "extras", "--extras-precio", "10", "--extras-descripcion", EXTRAS)
    cli.ok("disputa", "responder", d2["id"], "--como", "ana", "--rechazar", "--comentario", RESPUESTA)
    d3 = cli.abrir(1, "ana", "cancelacion", "--comentario", COMENTARIO)
    cli.ok("disputa", "revocar", d3["id"], "--como", "ana", "--comentario", REVOCACION)
    d4 = cli.abrir(1, "ana", "actualizacion")

    vista = cli.ok("pedido", "ver", 1)
    assert vista["pedido"]["titulo"] == TITULO
    guardadas = [(d["comentario"], d["respuesta"], d["extras_descripcion"]) for d in vista["disputas"]]
    assert guardadas == [(COMENTARIO, ACTUALIZACION, None), (None, RESPUESTA, EXTRAS), (COMENTARIO, None, None)] + [
        (None, None, None)
    ]
    a_beto = " ".join(m["texto"] for m in cli.ok("bandeja", "--como", "beto")["mensajes"])
    a_ana = " ".join(m["texto"] for m in cli.ok("bandeja", "--como", "ana")["mensajes"])
    for texto in (COMENTARIO, RESPUESTA, REVOCACION):
        assert texto in a_beto
    for texto in (ACTUALIZACION, EXTRAS):
        assert texto in a_ana

    _literal(cli.run("pedido", "ver", 1, env=ANCHO), TITULO, COMENTARIO, ACTUALIZACION, EXTRAS, RESPUESTA)
    _literal(cli.run("pedido", "listar", env=ANCHO), TITULO)
    _literal(cli.run("disputa", "listar", env=ANCHO), COMENTARIO, ACTUALIZACION, EXTRAS, RESPUESTA)
    _literal(cli.run("bandeja", "--como", "beto", env=ANCHO), COMENTARIO, RESPUESTA, REVOCACION)
    _literal(cli.run("bandeja", "--como", "ana", env=ANCHO), ACTUALIZACION, EXTRAS)
    tick = cli.run("tick", "--avanzar", "48h", env=ANCHO)
    _literal(tick, "Plazos vencidos", f"#{d4['id']}")
    _literal(cli.run("pedido", "ver", 1, env=ANCHO), TITULO, COMENTARIO, EXTRAS)


# --- 2. control characters are refused --------------------------------------------------

SECUENCIAS = {
    "borrar pantalla": "\x1b[2J",
    "hipervínculo OSC 8": "\x1b]8;;http://e\x07",
    "retorno de carro": "\r",
    "campana": "\x07",
    "bidi RLO": "\u202e",
    "CSI de 8 bits": "\x9b2J",
}

# Where user text enters; each builds the arguments around the text, on `plantilla`.
LUGARES = {
    "título": lambda x: ("pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", x,
                         "--precio", "10", "--entrega", "7d"),
    "comentario al abrir": lambda x: ("disputa", "abrir", 1, "--como", "ana", "--tipo", "cancelacion",
                                      "--comentario", x),
    "descripción de extras": lambda x: ("disputa", "abrir", 1, "--como", "beto", "--tipo", "extras",
                                        "--extras-precio", "5", "--extras-descripcion", x),
    "comentario al responder": lambda x: ("disputa", "responder", 1, "--como", "beto", "--rechazar",
                                          "--comentario", x),
    "actualización": lambda x: ("disputa", "responder", 3, "--como", "beto", "--actualizacion", x),
    "comentario al revocar": lambda x: ("disputa", "revocar", 1, "--como", "ana", "--comentario", x),
    "usuario en --cliente": lambda x: ("pedido", "crear", "--cliente", x, "--freelancer", "beto", "--titulo", "T",
                                       "--precio", "10", "--entrega", "7d"),
    "usuario en --como": lambda x: ("bandeja", "--como", x),
    "zona en --tz": lambda x: ("pedido", "listar", "--tz", x),
}  # fmt: skip


@pytest.mark.parametrize("lugar", list(LUGARES))
def test_terminal_control_sequences_in_any_user_text_are_refused_and_change_nothing(base, lugar):
    antes = volcado(base.db)
    for nombre, secuencia in SECUENCIAS.items():
        r = base.run(*LUGARES[lugar](f"antes{secuencia}despues"))

        assert r.code == 2, (nombre, r)
        assert r.out == ""
        assert r.err.startswith("Error: ")
        assert not CONTROL.search(r.err), (nombre, repr(r.err))  # the refusal does not echo it either
        assert volcado(base.db) == antes, nombre


def test_the_same_texts_without_control_characters_are_accepted(base):
    """The refusals above are about the control characters, not the places."""
    for lugar in ("título", "comentario al abrir", "comentario al responder"):
        assert base.run(*LUGARES[lugar]("antes despues"), "--json").code == 0, lugar


# --- 3. length limits -------------------------------------------------------------------

# (where, limit, where the accepted text is stored in the JSON answer)
LIMITES = {
    "título": (120, lambda r, cli: r["pedido"]["titulo"]),
    "comentario al abrir": (2000, lambda r, cli: r["disputa"]["comentario"]),
    "descripción de extras": (2000, lambda r, cli: r["disputa"]["extras_descripcion"]),
    "comentario al responder": (2000, lambda r, cli: r["disputa"]["respuesta"]),
    "actualización": (2000, lambda r, cli: r["disputa"]["respuesta"]),
    "comentario al revocar": (2000, lambda r, cli: cli.ok("bandeja", "--como", "beto")["mensajes"][-1]["texto"]),
}


@pytest.mark.parametrize("lugar", list(LIMITES))
def test_a_text_one_over_its_limit_is_refused_and_one_at_its_limit_is_kept_whole(base, lugar):
    limite, guardado = LIMITES[lugar]
    antes = volcado(base.db)

    r = base.fails(2, *LUGARES[lugar]("x" * (limite + 1)))
    assert str(limite) in r.error["mensaje"]
    assert volcado(base.db) == antes

    respuesta = base.ok(*LUGARES[lugar]("x" * limite))
    assert "x" * limite in guardado(respuesta, base)
    assert "x" * (limite + 1) not in guardado(respuesta, base)


# --- 4. handles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "usuario",
    ["Ana", "ANA", "ana maria", "sistema", "a", "a" * 33, "ànà", "\u0430na", "ana;", ""],
    ids=[
        "capital",
        "capitals",
        "space",
        "reserved",
        "1-char",
        "33-chars",
        "grave-accents",
        "cyrillic-a",
        "semicolon",
        "empty",
    ],
)
def test_an_invalid_handle_is_refused_everywhere_and_creates_nothing(base, usuario):
    antes = volcado(base.db)
    casos = [
        ("pedido", "crear", "--cliente", usuario, "--freelancer", "beto", "--titulo", "T", "--precio", "1",
         "--entrega", "7d"),
        ("pedido", "crear", "--cliente", "ana", "--freelancer", usuario, "--titulo", "T", "--precio", "1",
         "--entrega", "7d"),
        ("pedido", "listar", "--como", usuario),
        ("bandeja", "--como", usuario),
        ("pedido", "entregar", 1, "--como", usuario),
    ]  # fmt: skip
    for args in casos:
        base.fails(2, *args)
    assert volcado(base.db) == antes


@pytest.mark.parametrize("usuario", ["ab", "z" * 32, "a.b_c-9", "007"])
def test_a_valid_handle_at_the_edges_is_accepted_and_can_act(base, usuario):
    pedido = base.pedido(cliente=usuario, freelancer="beto")
    assert pedido["cliente"] == usuario
    assert base.ok("pedido", "ver", pedido["id"], "--como", usuario)["pedido"]["id"] == pedido["id"]
    base.abrir(pedido["id"], usuario, "actualizacion")
    assert base.ok("bandeja", "--como", "beto")["mensajes"][-1]["de"] == usuario


# --- 5. SQL-looking input ---------------------------------------------------------------

INYECCIONES = [
    "'; DROP TABLE pedidos; --",
    'x"); DELETE FROM disputas; --',
    "1 OR 1=1; UPDATE reloj SET ahora = '1999-01-01T00:00:00Z'",
]


def test_sql_looking_text_is_stored_verbatim_and_every_table_survives(base):
    antes = {t: len(filas) for t, filas in volcado(base.db).items()}
    pedidos = [base.pedido(titulo=texto) for texto in INYECCIONES]
    disputas = [
        base.abrir(p["id"], "ana", "cancelacion", "--comentario", texto)
        for p, texto in zip(pedidos, INYECCIONES, strict=True)
    ]

    assert [p["titulo"] for p in pedidos] == INYECCIONES
    for p, d, texto in zip(pedidos, disputas, INYECCIONES, strict=True):
        vista = base.ok("pedido", "ver", p["id"])
        assert vista["pedido"]["titulo"] == texto
        assert [x["comentario"] for x in vista["disputas"]] == [texto]
        assert vista["disputas"][0]["id"] == d["id"]
    assert base.sql("SELECT ahora FROM reloj") == [(T0_ISO,)]
    despues = {t: len(filas) for t, filas in volcado(base.db).items()}  # reads every table: none dropped
    assert despues["pedidos"] == antes["pedidos"] + 3
    assert despues["disputas"] == antes["disputas"] + 3
    assert base.run("verificar", "--json").data == {"ok": True, "problemas": []}
    base.fails(2, "pedido", "listar", "--como", "' OR '1'='1")


# --- 6. hostile text already in the file ------------------------------------------------

VENENO = "\x1b[2J\x1b]8;;http://e\x07enlace\x1b]8;;\x07 \x9b31m \u202eodnum \r\x07 " + "palabra " * 40


# What the screens do with a stored text is the same on both backends; the edit uses SQLite's json_set.
@SOLO_SQLITE
def test_control_characters_already_in_the_file_are_shown_visible_never_raw(base):
    conexion = sqlite3.connect(base.db)
    try:
        conexion.execute("UPDATE pedidos SET titulo = ? WHERE id IN (1, 4)", ["Título " + VENENO])
        conexion.execute("UPDATE disputas SET comentario = ?, respuesta = ? WHERE id = 1", [VENENO, VENENO])
        conexion.execute("UPDATE disputas SET extras_descripcion = ? WHERE id = 6", [VENENO])
        # Both kinds of row: a stored sentence (rows from before facts) and the user-written
        # parts of a fact, from which the sentence is written when read.
        conexion.execute("UPDATE mensajes SET texto = ?, hecho = NULL, datos = NULL WHERE id % 2 = 1", [VENENO])
        conexion.execute("UPDATE mensajes SET datos = json_set(datos, '$.comentario', ?) WHERE id % 2 = 0", [VENENO])
        conexion.execute(
            "UPDATE eventos SET datos = json_set(datos, '$.titulo', ?) WHERE hecho = 'pedido_creado'", [VENENO]
        )
        conexion.execute(
            "UPDATE eventos SET detalle = ?, hecho = NULL, datos = NULL WHERE hecho != 'pedido_creado'", [VENENO]
        )
        conexion.commit()
    finally:
        conexion.close()
    entorno = dict(os.environ, NO_COLOR="1", COLUMNS="200", RESOLUCION_TZ="UTC")

    for args in (
        ("pedido", "ver", "4"),
        ("pedido", "ver", "9"),
        ("pedido", "listar"),
        ("disputa", "listar"),
        ("bandeja", "--como", "beto"),
        ("tick",),
    ):
        r = subprocess.run(
            [*COMANDO, *args, "--db", str(base.db)], capture_output=True, env=entorno, stdin=subprocess.DEVNULL
        )
        assert r.returncode == 0, (args, r.stderr)
        salida = r.stdout.decode("utf-8")
        assert not CONTROL.search(salida), (args, [c for c in salida if CONTROL.match(c)])
        if args[0] != "tick":
            assert "\\u001b[2J" in salida, (args, salida)
