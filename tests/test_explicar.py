"""`resolucion explicar`: each step of a request, the rule behind it, and its source sentence."""

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import T0

from resolucion_cli import explicacion, reglas
from resolucion_cli.modelo import EstadoPedido, Pedido, Rol, TipoDisputa

CLAVES_ESPERADAS = {
    "abrir.actualizacion",
    "abrir.cancelacion.cliente",
    "abrir.cancelacion.freelancer",
    "abrir.prorroga",
    "abrir.extras",
    "responder.actualizacion",
    "aceptar.cancelacion",
    "aceptar.prorroga",
    "aceptar.extras",
    "rechazar",
    "revocar",
    "vencer.actualizacion",
    "vencer.cancelacion",
    "vencer.prorroga",
    "vencer.extras",
    "completar_solo",
}


def _fuente(politica, clave):
    return explicacion.fuentes()[politica][clave].fuente


def _regla(politica, clave):
    return explicacion.fuentes()[politica][clave].regla


def _explicar(cli, disputa, *extra):
    return cli.ok("explicar", disputa, *extra)


def _claves(datos):
    return [p["clave"] for p in datos["pasos"]]


# --- the source sentences cannot drift from the code ----------------------------------


def test_the_rule_keys_are_derived_from_the_rules_data():
    assert set(explicacion.claves()) == CLAVES_ESPERADAS


def test_every_rule_key_has_a_name_and_a_source_sentence_for_every_rule_set():
    for politica in reglas.POLITICAS:
        tabla = explicacion.fuentes()[politica]
        faltan = [clave for clave in explicacion.claves() if clave not in tabla]
        assert faltan == [], f"fuentes.toml: a «{politica}» le faltan {faltan}"
        for clave in explicacion.claves():
            assert tabla[clave].regla.strip(), (politica, clave)
            assert tabla[clave].fuente.strip().endswith("."), (politica, clave)


def test_the_data_file_holds_no_rule_set_or_key_the_code_does_not_know():
    assert set(explicacion.fuentes()) == set(reglas.POLITICAS)
    for politica, tabla in explicacion.fuentes().items():
        assert set(tabla) == set(explicacion.claves()), politica
        assert explicacion.origen(politica)


def _solicitud(tipo, rol):
    return reglas.Solicitud(
        tipo=tipo,
        motivo="otro" if (tipo, rol) == (TipoDisputa.CANCELACION, Rol.FREELANCER) else None,
        comentario="Comentario",
        nueva_fecha_entrega=T0 + timedelta(days=20) if tipo == TipoDisputa.PRORROGA else None,
        extras_centavos=1000 if tipo == TipoDisputa.EXTRAS else None,
        extras_descripcion="Bocetos" if tipo == TipoDisputa.EXTRAS else None,
    )


def _eventos_posibles(politica):
    """Every event the rules produce for a request: opened, then each way it can end."""
    pedido = Pedido(1, "Logo", "ana", "beto", EstadoPedido.ACTIVO, 10_000, T0 + timedelta(days=7), T0)
    for rol, tipos in reglas.ACCIONES.items():
        for tipo in tipos:
            quien = "ana" if rol == Rol.CLIENTE else "beto"
            abierta = reglas.abrir(pedido, quien, _solicitud(tipo, rol), T0, politica)
            d = replace(abierta.disputa, id=1)
            yield d, replace(abierta.eventos[0], disputa=1)
            finales = [
                reglas.responder(abierta.pedido, d, d.destinatario, r, "Texto", T0) for r in reglas.RESPUESTAS[tipo]
            ]
            finales += [reglas.revocar(abierta.pedido, d, quien, None, T0), reglas.vencer(abierta.pedido, d)]
            for final in finales:
                yield d, final.eventos[0]


@pytest.mark.parametrize("politica", list(reglas.POLITICAS.values()), ids=list(reglas.POLITICAS))
def test_every_event_the_rules_produce_maps_to_a_rule_key_with_a_sentence(politica):
    producidas = set()
    for disputa, evento in _eventos_posibles(politica):
        clave = explicacion.clave_de_evento(disputa, evento)
        assert clave in explicacion.fuentes()[politica.nombre], (evento.tipo, disputa.tipo, clave)
        producidas.add(clave)
    assert producidas == CLAVES_ESPERADAS - {"completar_solo"}


