"""Security: hostile text, limits, handles, random use of the services, fuzzed parsers,
and who may do what (SPEC §2, §3, §6, §7).

Screens are read with NO_COLOR (set for every test by conftest) and a wide COLUMNS so that
a literal piece of text is never split by Rich's wrapping.
"""

import json
import os
import re
import shutil
import sqlite3
import string
import subprocess
import sys
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import T0, T0_ISO, Cli
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from resolucion_cli import entrada, reglas, reloj, servicios
from resolucion_cli.almacen import TABLAS, Almacen
from resolucion_cli.errores import EntradaInvalida, ResolucionError
from resolucion_cli.modelo import MOTIVOS, Respuesta, Rol, TipoDisputa

_SCRIPT = Path(sys.executable).with_name("resolucion")
COMANDO = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "resolucion_cli"]
ANCHO = {"COLUMNS": "400"}
# Any control character but newline and tab, and the invisible or bidirectional marks.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def volcado(db: Path) -> dict:
    """Every row of every table: what a refused command must leave as it was."""
    conexion = sqlite3.connect(db)
    try:
        return {t: conexion.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLAS}
    finally:
        conexion.close()


def _copiar(origen: Path, destino: Path) -> Cli:
    conexion = sqlite3.connect(origen)
    try:
        conexion.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conexion.close()
    shutil.copyfile(origen, destino)
    return Cli(destino)


@pytest.fixture(scope="module")
def plantilla(tmp_path_factory) -> Path:
    """Orders and requests in every situation the tests need (ana client, beto freelancer).

    Pedidos: 1 activo · 2 entregado · 3 completado · 4 ana's cancellation #1 open ·
    5 beto's cancellation #2 open · 6 ana's update #3 open · 7 beto's extension #4 open ·
    8 ana's cancellation #5 revoked · 9 beto's extras #6 rejected · 10 carla→dario activo ·
    11 cancelled by ana's cancellation #7, accepted.
    """
    db = tmp_path_factory.mktemp("plantilla") / "plantilla.db"
    c = Cli(db)
    c.ok("init", "--reloj", T0_ISO)
    for titulo in ("Logo", "Web", "App", "Vídeo", "Libro", "Podcast", "Manual", "Catálogo", "Tienda"):
        c.pedido(titulo=titulo, entrega="14d")
    c.pedido(cliente="carla", freelancer="dario", titulo="Ajeno")
    c.pedido(titulo="Cancelado")
    c.ok("pedido", "entregar", 2, "--como", "beto")
    c.ok("pedido", "entregar", 3, "--como", "beto")
    c.ok("pedido", "completar", 3, "--como", "ana")
    assert c.abrir(4, "ana", "cancelacion", "--comentario", "Me arrepentí")["id"] == 1
    assert c.abrir(5, "beto", "cancelacion", "--motivo", "cliente_no_responde")["id"] == 2
    assert c.abrir(6, "ana", "actualizacion")["id"] == 3
    assert c.abrir(7, "beto", "prorroga", "--nueva-entrega", "2026-12-01")["id"] == 4
    assert c.abrir(8, "ana", "cancelacion", "--comentario", "Quizá")["id"] == 5
    c.ok("disputa", "revocar", 5, "--como", "ana")
    assert c.abrir(9, "beto", "extras", "--extras-precio", "20", "--extras-descripcion", "Más")["id"] == 6
    c.ok("disputa", "responder", 6, "--como", "ana", "--rechazar")
    assert c.abrir(11, "ana", "cancelacion", "--comentario", "Adiós")["id"] == 7
    c.ok("disputa", "responder", 7, "--como", "beto", "--aceptar")
    estados = [p["estado"] for p in c.ok("pedido", "listar")["pedidos"]]
    assert estados == ["activo", "entregado", "completado"] + ["en_controversia"] * 4 + ["activo"] * 3 + ["cancelado"]
    return db


