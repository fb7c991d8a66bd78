"""`resolucion explicar`: each step of a request, the rule behind it, and the help pages it quotes."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from resolucion_cli import explicacion
from resolucion_cli.reloj import legible
from tests.explicaciones import (
    CLAVES_ESPERADAS,
    CONSULTADAS,
    _citas,
    _claves,
    _espacios,
    _explicar,
    _interpretacion,
    _pagina,
    _regla,
)

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

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
    assert [p["citas"] for p in datos["pasos"]] == [
        _citas("clasica", "abrir.actualizacion"),
        _citas("clasica", "responder.actualizacion"),
    ]
    assert datos["pasos"][1]["interpretacion"] == _interpretacion("clasica", "responder.actualizacion")
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
    assert datos["pasos"][1]["citas"] == _citas("clasica", "aceptar.prorroga")


def test_an_accepted_cancellation_asked_by_the_freelancer_names_the_freelancer_rule(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "beto", "cancelacion", "--motivo", "no_puedo_completar")
    cli.ok("disputa", "responder", d["id"], "--como", "ana", "--aceptar")
    datos = _explicar(cli, d["id"])
    assert _claves(datos) == ["abrir.cancelacion.freelancer", "aceptar.cancelacion"]
    assert "El pedido aparecerá como Cancelado de mutuo acuerdo." in datos["pasos"][1]["citas"]


def test_rejected_extras_are_explained_by_the_rejection_rule(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "beto", "extras", "--extras-precio", "40", "--extras-descripcion", "Dos bocetos más")
    cli.ok("disputa", "responder", d["id"], "--como", "ana", "--rechazar", "--comentario", "No hace falta")
    datos = _explicar(cli, d["id"])
    assert _claves(datos) == ["abrir.extras", "rechazar"]
    assert datos["pasos"][1]["evento"] == "disputa_rechazada"
    assert datos["pasos"][1]["citas"] == _citas("clasica", "rechazar")


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
    assert vencido["citas"][0].startswith("Una vez transcurrido el plazo de 48-horas")


def test_an_unanswered_extension_under_the_classic_rules_is_revoked_at_96_hours(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "beto", "prorroga", "--nueva-entrega", "2026-03-20")
    cli.ok("tick", "--avanzar", "96h")
    datos = _explicar(cli, d["id"])
    assert _claves(datos) == ["abrir.prorroga", "vencer.prorroga"]
    assert datos["pasos"][1]["citas"] == _citas("clasica", "vencer.prorroga")
    assert "se revocará la solicitud" in datos["pasos"][1]["citas"][0]


def _reembolso_sin_respuesta(cli):
    """Under the current pages' rules: beto offers US$ 40 back on a US$ 100 order; ana never answers."""
    cli.ok("init", "--politica", "aceptacion-automatica")
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "beto", "reembolso_parcial", "--importe", "40")
    cli.ok("tick", "--avanzar", "48h")
    return d


def test_a_partial_refund_accepted_by_silence_names_its_page_and_the_48_hours_are_the_tools_reading(cli):
    d = _reembolso_sin_respuesta(cli)
    datos = _explicar(cli, d["id"])
    assert datos["politica"] == "aceptacion-automatica"
    assert (datos["disputa"]["tipo"], datos["disputa"]["estado"]) == ("reembolso_parcial", "aceptada")
    assert datos["disputa"]["reembolso_centavos"] == 4000
    assert _claves(datos) == ["abrir.reembolso_parcial", "vencer.reembolso_parcial"]
    abierta, aceptada = datos["pasos"]
    assert abierta["citas"] == _citas("aceptacion-automatica", "abrir.reembolso_parcial")
    assert {f["pagina"] for f in abierta["fuentes"]} == {"Partial refunds"}
    assert (aceptada["actor"], aceptada["evento"], aceptada["en"]) == ("sistema", "disputa_aceptada", d["vence_en"])
    assert aceptada["regla"] == "Reembolso parcial aceptado solo a las 48 horas"
    assert aceptada["fuentes"] == [
        {
            "cita": "If the request submitted in the Resolution Center isn’t accepted or declined within 48 hours, "
            "the system will automatically accept it.",
            "pagina": "Using the Resolution Center",
            "url": "https://help.fiverr.com/hc/en-us/articles/37552897293329-Using-the-Resolution-Center",
            "consultada": CONSULTADAS,
        }
    ]
    assert aceptada["interpretacion"] == _interpretacion("aceptacion-automatica", "vencer.reembolso_parcial")
    assert "48 horas exactas" in aceptada["interpretacion"]
    assert "no se encontró ninguna frase que lo diga palabra por palabra" in aceptada["interpretacion"]
    assert datos["origen"]["pagina"] is None
    assert datos["pendiente"] is None


