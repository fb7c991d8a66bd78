"""`explicacion` without a database: its sentences cannot drift from the code,
and every quotation names its page and is that page's."""

import fnmatch
import re
import tomllib
from dataclasses import replace
from datetime import date, timedelta
from importlib import resources

import pytest

from resolucion_cli import explicacion, reglas
from resolucion_cli.modelo import EstadoDisputa, EstadoPedido, Hecho, Pedido, Rol, TipoDisputa
from tests.conftest import T0
from tests.explicaciones import (
    CLAVES_ESPERADAS,
    CLAVES_SOLO_DE_LAS_PAGINAS_ACTUALES,
    CONSULTADAS,
    PAGINA,
    PAGINA_COMPARTIDA,
    RAIZ,
    _citas,
    _espacios,
    _interpretacion,
    _pagina,
)

# --- the source sentences cannot drift from the code ----------------------------------


def test_the_rule_keys_are_derived_from_the_rules_data():
    assert set(explicacion.claves()) == CLAVES_ESPERADAS


def test_every_rule_key_has_a_name_and_the_tools_reading_for_every_rule_set():
    for politica in reglas.POLITICAS:
        tabla = explicacion.fuentes()[politica]
        faltan = [clave for clave in explicacion.claves() if clave not in tabla]
        assert faltan == [], f"fuentes.toml: a «{politica}» le faltan {faltan}"
        for clave in explicacion.claves():
            assert tabla[clave].regla.strip(), (politica, clave)
            assert tabla[clave].interpretacion.strip().endswith("."), (politica, clave)


def test_the_data_file_holds_no_rule_set_or_key_the_code_does_not_know():
    assert set(explicacion.fuentes()) == set(reglas.POLITICAS)
    for politica, tabla in explicacion.fuentes().items():
        assert set(tabla) == set(explicacion.claves()), politica
        origen = explicacion.origen(politica)
        assert origen.nombre and origen.descripcion.endswith("."), politica


# --- the quotations are their pages', word for word ------------------------------------


def _todas_las_citas():
    return [
        (politica, clave, cita)
        for politica, tabla in explicacion.fuentes().items()
        for clave, fuente in tabla.items()
        for cita in fuente.citas
    ]


def _datos_crudos():
    return tomllib.loads(resources.files("resolucion_cli").joinpath("datos/fuentes.toml").read_text("utf-8"))


def test_every_quoted_sentence_of_the_shipped_page_is_in_it_word_for_word():
    """Whatever the rule set: the Spanish help page is shipped, so each of its quotations is checked."""
    pagina = _espacios(_pagina())
    del_paquete = [(p, clave, c) for p, clave, c in _todas_las_citas() if c.pagina.archivo is not None]
    assert {c.pagina.archivo for _, _, c in del_paquete} == {PAGINA}
    assert len(del_paquete) >= 20
    fuera = [(p, clave, c.texto) for p, clave, c in del_paquete if _espacios(c.texto) not in pagina]
    assert fuera == []


def test_every_quotation_in_the_data_file_names_a_page_of_its_pages_table():
    datos = _datos_crudos()
    conocidas = set(datos["paginas"])
    for politica, tabla in datos.items():
        if politica == "paginas":
            continue
        for clave, entrada in tabla["reglas"].items():
            for cita in entrada.get("citas", []):
                assert set(cita) == {"pagina", "texto"}, (politica, clave, cita)
                assert cita["pagina"] in conocidas, (politica, clave, cita)


def test_every_page_not_shipped_has_its_address_and_the_day_it_was_read():
    """The English pages are not in the package: what makes a quotation checkable is where and when."""
    for clave, pagina in explicacion.paginas().items():
        assert pagina.titulo.strip(), clave
        if pagina.archivo is not None:
            continue
        assert pagina.url.startswith("https://"), clave
        assert pagina.consultada == date.fromisoformat(CONSULTADAS), clave


def test_every_quotation_of_the_second_rule_set_names_a_known_page_with_its_address():
    citas = [c for p, _, c in _todas_las_citas() if p == "aceptacion-automatica"]
    assert citas
    for cita in citas:
        assert explicacion.paginas()[cita.pagina.clave] == cita.pagina
        assert cita.pagina.url or cita.pagina.archivo == PAGINA, cita


def test_an_unknown_page_key_fails_when_the_file_is_read_not_when_a_quotation_is_shown():
    with pytest.raises(KeyError, match="pagina-inventada"):
        explicacion._cita({"pagina": "pagina-inventada", "texto": "Made up."})


