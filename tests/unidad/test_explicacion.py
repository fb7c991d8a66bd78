"""`explicacion` without a database: its sentences cannot drift from the code,
and its quotations are the help page's."""

import fnmatch
import tomllib
from dataclasses import replace
from datetime import timedelta
from importlib import resources

import pytest

from resolucion_cli import explicacion, reglas
from resolucion_cli.modelo import EstadoPedido, Pedido, Rol, TipoDisputa
from tests.conftest import T0
from tests.explicaciones import (
    CLAVES_ESPERADAS,
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


# --- the quotations are the help page's, word for word ---------------------------------


def test_every_quoted_sentence_is_in_the_help_page_word_for_word():
    pagina = _espacios(_pagina())
    citas = [
        (politica, clave, cita)
        for politica, tabla in explicacion.fuentes().items()
        for clave, fuente in tabla.items()
        for cita in fuente.citas
    ]
    assert len(citas) >= 16
    fuera = [(p, clave, cita) for p, clave, cita in citas if _espacios(cita) not in pagina]
    assert fuera == []


def test_a_sentence_the_page_does_not_hold_is_caught():
    """The check above is not vacuous: a paraphrase of the page (the old «2 días» sentence) fails it."""
    parafrasis = "Si el freelancer no envía una actualización en un plazo de 2 días, la solicitud se cerrará."
    assert _espacios(parafrasis) not in _espacios(_pagina())


def test_every_classic_rule_the_page_speaks_of_quotes_it_and_the_page_is_named():
    origen = explicacion.origen("clasica")
    assert origen.pagina == "Centro de resoluciones"
    assert origen.pagina in _pagina()
    sin_citas = {clave for clave, f in explicacion.fuentes()["clasica"].items() if not f.citas}
    assert sin_citas == {"completar_solo"}
    assert _citas("clasica", "vencer.cancelacion")[0].startswith("Una vez transcurrido el plazo de 48-horas")


def test_the_automatic_acceptance_rules_are_the_tools_own_and_claim_no_source():
    origen = explicacion.origen("aceptacion-automatica")
    assert origen.pagina is None
    assert "propias de resolucion" in origen.descripcion
    assert all(f.citas == () for f in explicacion.fuentes()["aceptacion-automatica"].values())


def test_nothing_but_a_quotation_looks_quoted_and_no_spec_section_is_named():
    datos = tomllib.loads(resources.files("resolucion_cli").joinpath("datos/fuentes.toml").read_text("utf-8"))
    for politica, tabla in datos.items():
        propios = [tabla["nombre"], tabla["descripcion"]]
        for entrada in tabla["reglas"].values():
            propios += [entrada["regla"], entrada["interpretacion"]]
        for texto in propios + [c for e in tabla["reglas"].values() for c in e.get("citas", [])]:
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