@pytest.fixture
def base(plantilla, tmp_path) -> Cli:
    return _copiar(plantilla, tmp_path / "base.db")


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
    conexion = sqlite3.connect(base.db)
    try:
        tablas = {f[0] for f in conexion.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert set(TABLAS) <= tablas
        assert conexion.execute("SELECT ahora FROM reloj").fetchall() == [(T0_ISO,)]
    finally:
        conexion.close()
    despues = {t: len(filas) for t, filas in volcado(base.db).items()}
    assert despues["pedidos"] == antes["pedidos"] + 3
    assert despues["disputas"] == antes["disputas"] + 3
    assert base.run("verificar", "--json").data == {"ok": True, "problemas": []}
    base.fails(2, "pedido", "listar", "--como", "' OR '1'='1")


# --- 6. hostile text already in the file ------------------------------------------------

VENENO = "\x1b[2J\x1b]8;;http://e\x07enlace\x1b]8;;\x07 \x9b31m \u202eodnum \r\x07 " + "palabra " * 40


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


# --- 7. random use of the services keeps every invariant --------------------------------

USUARIOS = ["ana", "beto", "carla", "dario"]
# Who acts, relative to the order (or to the request) the action names: a party or a stranger.
quien_pedido = st.sampled_from(["cliente", "freelancer", "ajeno"])
quien_disputa = st.sampled_from(["recibe", "abre", "ajeno"])
# Orders and requests are named by position among those that exist (-1: one that does not).
pedido_ref = st.integers(-1, 20)
disputa_ref = st.integers(-1, 20)
disputa_reciente = st.integers(0, 2)
texto = st.none() | st.sampled_from(["Hecho", "Ya no lo necesito", "[bold]x[/bold]"])
fecha = st.integers(-5 * 24, 40 * 24).map(lambda h: T0 + timedelta(hours=h))

solicitud_al_azar = st.builds(
    reglas.Solicitud,
    tipo=st.sampled_from(list(TipoDisputa)),
    motivo=st.none() | st.sampled_from(list(MOTIVOS)),
    comentario=texto,
    nueva_fecha_entrega=st.none() | fecha,
    extras_centavos=st.none() | st.integers(1, entrada.MAX_CENTAVOS),
    extras_descripcion=st.none() | st.just("Una revisión"),
    extras_dias=st.none() | st.integers(1, entrada.MAX_EXTRAS_DIAS),
)


@st.composite
def solicitud_coherente(draw, tipo=None):
    """Options that fit the type (the role may still be wrong)."""
    tipo = tipo or draw(st.sampled_from(list(TipoDisputa)))
    if tipo == TipoDisputa.ACTUALIZACION:
        return reglas.Solicitud(tipo, comentario=draw(texto))
    if tipo == TipoDisputa.CANCELACION:
        return reglas.Solicitud(tipo, motivo=draw(st.none() | st.sampled_from(list(MOTIVOS))), comentario="Motivo")
    if tipo == TipoDisputa.PRORROGA:
        return reglas.Solicitud(tipo, nueva_fecha_entrega=T0 + timedelta(days=draw(st.integers(20, 400))))
    return reglas.Solicitud(
        tipo,
        extras_centavos=draw(st.integers(1, 10**6)),
        extras_descripcion="Una revisión",
        extras_dias=draw(st.none() | st.integers(1, 10)),
    )


@st.composite
def apertura_valida(draw):
    """A role and a request that role may open, with the options its type needs."""
    quien = draw(st.sampled_from(["cliente", "freelancer"]))
    tipo = draw(st.sampled_from(list(reglas.ACCIONES[Rol(quien)])))
    if tipo == TipoDisputa.ACTUALIZACION:
        return quien, reglas.Solicitud(tipo, comentario=draw(texto))
    if tipo == TipoDisputa.CANCELACION:
        motivo = draw(st.sampled_from(list(MOTIVOS))) if quien == "freelancer" else None
        return quien, reglas.Solicitud(tipo, motivo=motivo, comentario="Motivo")
    return quien, draw(solicitud_coherente(tipo))


apertura = st.one_of(
    apertura_valida(),
    apertura_valida(),
    st.tuples(quien_pedido, st.one_of(solicitud_coherente(), solicitud_al_azar)),
)

acciones = st.one_of(
    # The actions that make requests come more often, and often by the right party,
    # so that sequences reach answers, revocations and expiries, not only refusals.
    st.tuples(st.just("crear"), st.permutations(USUARIOS[:3]), st.integers(1, 10**8), st.integers(-3, 30)),
    st.tuples(st.just("crear_mismo"), st.sampled_from(USUARIOS)),
    st.tuples(st.just("entregar"), pedido_ref, quien_pedido),
    st.tuples(st.just("entregar"), pedido_ref, st.just("freelancer")),
    st.tuples(st.just("completar"), pedido_ref, quien_pedido),
    st.tuples(st.just("completar"), pedido_ref, st.just("cliente")),
    st.tuples(st.just("abrir"), pedido_ref, apertura),
    st.tuples(st.just("abrir"), pedido_ref, apertura),
    st.tuples(st.just("abrir"), pedido_ref, apertura),
    st.tuples(st.just("responder"), disputa_ref, quien_disputa,
              st.sampled_from(["la que encaja", "la que encaja", *Respuesta]), texto),
    st.tuples(st.just("responder"), disputa_reciente, st.just("recibe"),
              st.sampled_from(["la que encaja", Respuesta.RECHAZAR]), texto),
    st.tuples(st.just("revocar"), disputa_ref, quien_disputa, texto),
    st.tuples(st.just("revocar"), disputa_reciente, st.just("abre"), texto),
    st.tuples(st.just("tick"), st.sampled_from(["avanzar", "hasta", "siguiente", "ahora"]),
              st.integers(-5, 120), st.booleans()),
    st.tuples(st.just("ver"), pedido_ref, st.none() | quien_pedido),
    st.tuples(st.just("bandeja"), st.sampled_from(USUARIOS)),
)  # fmt: skip


def _ajeno(*partes: str) -> str:
    return next(u for u in USUARIOS if u not in partes)


def _pedido_id(almacen: Almacen, ref: int) -> int:
    (cuantos,) = almacen.conexion.execute("SELECT count(*) FROM pedidos").fetchone()
    return 999 if ref < 0 or not cuantos else 1 + ref % cuantos


def _usuario_del_pedido(almacen: Almacen, id: int, quien: str) -> str:
    pedido = almacen.pedido(id)
    if quien in USUARIOS or pedido is None:
        return quien if quien in USUARIOS else "ana"
    return {"cliente": pedido.cliente, "freelancer": pedido.freelancer}.get(quien) or _ajeno(
        pedido.cliente, pedido.freelancer
    )


def _disputa(almacen: Almacen, ref: int, quien: str):
    """The request named by `ref` (newest first), the user `quien` stands for, and the request."""
    (ultima,) = almacen.conexion.execute("SELECT coalesce(max(id), 0) FROM disputas").fetchone()
    disputa = almacen.disputa(ultima - ref % ultima) if ref >= 0 and ultima else None
    if disputa is None:
        return 999, quien if quien in USUARIOS else "ana", None
    if quien in USUARIOS:
        return disputa.id, quien, disputa
    pedido = almacen.pedido(disputa.pedido)
    como = {"abre": disputa.abierta_por, "recibe": disputa.destinatario}.get(quien) or _ajeno(
        pedido.cliente, pedido.freelancer
    )
    return disputa.id, como, disputa


def _hacer(almacen: Almacen, accion: tuple) -> bool:
    """Run one action; True if it must not change anything (a read or a simulation)."""
    nombre, *resto = accion
    if nombre == "crear":
        (cliente, freelancer, _), precio, dias = resto
        servicios.crear_pedido(almacen, cliente, freelancer, "Pedido", precio, timedelta(days=dias))
    elif nombre == "crear_mismo":
        servicios.crear_pedido(almacen, resto[0], resto[0], "Pedido", 100, timedelta(days=3))
    elif nombre in ("entregar", "completar"):
        ref, quien = resto
        id = _pedido_id(almacen, ref)
        getattr(servicios, nombre)(almacen, id, _usuario_del_pedido(almacen, id, quien))
    elif nombre == "abrir":
        ref, (quien, solicitud) = resto
        id = _pedido_id(almacen, ref)
        servicios.abrir_disputa(almacen, id, _usuario_del_pedido(almacen, id, quien), solicitud)
    elif nombre == "responder":
        ref, quien, respuesta, comentario = resto
        id, como, disputa = _disputa(almacen, ref, quien)
        if respuesta == "la que encaja":
            encaja = disputa is not None and disputa.tipo == TipoDisputa.ACTUALIZACION
            respuesta = Respuesta.ACTUALIZACION if encaja else Respuesta.ACEPTAR
        servicios.responder_disputa(almacen, id, como, respuesta, comentario)
    elif nombre == "revocar":
        ref, quien, comentario = resto
        id, como, _ = _disputa(almacen, ref, quien)
        servicios.revocar_disputa(almacen, id, como, comentario)
    elif nombre == "tick":
        modo, horas, simular = resto
        ahora = almacen.reloj()[0]
        destino = {
            "avanzar": {"avanzar": timedelta(hours=horas)} if horas > 0 else {},
            "hasta": {"hasta": ahora + timedelta(hours=horas)},
            "siguiente": {"siguiente": True},
            "ahora": {},
        }[modo]
        servicios.tick(almacen, simular=simular, **destino)
        return simular
    elif nombre == "ver":
        ref, quien = resto
        id = _pedido_id(almacen, ref)
        servicios.ver_pedido(almacen, id, _usuario_del_pedido(almacen, id, quien) if quien else None)
        return True
    elif nombre == "bandeja":
        servicios.bandeja(almacen, resto[0])
        return True
    return False


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pasos=st.lists(acciones, min_size=10, max_size=40))
def test_any_sequence_of_service_calls_succeeds_or_refuses_cleanly_and_keeps_every_invariant(tmp_path_factory, pasos):
    almacen = Almacen.abrir(tmp_path_factory.mktemp("azar") / "azar.db", T0)
    try:
        for cliente, freelancer in (("ana", "beto"), ("carla", "beto"), ("ana", "carla")):
            servicios.crear_pedido(almacen, cliente, freelancer, "Inicial", 10000, timedelta(days=5))
        for numero, accion in enumerate(pasos):
            antes = volcado(almacen.ruta)
            try:
                sin_cambios = _hacer(almacen, accion)
            except ResolucionError:
                sin_cambios = True
            # A refusal, a read or a simulation changes nothing: every tick fires what is due,
            # so a read never has an expiry to write.
            if sin_cambios:
                assert volcado(almacen.ruta) == antes, (numero, accion)
            assert not almacen.conexion.in_transaction, (numero, accion)
            assert almacen.problemas() == [], (numero, accion)
    finally:
        almacen.cerrar()


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