def test_each_quotation_is_one_short_sentence_quoting_not_copying_a_page():
    for politica, clave, cita in _todas_las_citas():
        assert len(cita.texto) <= 250, (politica, clave, cita.texto)
        # A second sentence would start after a full stop inside the quotation.
        assert not re.search(r"[.!?] \S", cita.texto), (politica, clave, cita.texto)


def test_a_sentence_the_page_does_not_hold_is_caught():
    """The check above is not vacuous: a paraphrase of the page (the old «2 días» sentence) fails it."""
    parafrasis = "Si el freelancer no envía una actualización en un plazo de 2 días, la solicitud se cerrará."
    assert _espacios(parafrasis) not in _espacios(_pagina())


def test_every_classic_rule_the_page_speaks_of_quotes_it_and_the_page_is_named():
    origen = explicacion.origen("clasica")
    assert origen.pagina == "Centro de resoluciones"
    assert origen.pagina in _pagina()
    fuentes = explicacion.fuentes()["clasica"]
    sin_citas = {clave for clave, f in fuentes.items() if not f.citas}
    assert sin_citas == CLAVES_SOLO_DE_LAS_PAGINAS_ACTUALES
    assert {c.pagina.titulo for f in fuentes.values() for c in f.citas} == {origen.pagina}
    assert _citas("clasica", "vencer.cancelacion")[0].startswith("Una vez transcurrido el plazo de 48-horas")


def test_the_classic_entries_of_what_only_the_current_pages_have_say_these_rules_have_none():
    for clave in ("abrir.reembolso_parcial", "aceptar.reembolso_parcial", "vencer.reembolso_parcial"):
        assert "no habla de reembolsos parciales: estas reglas no los tienen" in _interpretacion("clasica", clave)
    assert reglas.TipoDisputa.REEMBOLSO_PARCIAL not in reglas.CLASICA.tipos
    assert reglas.CLASICA.cancelar_por_retraso is None
    assert "siempre una solicitud con 48 horas" in _interpretacion("clasica", "cancelar_por_retraso")


def test_the_second_rule_set_quotes_the_current_pages_for_every_rule_and_invents_nothing():
    origen = explicacion.origen("aceptacion-automatica")
    # Its quotations come from several pages: each names its own, none is named for all.
    assert origen.pagina is None
    assert "páginas de ayuda actuales del marketplace, en inglés" in origen.descripcion
    assert "más recientes" not in origen.descripcion
    fuentes = explicacion.fuentes()["aceptacion-automatica"]
    assert [clave for clave, f in fuentes.items() if not f.citas] == []
    texto = resources.files("resolucion_cli").joinpath("datos/fuentes.toml").read_text("utf-8")
    assert "Páginas de ayuda más recientes" not in texto
    assert "su precio se sumará al del pedido" not in texto


def test_where_the_current_pages_are_silent_the_classic_rule_stays_and_says_so():
    for clave in ("abrir.extras", "vencer.extras"):
        assert _citas("aceptacion-automatica", clave) == _citas("clasica", clave), clave
        assert "regla clásica" in _interpretacion("aceptacion-automatica", clave), clave
    assert "ninguna de las páginas consultadas dice" in _interpretacion("aceptacion-automatica", "vencer.extras")
    assert reglas.ACEPTACION_AUTOMATICA.al_vencer[TipoDisputa.EXTRAS] == reglas.CLASICA.al_vencer[TipoDisputa.EXTRAS]


def test_an_unanswered_extension_follows_the_current_faq_and_says_the_sources_disagree():
    citas = _citas("aceptacion-automatica", "vencer.prorroga")
    frase = "If the client does not respond, the extension is automatically accepted, and the delivery date will be "
    assert citas == [frase + "modified."]
    fuente = explicacion.fuentes()["aceptacion-automatica"]["vencer.prorroga"]
    assert [c.pagina.titulo for c in fuente.citas] == ["FAQs: Performance metrics and cancellations"]
    assert "48 horas exactas" in fuente.interpretacion and "4 días" in fuente.interpretacion
    final, _ = reglas.ACEPTACION_AUTOMATICA.al_vencer[TipoDisputa.PRORROGA]
    assert final == EstadoDisputa.ACEPTADA
    assert reglas.ACEPTACION_AUTOMATICA.plazos[TipoDisputa.PRORROGA] == timedelta(hours=48)