def test_a_new_way_to_open_a_request_without_a_sentence_would_be_caught(monkeypatch):
    """If the cliente could ask for an extension, `abrir.prorroga` would split by role: no sentence yet."""
    monkeypatch.setitem(reglas.ACCIONES, Rol.CLIENTE, {**reglas.ACCIONES[Rol.CLIENTE], TipoDisputa.PRORROGA: "x"})
    faltan = {clave for clave in explicacion.claves() if clave not in explicacion.fuentes()["clasica"]}
    assert faltan == {"abrir.prorroga.cliente", "abrir.prorroga.freelancer"}


def _plazo_en_texto(duracion: timedelta) -> list[str]:
    horas = int(duracion.total_seconds() // 3600)
    formas = [f"{horas} horas"]
    if horas % 24 == 0:
        formas.append(f"{horas // 24} días")
    return formas


@pytest.mark.parametrize("politica", list(reglas.POLITICAS))
def test_each_expiry_sentence_quotes_the_deadline_of_its_own_rule_set(politica):
    for tipo, plazo in reglas.POLITICAS[politica].plazos.items():
        texto = _fuente(politica, f"vencer.{tipo}")
        assert any(forma in texto for forma in _plazo_en_texto(plazo)), (politica, tipo, texto)


def test_the_automatic_completion_sentence_quotes_its_delay_and_the_classic_one_says_there_is_none():
    tras = reglas.ACEPTACION_AUTOMATICA.completar_tras
    assert f"{tras.days} días" in _fuente("aceptacion-automatica", "completar_solo")
    assert reglas.CLASICA.completar_tras is None
    assert "nunca se completa solo" in _fuente("clasica", "completar_solo")


def test_the_classic_sentences_are_those_of_the_help_page():
    assert _fuente("clasica", "vencer.cancelacion").startswith(
        "Una vez transcurrido el plazo de 48 horas, el pedido se cancelará automáticamente"
    )
    assert _fuente("clasica", "vencer.actualizacion").startswith(
        "Si el freelancer no envía una actualización en un plazo de 2 días, la solicitud se cerrará automáticamente"
    )
    assert _fuente("clasica", "vencer.prorroga").startswith(
        "Si el cliente no responde a la solicitud en un plazo de 4 días, la solicitud se revocará"
    )


# --- each way a request ends ----------------------------------------------------------


def test_an_answered_update_is_explained_by_the_opening_and_the_update_rules(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "ana", "actualizacion")
    cli.ok("disputa", "responder", d["id"], "--como", "beto", "--actualizacion", "Voy por la mitad")
    datos = _explicar(cli, d["id"])
    assert datos["politica"] == "clasica"
    assert _claves(datos) == ["abrir.actualizacion", "responder.actualizacion"]
    assert [p["actor"] for p in datos["pasos"]] == ["ana", "beto"]
    assert [p["evento"] for p in datos["pasos"]] == ["disputa_abierta", "disputa_respondida"]
    assert [p["fuente"] for p in datos["pasos"]] == [
        _fuente("clasica", "abrir.actualizacion"),
        _fuente("clasica", "responder.actualizacion"),
    ]
    assert datos["pasos"][1]["regla"] == _regla("clasica", "responder.actualizacion")
    assert datos["pendiente"] is None


def test_an_accepted_extension_is_explained_by_the_acceptance_of_an_extension(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "beto", "prorroga", "--nueva-entrega", "2026-03-20")
    cli.ok("disputa", "responder", d["id"], "--como", "ana", "--aceptar")
    datos = _explicar(cli, d["id"])
    assert _claves(datos) == ["abrir.prorroga", "aceptar.prorroga"]
    assert [p["actor"] for p in datos["pasos"]] == ["beto", "ana"]
    assert datos["pasos"][1]["evento"] == "disputa_aceptada"
    assert datos["pasos"][1]["fuente"] == _fuente("clasica", "aceptar.prorroga")


def test_an_accepted_cancellation_asked_by_the_freelancer_names_the_freelancer_rule(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "beto", "cancelacion", "--motivo", "no_puedo_completar")
    cli.ok("disputa", "responder", d["id"], "--como", "ana", "--aceptar")
    datos = _explicar(cli, d["id"])
    assert _claves(datos) == ["abrir.cancelacion.freelancer", "aceptar.cancelacion"]
    assert "Cancelado de mutuo acuerdo" in datos["pasos"][1]["fuente"]


def test_rejected_extras_are_explained_by_the_rejection_rule(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "beto", "extras", "--extras-precio", "40", "--extras-descripcion", "Dos bocetos más")
    cli.ok("disputa", "responder", d["id"], "--como", "ana", "--rechazar", "--comentario", "No hace falta")
    datos = _explicar(cli, d["id"])
    assert _claves(datos) == ["abrir.extras", "rechazar"]
    assert datos["pasos"][1]["evento"] == "disputa_rechazada"
    assert datos["pasos"][1]["fuente"] == _fuente("clasica", "rechazar")


def test_a_revoked_request_is_explained_by_the_revocation_rule(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "beto", "prorroga", "--nueva-entrega", "2026-03-20")
    cli.ok("disputa", "revocar", d["id"], "--como", "beto")
    datos = _explicar(cli, d["id"])
    assert _claves(datos) == ["abrir.prorroga", "revocar"]
    assert [p["actor"] for p in datos["pasos"]] == ["beto", "beto"]
    assert datos["pasos"][1]["evento"] == "disputa_revocada"


def test_an_expired_cancellation_under_the_classic_rules_quotes_the_48_hour_sentence(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    cli.ok("tick", "--avanzar", "48h")
    datos = _explicar(cli, d["id"])
    assert _claves(datos) == ["abrir.cancelacion.cliente", "vencer.cancelacion"]
    vencido = datos["pasos"][1]
    assert vencido["actor"] == "sistema"
    assert vencido["evento"] == "disputa_vencida"
    assert vencido["en"] == d["vence_en"] == "2026-03-04T09:00:00Z"
    assert vencido["regla"] == "Cancelación sin respuesta en 48 horas"
    assert vencido["fuente"].startswith("Una vez transcurrido el plazo de 48 horas")


def test_an_unanswered_extension_under_the_classic_rules_is_revoked_at_96_hours(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "beto", "prorroga", "--nueva-entrega", "2026-03-20")
    cli.ok("tick", "--avanzar", "96h")
    datos = _explicar(cli, d["id"])
    assert _claves(datos) == ["abrir.prorroga", "vencer.prorroga"]
    assert datos["pasos"][1]["fuente"] == _fuente("clasica", "vencer.prorroga")


def test_an_unanswered_request_under_automatic_acceptance_is_accepted_by_the_system(cli):
    cli.ok("init", "--politica", "aceptacion-automatica")
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "beto", "extras", "--extras-precio", "40", "--extras-descripcion", "Dos bocetos más")
    cli.ok("tick", "--avanzar", "48h")
    datos = _explicar(cli, d["id"])
    assert datos["politica"] == "aceptacion-automatica"
    assert datos["disputa"]["estado"] == "aceptada"
    assert _claves(datos) == ["abrir.extras", "vencer.extras"]
    aceptado = datos["pasos"][1]
    assert (aceptado["actor"], aceptado["evento"]) == ("sistema", "disputa_aceptada")
    assert aceptado["fuente"] == _fuente("aceptacion-automatica", "vencer.extras")
    assert "se aceptará automáticamente" in aceptado["fuente"]
    assert aceptado["fuente"] != _fuente("clasica", "vencer.extras")


def test_a_request_is_explained_by_the_rules_it_was_opened_under_not_the_current_ones(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    cli.ok("init", "--politica", "aceptacion-automatica")
    cli.ok("tick", "--avanzar", "48h")
    datos = _explicar(cli, d["id"])
    assert datos["politica"] == "clasica"
    assert datos["pasos"][1]["fuente"] == _fuente("clasica", "vencer.cancelacion")


def test_an_open_request_shows_the_rule_that_will_apply_at_its_deadline(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "ana", "actualizacion")
    datos = _explicar(cli, d["id"])
    assert _claves(datos) == ["abrir.actualizacion"]
    pendiente = datos["pendiente"]
    assert pendiente["en"] == d["vence_en"]
    assert pendiente["actor"] == "sistema"
    assert pendiente["evento"] == "disputa_vencida"
    assert pendiente["clave"] == "vencer.actualizacion"
    assert pendiente["fuente"] == _fuente("clasica", "vencer.actualizacion")


def test_a_deadline_changed_with_init_plazo_is_said_next_to_the_rule(cli):
    cli.ok("init", "--plazo", "cancelacion=24h")
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    cli.ok("tick", "--avanzar", "24h")
    datos = _explicar(cli, d["id"])
    assert _claves(datos) == ["abrir.cancelacion.cliente", "vencer.cancelacion"]
    for paso in datos["pasos"]:
        assert "24 h" in paso["regla"] and "init --plazo" in paso["regla"]


def test_only_the_events_of_that_request_are_explained(cli):
    pedido = cli.pedido()
    primera = cli.abrir(pedido["id"], "ana", "actualizacion")
    cli.ok("disputa", "revocar", primera["id"], "--como", "ana")
    segunda = cli.abrir(pedido["id"], "beto", "prorroga", "--nueva-entrega", "2026-03-20")
    assert _claves(_explicar(cli, primera["id"])) == ["abrir.actualizacion", "revocar"]
    assert _claves(_explicar(cli, segunda["id"])) == ["abrir.prorroga"]


def test_every_generated_request_is_explained_by_known_rules(cli):
    cli.ok("generar", "--pedidos", "40", "--semilla", "3")
    disputas = cli.ok("disputa", "listar", "--limite", "1000")["disputas"]
    assert disputas
    for d in disputas:
        datos = _explicar(cli, d["id"])
        assert datos["pasos"], d
        assert datos["pasos"][0]["evento"] == "disputa_abierta"
        assert all(p["clave"] in CLAVES_ESPERADAS and p["fuente"] for p in datos["pasos"]), datos
        assert (datos["pendiente"] is not None) == (d["estado"] == "abierta")


# --- output and errors ----------------------------------------------------------------


def test_the_json_object_has_the_request_the_rule_set_and_the_steps(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    cli.ok("disputa", "responder", d["id"], "--como", "beto", "--rechazar")
    datos = _explicar(cli, d["id"])
    assert set(datos) == {"disputa", "politica", "pasos", "pendiente"}
    assert datos["disputa"] == cli.ok("disputa", "listar")["disputas"][0]
    for paso in datos["pasos"]:
        assert set(paso) == {"en", "actor", "evento", "detalle", "clave", "regla", "fuente"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", paso["en"])


def test_a_request_that_does_not_exist_is_exit_3(cli):
    r = cli.fails(3, "explicar", 99)
    assert "No existe la solicitud #99" in r.error["mensaje"]


def test_someone_who_is_not_a_party_is_exit_4_and_the_parties_may_see_it(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "ana", "actualizacion")
    cli.fails(4, "explicar", d["id"], "--como", "zoe")
    for parte in ("ana", "beto"):
        assert _explicar(cli, d["id"], "--como", parte)["disputa"]["id"] == d["id"]


def test_a_missing_or_malformed_id_is_exit_2(cli):
    cli.fails(2, "explicar")
    cli.fails(2, "explicar", "uno")


def _celdas(pantalla: str, columna: str) -> str:
    """The text of one table column, its wrapped lines joined again."""
    lineas = pantalla.splitlines()
    cabecera = next(i for i, linea in enumerate(lineas) if columna in linea and "Cuándo" in linea)
    desde = lineas[cabecera].index(columna)
    return " ".join(linea[desde:].strip() for linea in lineas[cabecera + 2 :] if len(linea) > desde)


def test_the_screen_shows_a_table_of_steps_with_rules_and_sources_and_markup_stays_text(cli):
    pedido = cli.pedido()
    d = cli.abrir(
        pedido["id"], "beto", "extras", "--extras-precio", "40", "--extras-descripcion", "[bold]Bocetos[/bold]"
    )
    cli.ok("tick", "--avanzar", "96h")
    r = cli.run("explicar", d["id"])
    assert r.code == 0, r
    for cabecera in ("Cuándo", "Quién", "Qué pasó", "Regla", "Fuente"):
        assert cabecera in r.out
    assert "Solicitud #1 · Ofrecer extras · pedido #1 · Vencida" in r.out
    assert "Reglas «clasica»" in r.out
    assert "[bold]Bocetos[/bold]" in r.out
    assert "Extras sin respuesta en 4 días" in r.out
    assert "sistema" in r.out
    # The source sentence, whatever the table's wrapping did to it.
    assert "«Si el cliente no responde a la solicitud en un plazo de 4 días" in _celdas(r.out, "Fuente")


def test_the_screen_of_an_open_request_says_what_will_happen_at_its_deadline(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    r = cli.run("explicar", d["id"])
    assert r.code == 0, r
    assert "Pendiente (vence en 2 días" in r.out
    assert "Cancelación sin respuesta en 48 horas" in r.out