# --- 9. who may do what: the authorization matrix of SPEC §2–§3 -------------------------

ANA, BETO, CARLA = "ana", "beto", "carla"
ABRIR = {
    "actualizacion": (),
    "cancelacion": ("--comentario", "Necesito cancelar"),
    "prorroga": ("--nueva-entrega", "2026-12-24"),
    "extras": ("--extras-precio", "10", "--extras-descripcion", "Más"),
}
MOTIVO = ("--motivo", "otro")

# (description, arguments, acting user, expected exit)
MATRIZ = [
    # pedido entregar: only the freelancer, only an active order
    ("entregar activo · cliente", ("pedido", "entregar", 1), ANA, 4),
    ("entregar activo · freelancer", ("pedido", "entregar", 1), BETO, 0),
    ("entregar activo · ajeno", ("pedido", "entregar", 1), CARLA, 4),
    ("entregar entregado · freelancer", ("pedido", "entregar", 2), BETO, 1),
    ("entregar entregado · cliente", ("pedido", "entregar", 2), ANA, 4),
    ("entregar en controversia · freelancer", ("pedido", "entregar", 4), BETO, 1),
    ("entregar otro pedido · freelancer de este", ("pedido", "entregar", 10), BETO, 4),
    # pedido completar: only the client, only a delivered order
    ("completar entregado · cliente", ("pedido", "completar", 2), ANA, 0),
    ("completar entregado · freelancer", ("pedido", "completar", 2), BETO, 4),
    ("completar entregado · ajeno", ("pedido", "completar", 2), CARLA, 4),
    ("completar activo · cliente", ("pedido", "completar", 1), ANA, 1),
    ("completar completado · cliente", ("pedido", "completar", 3), ANA, 1),
    # pedido ver --como: only the parties
    ("ver · cliente", ("pedido", "ver", 1), ANA, 0),
    ("ver · freelancer", ("pedido", "ver", 1), BETO, 0),
    ("ver · ajeno", ("pedido", "ver", 1), CARLA, 4),
    ("ver con disputa · ajeno", ("pedido", "ver", 4), CARLA, 4),
    ("ver pedido de otros · cliente de otro", ("pedido", "ver", 10), ANA, 4),
    # disputa abrir actualizacion: the client
    ("abrir actualizacion · cliente", ("disputa", "abrir", 1, "--tipo", "actualizacion"), ANA, 0),
    ("abrir actualizacion · freelancer", ("disputa", "abrir", 1, "--tipo", "actualizacion"), BETO, 4),
    ("abrir actualizacion · ajeno", ("disputa", "abrir", 1, "--tipo", "actualizacion"), CARLA, 4),
    ("abrir actualizacion completado · cliente", ("disputa", "abrir", 3, "--tipo", "actualizacion"), ANA, 1),
    ("abrir actualizacion completado · freelancer", ("disputa", "abrir", 3, "--tipo", "actualizacion"), BETO, 4),
    ("abrir actualizacion ya abierta · cliente", ("disputa", "abrir", 4, "--tipo", "actualizacion"), ANA, 1),
    # disputa abrir cancelacion: both parties
    ("abrir cancelacion · cliente", ("disputa", "abrir", 1, "--tipo", "cancelacion", *ABRIR["cancelacion"]), ANA, 0),
    ("abrir cancelacion · freelancer", ("disputa", "abrir", 1, "--tipo", "cancelacion", *MOTIVO,
                                        *ABRIR["cancelacion"]), BETO, 0),
    ("abrir cancelacion · ajeno", ("disputa", "abrir", 1, "--tipo", "cancelacion", *ABRIR["cancelacion"]), CARLA, 4),
    ("abrir cancelacion · ajeno con motivo", ("disputa", "abrir", 1, "--tipo", "cancelacion", *MOTIVO,
                                              *ABRIR["cancelacion"]), CARLA, 4),
    ("abrir cancelacion cancelado · cliente", ("disputa", "abrir", 11, "--tipo", "cancelacion",
                                               *ABRIR["cancelacion"]), ANA, 1),
    ("abrir cancelacion completado · freelancer", ("disputa", "abrir", 3, "--tipo", "cancelacion", *MOTIVO,
                                                   *ABRIR["cancelacion"]), BETO, 1),
    ("abrir cancelacion entregado · cliente", ("disputa", "abrir", 2, "--tipo", "cancelacion",
                                               *ABRIR["cancelacion"]), ANA, 0),
    # disputa abrir prorroga / extras: the freelancer
    ("abrir prorroga · cliente", ("disputa", "abrir", 1, "--tipo", "prorroga", *ABRIR["prorroga"]), ANA, 4),
    ("abrir prorroga · freelancer", ("disputa", "abrir", 1, "--tipo", "prorroga", *ABRIR["prorroga"]), BETO, 0),
    ("abrir prorroga · ajeno", ("disputa", "abrir", 1, "--tipo", "prorroga", *ABRIR["prorroga"]), CARLA, 4),
    ("abrir prorroga completado · freelancer", ("disputa", "abrir", 3, "--tipo", "prorroga", *ABRIR["prorroga"]),
     BETO, 1),
    ("abrir extras · cliente", ("disputa", "abrir", 1, "--tipo", "extras", *ABRIR["extras"]), ANA, 4),
    ("abrir extras · freelancer", ("disputa", "abrir", 1, "--tipo", "extras", *ABRIR["extras"]), BETO, 0),
    ("abrir extras · ajeno", ("disputa", "abrir", 1, "--tipo", "extras", *ABRIR["extras"]), CARLA, 4),
    ("abrir extras cancelado · freelancer", ("disputa", "abrir", 11, "--tipo", "extras", *ABRIR["extras"]), BETO, 1),
    # disputa responder: the recipient only, only while open
    ("responder cancelacion del cliente · destinatario", ("disputa", "responder", 1, "--aceptar"), BETO, 0),
    ("responder cancelacion del cliente · quien la abrió", ("disputa", "responder", 1, "--aceptar"), ANA, 4),
    ("responder cancelacion del cliente · ajeno", ("disputa", "responder", 1, "--aceptar"), CARLA, 4),
    ("responder cancelacion del freelancer · destinatario", ("disputa", "responder", 2, "--rechazar"), ANA, 0),
    ("responder cancelacion del freelancer · quien la abrió", ("disputa", "responder", 2, "--rechazar"), BETO, 4),
    ("responder cancelacion del freelancer · ajeno", ("disputa", "responder", 2, "--rechazar"), CARLA, 4),
    ("responder actualizacion · destinatario", ("disputa", "responder", 3, "--actualizacion", "Va bien"), BETO, 0),
    ("responder actualizacion · quien la abrió", ("disputa", "responder", 3, "--actualizacion", "Va bien"), ANA, 4),
    ("responder actualizacion · ajeno", ("disputa", "responder", 3, "--actualizacion", "Va bien"), CARLA, 4),
    ("responder prorroga · destinatario", ("disputa", "responder", 4, "--aceptar"), ANA, 0),
    ("responder prorroga · quien la abrió", ("disputa", "responder", 4, "--aceptar"), BETO, 4),
    ("responder prorroga · ajeno", ("disputa", "responder", 4, "--aceptar"), CARLA, 4),
    ("responder revocada · destinatario", ("disputa", "responder", 5, "--aceptar"), BETO, 1),
    ("responder revocada · quien la abrió", ("disputa", "responder", 5, "--aceptar"), ANA, 4),
    ("responder rechazada · destinatario", ("disputa", "responder", 6, "--aceptar"), ANA, 1),
    ("responder rechazada · ajeno", ("disputa", "responder", 6, "--aceptar"), CARLA, 4),
    # disputa revocar: the opener only, only while open
    ("revocar cancelacion del cliente · quien la abrió", ("disputa", "revocar", 1), ANA, 0),
    ("revocar cancelacion del cliente · destinatario", ("disputa", "revocar", 1), BETO, 4),
    ("revocar cancelacion del cliente · ajeno", ("disputa", "revocar", 1), CARLA, 4),
    ("revocar cancelacion del freelancer · quien la abrió", ("disputa", "revocar", 2), BETO, 0),
    ("revocar cancelacion del freelancer · destinatario", ("disputa", "revocar", 2), ANA, 4),
    ("revocar prorroga · quien la abrió", ("disputa", "revocar", 4), BETO, 0),
    ("revocar prorroga · destinatario", ("disputa", "revocar", 4), ANA, 4),
    ("revocar revocada · quien la abrió", ("disputa", "revocar", 5), ANA, 1),
    ("revocar revocada · destinatario", ("disputa", "revocar", 5), BETO, 4),
    ("revocar rechazada · quien la abrió", ("disputa", "revocar", 6), BETO, 1),
    ("revocar rechazada · ajeno", ("disputa", "revocar", 6), CARLA, 4),
    # bandeja: anyone who is a party of some order, each only their own messages
    ("bandeja · cliente", ("bandeja",), ANA, 0),
    ("bandeja · freelancer", ("bandeja",), BETO, 0),
    ("bandeja · parte solo de otro pedido", ("bandeja",), CARLA, 0),
    ("bandeja · nadie", ("bandeja",), "zoe", 4),
]  # fmt: skip