def test_the_partial_refund_limits_quoted_are_the_ones_the_rules_apply():
    citas = _citas("aceptacion-automatica", "abrir.reembolso_parcial")
    assert f"The order amount must be over ${reglas.REEMBOLSO_MINIMO_PEDIDO // 100}." in citas
    assert f"The minimum refund amount is ${reglas.REEMBOLSO_MINIMO // 100}." in citas
    assert f"The maximum refund is {reglas.REEMBOLSO_MAXIMO_PORCENTAJE}% of the original order price." in citas
    assert any("not the extras" in c for c in citas)


def test_the_48_hours_of_an_unanswered_refund_are_the_tools_reading_of_a_general_sentence():
    """No page on partial refunds says what silence does: the quoted sentence speaks of every request."""
    fuente = explicacion.fuentes()["aceptacion-automatica"]["vencer.reembolso_parcial"]
    assert [c.pagina.titulo for c in fuente.citas] == ["Using the Resolution Center"]
    assert "within 48 hours, the system will automatically accept it" in fuente.citas[0].texto
    assert "no se encontró ninguna frase que lo diga palabra por palabra" in fuente.interpretacion
    assert "48 horas exactas" in fuente.interpretacion
    assert reglas.ACEPTACION_AUTOMATICA.plazos[TipoDisputa.REEMBOLSO_PARCIAL] == timedelta(hours=48)


def test_the_late_cancellation_quotes_its_24_hours_and_the_rules_apply_them():
    citas = explicacion.fuentes()["aceptacion-automatica"]["cancelar_por_retraso"].citas
    assert {c.pagina.titulo for c in citas} == {
        "Cancel an order with the Resolution Center",
        "Using the Resolution Center",
    }
    assert all("24 hours" in c.texto and "without the freelancer's approval" in c.texto for c in citas)
    assert reglas.ACEPTACION_AUTOMATICA.cancelar_por_retraso == timedelta(hours=24)


def test_the_automatic_completion_names_the_terms_as_a_forum_quotes_them():
    (cita,) = explicacion.fuentes()["aceptacion-automatica"]["completar_solo"].citas
    assert "within 3 days after the Order was marked as Delivered" in cita.texto
    assert cita.pagina.url.startswith("https://forum.fiverr.com/")
    assert "Terms of Service" in cita.pagina.titulo and "foro" in cita.pagina.titulo


def test_nothing_but_a_quotation_looks_quoted_and_no_spec_section_is_named():
    datos = _datos_crudos()
    titulos = [pagina["titulo"] for pagina in datos.pop("paginas").values()]
    assert [t for t in titulos if "«" in t or "»" in t] == []
    for politica, tabla in datos.items():
        propios = [tabla["nombre"], tabla["descripcion"]]
        for entrada in tabla["reglas"].values():
            propios += [entrada["regla"], entrada["interpretacion"]]
        for texto in propios + [c["texto"] for e in tabla["reglas"].values() for c in e.get("citas", [])]:
            assert "SPEC" not in texto and "§" not in texto, (politica, texto)
        assert [t for t in propios if "«" in t or "»" in t] == [], politica


def test_the_shipped_page_is_the_projects_copy_of_the_help_page():
    if not PAGINA_COMPARTIDA.exists():
        pytest.skip(f"no shared copy of the help page at {PAGINA_COMPARTIDA} to compare with")
    assert _pagina().encode("utf-8") == PAGINA_COMPARTIDA.read_bytes()


def test_the_page_is_package_data_so_the_wheel_ships_it():
    proyecto = tomllib.loads((RAIZ / "pyproject.toml").read_text(encoding="utf-8"))
    patrones = proyecto["tool"]["setuptools"]["package-data"]["resolucion_cli"]
    assert (RAIZ / "resolucion_cli" / PAGINA).is_file()
    for archivo in (PAGINA, "datos/fuentes.toml"):
        assert any(fnmatch.fnmatch(archivo, patron) for patron in patrones), (archivo, patrones)


def _solicitud(tipo, rol):
    return reglas.Solicitud(
        tipo=tipo,
        motivo="otro" if (tipo, rol) == (TipoDisputa.CANCELACION, Rol.FREELANCER) else None,
        comentario="Comentario",
        nueva_fecha_entrega=T0 + timedelta(days=20) if tipo == TipoDisputa.PRORROGA else None,
        extras_centavos=1000 if tipo == TipoDisputa.EXTRAS else None,
        extras_descripcion="Bocetos" if tipo == TipoDisputa.EXTRAS else None,
        reembolso_centavos=1000 if tipo == TipoDisputa.REEMBOLSO_PARCIAL else None,
    )


