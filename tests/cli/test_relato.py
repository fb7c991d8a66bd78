"""Events and messages store facts; every reader reads them in their own zone (SPEC §4).

One whole story — an order, every request type, answers, a revocation, expiries fired by
`tick`, their messages and a few refusals — is played once and read under UTC,
Europe/Madrid and America/Mexico_City. No human text may show the UTC rendering of a
stored instant (unless the reader's zone is UTC), while JSON instants stay UTC.
"""

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from resolucion_cli import relato
from resolucion_cli.almacen import Almacen
from resolucion_cli.modelo import SISTEMA, Evento, Hecho, Mensaje
from resolucion_cli.reloj import legible
from tests.conftest import Cli

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

ZONAS = ("UTC", "Europe/Madrid", "America/Mexico_City")
ISO_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
MADRID = ["--tz", "Europe/Madrid"]


@pytest.fixture(scope="module")
def historia(tmp_path_factory):
    """The story, played once in Madrid time; returns the CLI, its ids and the refusals' arguments."""
    cli = Cli(tmp_path_factory.mktemp("relato") / "historia.db")
    cli.ok("init", "--reloj", "2026-03-25T09:00:00Z")
    # Midnight of the 30th in Madrid: 2026-03-29T22:00Z, the day after the clocks go forward.
    pedido = cli.ok(
        "pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "Logo",
        "--precio", "120,50", "--entrega", "2026-03-30", *MADRID,
    )["pedido"]["id"]  # fmt: skip
    ids = {"pedido": pedido}
    ids["prorroga"] = cli.abrir(pedido, "beto", "prorroga", "--nueva-entrega", "2026-05-01", *MADRID)["id"]
    cli.ok("disputa", "responder", ids["prorroga"], "--como", "ana", "--aceptar", "--comentario", "De acuerdo")
    ids["actualizacion"] = cli.abrir(pedido, "ana", "actualizacion", "--comentario", "¿Cómo va?")["id"]
    cli.ok("disputa", "responder", ids["actualizacion"], "--como", "beto", "--actualizacion", "Casi listo")
    ids["extras"] = cli.abrir(
        pedido, "beto", "extras", "--extras-precio", "25", "--extras-descripcion", "Versión en gran formato",
        "--extras-dias", "1",
    )["id"]  # fmt: skip
    cli.ok("disputa", "responder", ids["extras"], "--como", "ana", "--aceptar")
    ids["revocada"] = cli.abrir(pedido, "ana", "cancelacion", "--comentario", "Lo pensaré")["id"]
    cli.ok("disputa", "revocar", ids["revocada"], "--como", "ana", "--comentario", "Sigamos")
    ids["vencida"] = cli.abrir(pedido, "beto", "prorroga", "--nueva-entrega", "2026-05-20", *MADRID)["id"]
    cli.ok("tick", "--avanzar", "5d")
    ids["cancelacion"] = cli.abrir(pedido, "ana", "cancelacion", "--comentario", "Ya no lo necesito")["id"]
    cli.ok("tick", "--siguiente")
    # Refusals whose sentences carry instants: each must read in the reader's zone too.
    otro = cli.pedido(entrega="2026-05-01T08:00:00Z")["id"]
    errores = [
        ("disputa", "abrir", otro, "--como", "beto", "--tipo", "prorroga", "--nueva-entrega", "2026-04-30T08:00:00Z"),
        ("tick", "--at", "2026-03-26T09:00:00Z"),
        ("init", "--reloj", "2026-03-01T00:00:00Z"),
        ("disputa", "responder", ids["vencida"], "--como", "ana", "--aceptar"),
        ("disputa", "responder", ids["prorroga"], "--como", "ana", "--aceptar"),
    ]
    return cli, ids, errores


def _instantes(*objetos) -> set[str]:
    """Every instant the JSON of the story holds."""
    return {m for objeto in objetos for m in ISO_UTC.findall(repr(objeto))}


def _lecturas(cli: Cli, ids: dict, errores: list, zona: str) -> list[str]:
    """Every human text of the story as a reader in `zona` gets it."""
    tz = ["--tz", zona]
    textos = [
        cli.run("pedido", "ver", ids["pedido"], *tz).out,
        cli.run("bandeja", "--como", "ana", *tz).out,
        cli.run("bandeja", "--como", "beto", *tz).out,
        cli.run("tick", *tz).out,
        *(cli.run("explicar", ids[clave], *tz).out for clave in ("prorroga", "vencida", "cancelacion")),
    ]
    textos += [e["detalle"] for e in cli.ok("pedido", "ver", ids["pedido"], *tz)["eventos"]]
    textos += [p["detalle"] for p in cli.ok("explicar", ids["vencida"], *tz)["pasos"]]
    for usuario in ("ana", "beto"):
        textos += [m["texto"] for m in cli.ok("bandeja", "--como", usuario, *tz)["mensajes"]]
    for argumentos in errores:
        humano = cli.run(*argumentos, *tz)
        assert humano.code != 0 and humano.out == "", humano
        textos += [humano.err, cli.fails(humano.code, *argumentos, *tz).error["mensaje"]]
    return textos