def test_the_screen_of_a_refund_accepted_by_silence_shows_the_page_under_its_quotation(cli):
    d = _reembolso_sin_respuesta(cli)
    r = cli.run("explicar", d["id"])
    assert r.code == 0, r
    pantalla = _espacios(r.out)
    assert "Solicitud #1 del pedido #1 · Aceptada" in r.out
    assert "Regla: Reembolso parcial aceptado solo a las 48 horas" in r.out
    assert (
        "«If the request submitted in the Resolution Center isn’t accepted or declined within 48 hours, the system "
        "will automatically accept it.» — Using the Resolution Center (consultada el 2026-11-29) "
        "Interpretación de resolucion: las páginas de reembolsos parciales no dicen"
    ) in pantalla
    assert "el pedido queda completado con un reembolso de US$ 40,00 al cliente" in pantalla


def test_an_unanswered_extras_offer_under_the_current_pages_keeps_the_classic_rule_and_says_so(cli):
    cli.ok("init", "--politica", "aceptacion-automatica")
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "beto", "extras", "--extras-precio", "40", "--extras-descripcion", "Dos bocetos más")
    cli.ok("tick", "--avanzar", "96h")
    datos = _explicar(cli, d["id"])
    assert datos["disputa"]["estado"] == "vencida"
    assert cli.ok("pedido", "ver", pedido["id"])["pedido"]["precio_centavos"] == pedido["precio_centavos"]
    assert _claves(datos) == ["abrir.extras", "vencer.extras"]
    vencido = datos["pasos"][1]
    assert (vencido["actor"], vencido["evento"]) == ("sistema", "disputa_vencida")
    assert vencido["citas"] == _citas("clasica", "vencer.extras")
    assert {f["pagina"] for f in vencido["fuentes"]} == {"Centro de resoluciones"}
    assert [f["url"] for f in vencido["fuentes"]] == [None]
    assert "ninguna de las páginas consultadas dice" in vencido["interpretacion"]
    assert "mantiene la regla clásica" in vencido["interpretacion"]