@pytest.mark.parametrize(("args", "como", "codigo"), [m[1:] for m in MATRIZ], ids=[m[0] for m in MATRIZ])
def test_only_the_party_the_rules_name_may_act_and_a_refusal_changes_nothing(base, args, como, codigo):
    antes = volcado(base.db)

    r = base.run(*args, "--como", como, "--json")

    assert r.code == codigo, r
    if codigo == 0:
        assert r.err == ""
        json.loads(r.out)
    else:
        assert r.out == ""
        assert r.error["codigo"] == codigo
        assert volcado(base.db) == antes


def test_a_successful_action_changes_exactly_what_the_rules_say(base):
    """The 0 rows of the matrix really act: a spot check of each kind."""
    assert base.ok("pedido", "entregar", 1, "--como", BETO)["pedido"]["estado"] == "entregado"
    assert base.ok("pedido", "completar", 2, "--como", ANA)["pedido"]["estado"] == "completado"
    r = base.ok("disputa", "responder", 1, "--como", BETO, "--aceptar")
    assert (r["disputa"]["estado"], r["pedido"]["estado"]) == ("aceptada", "cancelado")
    r = base.ok("disputa", "revocar", 2, "--como", BETO)
    assert (r["disputa"]["estado"], r["disputa"]["resuelta_por"], r["pedido"]["estado"]) == ("revocada", BETO, "activo")