@pytest.mark.parametrize("zona", ZONAS)
def test_no_human_text_of_the_story_shows_a_stored_utc_rendering(historia, zona):
    cli, ids, errores = historia
    vista = cli.ok("pedido", "ver", ids["pedido"])
    bandejas = [cli.ok("bandeja", "--como", u)["mensajes"] for u in ("ana", "beto")]
    instantes = _instantes(vista, bandejas, cli.ok("disputa", "listar"))
    tz = ZoneInfo(zona)
    textos = _lecturas(cli, ids, errores, zona)
    assert all(textos)
    for texto in textos:
        assert " UTC" not in texto, texto
        assert not ISO_UTC.search(texto), texto
        for instante in instantes:
            momento = datetime.fromisoformat(instante)
            local, en_utc = legible(momento, tz), legible(momento, UTC)
            if local != en_utc:
                assert en_utc not in texto, (instante, texto)
    # The instants themselves were read in the zone, not dropped.
    leido = "\n".join(textos)
    for instante in ("2026-03-29T22:00:00Z", "2026-04-30T22:00:00Z"):
        assert legible(datetime.fromisoformat(instante), tz) in leido


def test_json_instants_stay_utc_while_its_sentences_read_in_the_zone(historia):
    cli, ids, _ = historia
    eventos = cli.ok("pedido", "ver", ids["pedido"], *MADRID)["eventos"]
    mensajes = cli.ok("bandeja", "--como", "ana", *MADRID)["mensajes"]
    assert all(ISO_UTC.fullmatch(x["en"]) for x in eventos + mensajes)
    prorroga = next(e["detalle"] for e in eventos if e["tipo"] == "disputa_abierta")
    # `--nueva-entrega 2026-05-01` typed in Madrid reads back as that midnight, not 22:00 UTC the day before.
    assert "nueva entrega: 2026-05-01 00:00" in prorroga
    assert "2026-04-30 22:00" not in prorroga
    # The opener reads the answer with the order's new date, in the same zone.
    beto = [m["texto"] for m in cli.ok("bandeja", "--como", "beto", *MADRID)["mensajes"]]
    aceptada = next(t for t in beto if "aceptó la solicitud «Solicitar una prórroga" in t)
    assert aceptada.startswith(f"Pedido #{ids['pedido']}: ana aceptó")
    assert "nueva entrega 2026-05-01 00:00" in aceptada
    assert aceptada.endswith("Comentario: De acuerdo")


def test_the_delivery_on_the_screen_reads_the_same_day_and_time_in_the_history(tmp_path):
    cli = Cli(tmp_path / "entrega.db")
    cli.ok("init", "--reloj", "2026-03-25T09:00:00Z")
    pedido = cli.ok(
        "pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "Logo", "--precio", "100",
        "--entrega", "2026-03-30T00:00", *MADRID,
    )["pedido"]  # fmt: skip
    pantalla = cli.run("pedido", "ver", pedido["id"], *MADRID).out
    historial = cli.ok("pedido", "ver", pedido["id"], *MADRID)["eventos"][0]["detalle"]
    assert pedido["fecha_entrega"] == "2026-03-29T22:00:00Z"
    assert re.search(r"Entrega\s+2026-03-30 00:00", pantalla), pantalla
    assert "entrega el 2026-03-30 00:00" in historial
    assert "2026-03-29" not in historial and "2026-03-29" not in pantalla


def test_expiries_and_answers_use_one_word_each_and_no_doubled_order(historia):
    cli, ids, _ = historia
    textos = [m["texto"] for u in ("ana", "beto") for m in cli.ok("bandeja", "--como", u)["mensajes"]]
    detalles = [e["detalle"] for e in cli.ok("pedido", "ver", ids["pedido"])["eventos"]]
    vencida = [t for t in textos + detalles if "venció el plazo" in t.lower()]
    assert vencida
    # An expiry is "vencida"/"venció"; "revocada"/"revocó" belongs to the opener withdrawing it.
    assert not any("revoc" in t for t in vencida), vencida
    assert any("ana revocó su solicitud" in t for t in textos)
    assert not any("del pedido del pedido" in t or "del pedido en el pedido" in t for t in textos)
    assert all(t.startswith(f"Pedido #{ids['pedido']}: ") for t in textos)