def test_a_request_is_explained_by_the_rules_it_was_opened_under_not_the_current_ones(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    cli.ok("init", "--politica", "aceptacion-automatica")
    cli.ok("tick", "--avanzar", "48h")
    datos = _explicar(cli, d["id"])
    assert datos["politica"] == "clasica"
    assert datos["pasos"][1]["citas"] == _citas("clasica", "vencer.cancelacion")
    assert datos["origen"]["pagina"] == "Centro de resoluciones"


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
    assert pendiente["citas"] == _citas("clasica", "vencer.actualizacion")
    assert pendiente["interpretacion"] == _interpretacion("clasica", "vencer.actualizacion")


def test_a_deadline_changed_with_init_plazo_is_said_in_the_tools_reading(cli):
    cli.ok("init", "--plazo", "cancelacion=24h")
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    cli.ok("tick", "--avanzar", "24h")
    datos = _explicar(cli, d["id"])
    assert _claves(datos) == ["abrir.cancelacion.cliente", "vencer.cancelacion"]
    for paso in datos["pasos"]:
        assert paso["interpretacion"].endswith("Esta solicitud tiene otro plazo, 24 h, cambiado con init --plazo.")
        assert paso["regla"] == _regla("clasica", paso["clave"])


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
        assert all(p["clave"] in CLAVES_ESPERADAS and p["interpretacion"] for p in datos["pasos"]), datos
        assert (datos["pendiente"] is not None) == (d["estado"] == "abierta")


# --- output and errors ----------------------------------------------------------------


def test_the_json_object_has_the_request_the_rule_set_and_the_steps(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    cli.ok("disputa", "responder", d["id"], "--como", "beto", "--rechazar")
    datos = _explicar(cli, d["id"])
    assert set(datos) == {"disputa", "politica", "origen", "pasos", "pendiente"}
    assert datos["disputa"] == cli.ok("disputa", "listar")["disputas"][0]
    assert datos["origen"] == {
        "nombre": "Reglas clásicas",
        "descripcion": explicacion.origen("clasica").descripcion,
        "pagina": "Centro de resoluciones",
    }
    for paso in datos["pasos"]:
        assert set(paso) == {"en", "actor", "evento", "detalle", "clave", "regla", "citas", "fuentes", "interpretacion"}
        assert isinstance(paso["citas"], list)
        # `fuentes` holds the same sentences, each with its page: none is given without one.
        assert [f["cita"] for f in paso["fuentes"]] == paso["citas"]
        for f in paso["fuentes"]:
            assert f == {"cita": f["cita"], "pagina": "Centro de resoluciones", "url": None, "consultada": None}
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


def _historia_con_todo(cli):
    """Extras opened, still open: a step with an amount, a date, and a pending deadline."""
    pedido = cli.pedido()
    d = cli.abrir(
        pedido["id"], "beto", "extras", "--extras-precio", "1234,50", "--extras-descripcion", "[bold]Bocetos[/bold]"
    )
    return d


def test_the_screen_shows_each_step_its_rule_its_quotations_and_the_tools_reading(cli):
    d = _historia_con_todo(cli)
    cli.ok("tick", "--avanzar", "96h")
    r = cli.run("explicar", d["id"])
    assert r.code == 0, r
    pantalla = _espacios(r.out)
    assert "Solicitud #1 del pedido #1 · Vencida" in r.out
    assert "Ofrecer extras" in r.out
    assert "Reglas clásicas. Salen de la página de ayuda" in r.out
    assert (
        "Las frases entre comillas son de la página de ayuda «Centro de resoluciones», copiadas palabra por palabra"
        in pantalla
    )
    assert "[bold]Bocetos[/bold]" in r.out
    assert "Regla: Extras sin respuesta en 4 días" in r.out
    assert "2026-03-06 09:00 · sistema" in r.out
    for cita in _citas("clasica", "vencer.extras"):
        assert f"«{_espacios(cita)}»" in pantalla
    assert f"Interpretación de resolucion: {_interpretacion('clasica', 'vencer.extras')}" in pantalla
    assert "SPEC" not in r.out


def test_the_screen_of_an_open_request_says_what_will_happen_at_its_deadline(cli):
    pedido = cli.pedido()
    d = cli.abrir(pedido["id"], "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    r = cli.run("explicar", d["id"])
    assert r.code == 0, r
    assert "2026-03-04 09:00 · sistema · pendiente, vence en 2 días" in r.out
    assert "Regla: Cancelación sin respuesta en 48 horas" in r.out


@pytest.mark.parametrize("columnas", [60, 80, 120])
def test_under_the_current_pages_every_quotation_on_screen_is_followed_by_its_page(cli, columnas):
    """Their quotations come from several pages, so each run of them from one page ends with it."""
    cli.ok("init", "--politica", "aceptacion-automatica")
    pedido = cli.pedido()
    actualizacion = cli.abrir(pedido["id"], "ana", "actualizacion")
    cli.ok("disputa", "responder", actualizacion["id"], "--como", "beto", "--actualizacion", "Voy por la mitad")
    prorroga = cli.abrir(pedido["id"], "beto", "prorroga", "--nueva-entrega", "2026-03-20")
    cli.ok("tick", "--avanzar", "96h")
    reembolso = cli.abrir(pedido["id"], "beto", "reembolso_parcial", "--importe", "60")
    for solicitud in (actualizacion, prorroga, reembolso):
        datos = _explicar(cli, solicitud["id"])
        r = cli.run("explicar", solicitud["id"], env={"COLUMNS": str(columnas)})
        assert r.code == 0, r
        assert max(len(linea) for linea in r.out.splitlines()) <= columnas, r.out
        assert "…" not in r.out
        pantalla = _espacios(r.out)
        assert "Aceptación automática. Salen de las páginas de ayuda actuales del marketplace" in pantalla
        assert "Las frases entre comillas están copiadas palabra por palabra, en la lengua de su página" in pantalla
        pasos = datos["pasos"] + ([datos["pendiente"]] if datos["pendiente"] else [])
        for paso in pasos:
            pantalla = pantalla.replace(_espacios(paso["detalle"]), "")
        citadas = list(re.finditer(r"(?:«[^«»]*» )+", pantalla))
        assert len(citadas) >= 1
        for grupo in citadas:
            assert pantalla[grupo.end() :].startswith("— "), (grupo.group(), r.out)
        for paso in pasos:
            for fuente in paso["fuentes"]:
                assert f"«{fuente['cita']}»" in pantalla
                if fuente["consultada"]:
                    assert f"— {fuente['pagina']} (consultada el {fuente['consultada']})" in pantalla
                else:
                    assert f"— {fuente['pagina']} (la página de ayuda en español que trae resolucion)" in pantalla


@pytest.mark.parametrize("columnas", [60, 80, 120])
def test_every_quotation_on_screen_is_the_pages_and_no_date_id_or_amount_is_cut(cli, columnas):
    d = _historia_con_todo(cli)
    cli.ok("disputa", "responder", d["id"], "--como", "ana", "--rechazar", "--comentario", "Prefiero no añadir nada")
    abierta = cli.abrir(d["pedido"], "ana", "cancelacion", "--comentario", "Lo dejamos aquí")
    for solicitud in (d, abierta):
        datos = _explicar(cli, solicitud["id"])
        r = cli.run("explicar", solicitud["id"], env={"COLUMNS": str(columnas)})
        assert r.code == 0, r
        assert max(len(linea) for linea in r.out.splitlines()) <= columnas, r.out
        assert "…" not in r.out
        lineas = r.out.splitlines()
        # The database's header line (wrapped if narrow), then the request's title.
        titulo = next(i for i, linea in enumerate(lineas) if linea.startswith(f"Solicitud #{solicitud['id']} "))
        assert "".join(lineas[:titulo]).replace(" ", "") == f"Basededatos:{cli.db}"
        assert f"Solicitud #{solicitud['id']} del pedido #{solicitud['pedido']}" in lineas[titulo]
        pasos = datos["pasos"] + ([datos["pendiente"]] if datos["pendiente"] else [])
        for paso in pasos:
            fecha = legible(datetime.fromisoformat(paso["en"]), ZoneInfo("UTC"))
            assert any(linea.startswith(f"{fecha} · {paso['actor']}") for linea in lineas), (fecha, r.out)
        if solicitud is d:
            assert any("US$ 1.234,50" in linea for linea in lineas), r.out
        # Every «…» left once the steps' own texts are taken out is a sentence of the page.
        pantalla, pagina = _espacios(r.out), _espacios(_pagina())
        for paso in pasos:
            pantalla = pantalla.replace(_espacios(paso["detalle"]), "")
        citado = re.findall(r"«([^«»]*)»", pantalla)
        assert len(citado) >= len([c for p in pasos for c in p["citas"]])
        assert [c for c in citado if c not in pagina] == []


@pytest.mark.parametrize("ancho", range(30, 61, 3))
def test_a_wrapped_paragraph_never_splits_a_date_its_seconds_and_offset_or_an_amount(ancho):
    from rich.console import Console

    from resolucion_cli import vista

    unidades = ["2026-10-25 02:30:00 +01:00", "2026-03-04 09:00", "2026-03-04 08:00 UTC", "US$ 1.234,50"]
    texto = "El plazo de la solicitud #12 venció " + " y luego ".join(unidades) + " sin respuesta de nadie."
    salida = io.StringIO()
    vista._parrafo(Console(file=salida, width=ancho, color_system=None), texto, sangria=2)
    lineas = salida.getvalue().splitlines()
    assert all(len(linea) <= ancho and linea.startswith("  ") for linea in lineas), lineas
    assert " ".join(" ".join(lineas).split()) == texto
    for unidad in unidades:
        assert any(unidad in linea for linea in lineas), (unidad, lineas)