def test_a_non_party_cannot_see_an_order_nor_learn_its_contents_from_the_refusal(base):
    r = base.fails(4, "pedido", "ver", 4, "--como", CARLA)
    assert "Vídeo" not in r.error["mensaje"] and "Me arrepentí" not in r.error["mensaje"]
    humano = base.run("pedido", "ver", 4, "--como", CARLA)
    assert humano.code == 4 and humano.out == ""
    assert "Vídeo" not in humano.err and "Me arrepentí" not in humano.err


def test_each_inbox_holds_only_its_owners_messages(base):
    for usuario in (ANA, BETO, CARLA):
        mensajes = base.ok("bandeja", "--como", usuario)["mensajes"]
        assert all(m["para"] == usuario for m in mensajes), usuario
    assert base.ok("bandeja", "--como", CARLA)["mensajes"] == []
    assert base.ok("disputa", "listar", "--como", CARLA)["disputas"] == []
    assert [p["id"] for p in base.ok("pedido", "listar", "--como", CARLA)["pedidos"]] == [10]


def test_the_fixture_has_the_requests_the_matrix_names(base):
    disputas = {d["id"]: d for d in base.ok("disputa", "listar")["disputas"]}
    assert {
        i: (d["pedido"], d["tipo"], d["estado"], d["abierta_por"], d["destinatario"]) for i, d in disputas.items()
    } == {
        1: (4, "cancelacion", "abierta", ANA, BETO),
        2: (5, "cancelacion", "abierta", BETO, ANA),
        3: (6, "actualizacion", "abierta", ANA, BETO),
        4: (7, "prorroga", "abierta", BETO, ANA),
        5: (8, "cancelacion", "revocada", ANA, BETO),
        6: (9, "extras", "rechazada", BETO, ANA),
        7: (11, "cancelacion", "aceptada", ANA, BETO),
    }
    assert base.ok("tick", "--simular")["reloj"] == T0_ISO