def test_a_closed_request_is_refused_naming_who_closed_it_and_when(historia):
    cli, ids, errores = historia
    mensaje = cli.fails(1, *errores[4], *MADRID).error["mensaje"]
    assert "ana la aceptó el 2026-03-25 10:00" in mensaje
    assert "dejó" not in mensaje
    vencida = cli.fails(1, *errores[3], "--tz", "America/Mexico_City").error["mensaje"]
    assert "su plazo venció el " in vencida


def test_only_the_opener_is_told_to_revoke_the_request_that_blocks_the_order(cli):
    pedido = cli.pedido()["id"]
    disputa = cli.abrir(pedido, "ana", "actualizacion")["id"]
    freelancer = cli.fails(1, "pedido", "entregar", pedido, "--como", "beto").error["mensaje"]
    cliente = cli.fails(1, "disputa", "abrir", pedido, "--como", "ana", "--tipo", "cancelacion",
                        "--comentario", "x").error["mensaje"]  # fmt: skip
    assert "revoc" not in freelancer
    assert f"resolucion disputa responder {disputa}" in freelancer
    assert f"resolucion disputa revocar {disputa}" in cliente


def test_rules_store_no_sentence_and_old_rows_keep_theirs():
    madrid = ZoneInfo("Europe/Madrid")
    en = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    viejo = Evento(1, en, "ana", "pedido_creado", "ana encargó algo, entrega el 2026-10-25 00:30 UTC.")
    assert relato.detalle(viejo, madrid) == viejo.detalle
    hecho = Evento(1, en, "beto", "pedido_entregado", "", None, Hecho.PEDIDO_ENTREGADO,
                   {"cliente": "ana", "completar_en": "2026-10-25T00:30:00Z"})  # fmt: skip
    assert relato.detalle(hecho, madrid) == (
        "beto entregó el pedido. Si ana no responde, se completará solo el " + legible(en, madrid) + "."
    )
    aviso = Mensaje(3, SISTEMA, "ana", "", en, 2, hecho=Hecho.PEDIDO_COMPLETADO_SOLO, datos={"cliente": "ana"})
    assert relato.texto(aviso, madrid).startswith("Pedido #3: ana no respondió a la entrega a tiempo")


def test_generated_data_records_facts_that_read_like_real_ones(tmp_path):
    almacen = Almacen.abrir(tmp_path / "generada.db", datetime(2026, 3, 2, 9, tzinfo=UTC))
    try:
        from resolucion_cli import servicios

        servicios.generar(almacen, 60, semilla=5)
        assert almacen.problemas() == []
        filas = almacen.conexion.execute("SELECT pedido FROM eventos GROUP BY pedido").fetchall()
        eventos = [e for (pedido,) in filas for e in almacen.eventos_de(pedido)]
        para = {m["para"] for m in almacen.conexion.execute("SELECT para FROM mensajes")}
        mensajes = [m for usuario in para for m in almacen.mensajes_para(usuario)]
    finally:
        almacen.cerrar()
    mexico = ZoneInfo("America/Mexico_City")
    assert eventos and mensajes
    assert all(e.hecho is not None and e.detalle == "" for e in eventos)
    textos = [relato.detalle(e, mexico) for e in eventos] + [relato.texto(m, mexico) for m in mensajes]
    assert all(t and " UTC" not in t for t in textos)
    creado = next(e for e in eventos if e.hecho == Hecho.PEDIDO_CREADO)
    entrega = datetime.fromisoformat(creado.datos["fecha_entrega"])
    assert f"entrega el {legible(entrega, mexico)}" in relato.detalle(creado, mexico)


def test_the_demo_tells_its_story_in_the_zone_it_was_given(tmp_path):
    r = Cli(tmp_path / "demo.db").run("demo", "--tz", "America/Mexico_City")
    assert r.code == 0, r
    # The first screen's clock: 2026-03-02 09:00 UTC is 03:00 in Mexico City.
    assert "2026-03-02 03:00 (America/Mexico_City)" in r.out
    assert " UTC" not in r.out and "(UTC)" not in r.out