def _eventos_posibles(politica):
    """Every event the rules produce: each request the rule set offers, opened and then each way it
    can end; an order completing by itself and a very late order cancelled at once, where the rule
    set has them (no request behind those: `disputa` None)."""
    pedido = Pedido(1, "Logo", "ana", "beto", EstadoPedido.ACTIVO, 10_000, T0 + timedelta(days=7), T0)
    for rol, tipos in reglas.ACCIONES.items():
        for tipo in tipos:
            if tipo not in politica.tipos:
                continue
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
    if politica.completar_tras is not None:
        entregado = replace(pedido, estado=EstadoPedido.ENTREGADO, completar_en=T0 + politica.completar_tras)
        yield None, reglas.completar_solo(entregado).eventos[0]
    if politica.cancelar_por_retraso is not None:
        tarde = T0 + timedelta(days=7) + politica.cancelar_por_retraso
        cancelada = reglas.abrir(pedido, "ana", _solicitud(TipoDisputa.CANCELACION, Rol.CLIENTE), tarde, politica)
        assert cancelada.disputa is None
        yield None, cancelada.eventos[0]


@pytest.mark.parametrize(
    ("politica", "sin_eventos"),
    [(reglas.CLASICA, CLAVES_SOLO_DE_LAS_PAGINAS_ACTUALES), (reglas.ACEPTACION_AUTOMATICA, set())],
    ids=["clasica", "aceptacion-automatica"],
)
def test_every_event_the_rules_produce_maps_to_a_rule_key_with_a_sentence(politica, sin_eventos):
    producidas = set()
    for disputa, evento in _eventos_posibles(politica):
        clave = explicacion.clave_de_evento(disputa, evento)
        assert clave in explicacion.fuentes()[politica.nombre], (evento.tipo, disputa, clave)
        producidas.add(clave)
    assert producidas == CLAVES_ESPERADAS - sin_eventos


def test_the_late_cancellation_event_is_explained_by_its_own_rule_not_by_a_request():
    politica = reglas.ACEPTACION_AUTOMATICA
    ((disputa, evento),) = [
        (d, e) for d, e in _eventos_posibles(politica) if e.hecho == Hecho.PEDIDO_CANCELADO_POR_RETRASO
    ]
    assert disputa is None and evento.disputa is None
    assert explicacion.clave_de_evento(None, evento) == "cancelar_por_retraso"


def test_a_new_way_to_open_a_request_without_a_sentence_would_be_caught(monkeypatch):
    """If the cliente could ask for an extension, `abrir.prorroga` would split by role: no sentence yet."""
    monkeypatch.setitem(reglas.ACCIONES, Rol.CLIENTE, {**reglas.ACCIONES[Rol.CLIENTE], TipoDisputa.PRORROGA: "x"})
    faltan = {clave for clave in explicacion.claves() if clave not in explicacion.fuentes()["clasica"]}
    assert faltan == {"abrir.prorroga.cliente", "abrir.prorroga.freelancer"}


@pytest.mark.parametrize("politica", list(reglas.POLITICAS))
def test_each_expiry_reading_states_the_deadline_of_its_own_rule_set_in_hours(politica):
    for tipo, plazo in reglas.POLITICAS[politica].plazos.items():
        horas = int(plazo.total_seconds() // 3600)
        assert f"{horas} horas" in _interpretacion(politica, f"vencer.{tipo}"), (politica, tipo)


def test_the_automatic_completion_reading_states_its_delay_and_the_classic_one_says_there_is_none():
    tras = reglas.ACEPTACION_AUTOMATICA.completar_tras
    assert f"{tras.days} días" in _interpretacion("aceptacion-automatica", "completar_solo")
    assert reglas.CLASICA.completar_tras is None
    assert "nunca se completa solo" in _interpretacion("clasica", "completar_solo")


def test_what_the_page_never_says_is_the_tools_reading_not_a_quotation():
    """The page gives no deadline for extras: the 4 days are resolucion's, and said to be."""
    assert not any("extras" in c and "4 días" in c for c in _citas("clasica", "abrir.extras"))
    assert "La página no da plazo" in _interpretacion("clasica", "abrir.extras")
    assert "la página no dice" in _interpretacion("clasica", "vencer.extras")