def test_verificar_quotes_instants_in_the_zone_and_finds_facts_it_cannot_tell(cli):
    pedido = cli.pedido()["id"]
    disputa = cli.abrir(pedido, "ana", "actualizacion")["id"]
    cli.sql("UPDATE disputas SET vence_en = '2026-03-01T23:30:00Z' WHERE id = ?", [disputa])
    cli.sql("UPDATE eventos SET hecho = 'inventado' WHERE tipo = 'pedido_creado'")
    cli.sql("UPDATE mensajes SET datos = '{roto'")
    r = cli.run("verificar", "--tz", "Europe/Madrid", "--json")
    assert r.code == 1, r
    problemas = r.data["problemas"]
    assert (
        f"La solicitud #{disputa} sigue abierta aunque su plazo venció el 2026-03-02 00:30 "
        "(el reloj marca 2026-03-02 10:00)." in problemas
    )
    assert any(p.startswith(f"El evento #1 del pedido #{pedido} no dice qué pasó") for p in problemas)
    assert any(p.startswith(f"El mensaje #1 del pedido #{pedido} no dice qué pasó") for p in problemas)
    assert not any("T23:30:00Z" in p for p in problemas)


def test_every_fact_the_rules_produce_reads_as_a_whole_sentence_in_any_zone():
    from resolucion_cli import reglas
    from resolucion_cli.modelo import EstadoPedido, Pedido, Respuesta, TipoDisputa
    from resolucion_cli.reglas import ACEPTACION_AUTOMATICA, Solicitud

    t0 = datetime(2026, 10, 20, 9, 0, 30, tzinfo=UTC)
    base = Pedido(7, "Logo", "ana", "beto", EstadoPedido.ACTIVO, 10000, datetime(2026, 11, 1, tzinfo=UTC), t0)
    eventos, mensajes = [reglas.creado(base)], []

    def guardar(decision):
        eventos.extend(decision.eventos)
        mensajes.extend(decision.mensajes)
        return decision.pedido, decision.disputa

    entregado, evento = reglas.entregar(base, "beto", t0, ACEPTACION_AUTOMATICA)
    eventos.append(evento)
    guardar(reglas.completar_solo(entregado))
    eventos.append(reglas.completar(entregado, "ana", t0)[1])
    p, d = guardar(reglas.abrir(base, "ana", Solicitud(TipoDisputa.ACTUALIZACION), t0))
    p, _ = guardar(reglas.vencer(p, replace(d, id=1)))
    p, d = guardar(reglas.abrir(p, "beto", Solicitud(TipoDisputa.EXTRAS, None, None, None, 2500, "Más", 3), t0))
    p, _ = guardar(reglas.responder(p, replace(d, id=2), "ana", Respuesta.RECHAZAR, "No, gracias", t0))
    reembolso = Solicitud(TipoDisputa.REEMBOLSO_PARCIAL, reembolso_centavos=4000)
    _, d = guardar(reglas.abrir(base, "beto", reembolso, t0, ACEPTACION_AUTOMATICA))
    guardar(reglas.responder(base, replace(d, id=4), "ana", Respuesta.ACEPTAR, None, t0))
    tarde = t0 + timedelta(days=20)
    guardar(
        reglas.abrir(base, "ana", Solicitud(TipoDisputa.CANCELACION, comentario="Tarde."), tarde, ACEPTACION_AUTOMATICA)
    )
    nueva = Solicitud(TipoDisputa.PRORROGA, nueva_fecha_entrega=datetime(2026, 11, 9, tzinfo=UTC))
    p, d = guardar(reglas.abrir(p, "beto", nueva, t0, ACEPTACION_AUTOMATICA))
    guardar(reglas.responder(p, replace(d, id=3), "ana", Respuesta.ACEPTAR, None, t0))
    escrito, recibido = reglas.mensaje(p, "ana", "¿Cómo vas?", t0)
    eventos.append(escrito)
    mensajes.insert(0, recibido)  # the accepted extension's message stays last

    assert {e.hecho for e in eventos} | {m.hecho for m in mensajes} == set(Hecho) - {Hecho.SOLICITUD_REVOCADA}
    for zona in ZONAS:
        tz = ZoneInfo(zona)
        textos = [relato.detalle(e, tz) for e in eventos] + [relato.texto(m, tz) for m in mensajes]
        for texto in textos:
            assert texto.endswith((".", "No, gracias", "«¿Cómo vas?»")), texto
            assert not ISO_UTC.search(texto) and "None" not in texto and "{" not in texto, texto
        # Seconds are part of the instant: the automatic completion 3 days after 09:00:30 UTC.
        assert legible(t0 + ACEPTACION_AUTOMATICA.completar_tras, tz) in textos[1]
        assert f"nueva entrega {legible(datetime(2026, 11, 9, tzinfo=UTC), tz)}" in textos[-1]
        assert any("reembolso de US$ 40,00 al cliente" in t for t in textos)
        assert any(f"la entrega vencía el {legible(base.fecha_entrega, tz)}" in t for t in textos)
