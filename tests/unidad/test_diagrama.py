"""The state machines of `diagrama`, generated from `reglas` so they cannot drift
(the `resolucion diagrama` command: tests/cli/test_diagrama.py)."""

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import timedelta

import pytest

from resolucion_cli import diagrama, reglas
from resolucion_cli.modelo import EstadoDisputa, EstadoPedido, Respuesta, Resultado, Rol, TipoDisputa
from tests.diagramas import POLITICAS, _aristas, _hay, _horas, _texto

# --- what the diagrams contain --------------------------------------------------------


@pytest.mark.parametrize("politica", POLITICAS)
def test_mermaid_draws_both_machines_with_every_state_of_the_model(politica):
    texto = _texto("mermaid", politica)
    pedidos, disputas = texto.strip().split("\n\n")
    assert pedidos.startswith("stateDiagram-v2\n") and disputas.startswith("stateDiagram-v2\n")
    for estado in EstadoPedido:
        assert f" as {estado}\n" in pedidos
    for estado in EstadoDisputa:
        assert f" as {estado}\n" in disputas
    assert "Cancelado de mutuo acuerdo" in pedidos


@pytest.mark.parametrize("politica", POLITICAS)
def test_dot_draws_two_digraphs_with_every_state_of_the_model(politica):
    texto = _texto("dot", politica)
    assert texto.count("digraph ") == 2
    assert "digraph pedidos {" in texto and "digraph disputas {" in texto
    for estado in [*EstadoPedido, *EstadoDisputa]:
        assert re.search(rf"^    {estado} \[label=", texto, re.M), estado
    assert 'completado [label="Completado\\n(completado)", peripheries=2];' in texto


@pytest.mark.parametrize("politica", POLITICAS)
def test_the_order_machine_has_the_transitions_of_spec_section_2(politica):
    aristas = _aristas(_texto("mermaid", politica, ("pedidos",)))
    assert _hay(aristas, "[*]", "activo", "pedido crear")
    assert _hay(aristas, "activo", "entregado", "pedido entregar")
    assert _hay(aristas, "entregado", "completado", "pedido completar")
    for antes in ("activo", "entregado"):
        assert _hay(aristas, antes, "en_controversia", "disputa abrir")
        assert _hay(aristas, "en_controversia", antes, "estado anterior")
    assert _hay(aristas, "en_controversia", "cancelado", "cancelacion aceptada")
    # Final states: nothing leaves them but the end.
    for final in ("completado", "cancelado"):
        assert [d for o, d, _ in aristas if o == final] == ["[*]"]
        assert not _hay(aristas, final, "en_controversia")


@pytest.mark.parametrize("politica", POLITICAS)
def test_every_expiry_outcome_in_the_rules_data_is_drawn(politica):
    p = reglas.POLITICAS[politica]
    pedidos = _aristas(_texto("mermaid", politica, ("pedidos",)))
    disputas = _aristas(_texto("mermaid", politica, ("disputas",)))
    for tipo, (final, resultado) in p.al_vencer.items():
        assert _hay(disputas, "abierta", str(final), f"sin respuesta en {_horas(p.plazos[tipo])}", str(tipo)), tipo
        cancela = _hay(pedidos, "en_controversia", "cancelado", f"{tipo} sin respuesta")
        assert cancela == (resultado == Resultado.PEDIDO_CANCELADO), tipo


@pytest.mark.parametrize("politica", POLITICAS)
def test_every_opening_and_every_answer_in_the_rules_data_is_drawn(politica):
    tipos_de_las_reglas = reglas.POLITICAS[politica].tipos
    disputas = _aristas(_texto("mermaid", politica, ("disputas",)))
    for rol, tipos in reglas.ACCIONES.items():
        suyos = [str(t) for t in tipos if t in tipos_de_las_reglas]
        aperturas = [e for o, d, e in disputas if (o, d) == ("[*]", "abierta") and f"el {rol} abre" in e]
        assert aperturas == [f"el {rol} abre ({diagrama._o(suyos)})"], rol
    destino = {Respuesta.ACTUALIZACION: "respondida", Respuesta.ACEPTAR: "aceptada", Respuesta.RECHAZAR: "rechazada"}
    for tipo, respuestas in reglas.RESPUESTAS.items():
        for respuesta in respuestas:
            dibujada = _hay(disputas, "abierta", destino[respuesta], f"--{respuesta}", str(tipo))
            assert dibujada == (tipo in tipos_de_las_reglas), (tipo, respuesta)
    assert _hay(disputas, "abierta", "revocada", "disputa revocar")
    for final in ("respondida", "aceptada", "rechazada", "revocada", "vencida"):
        assert (final, "[*]", "") in disputas


@pytest.mark.parametrize("politica", POLITICAS)
def test_revoking_applies_to_every_type_of_the_rule_set_so_its_edge_names_none(politica):
    disputas = _aristas(_texto("mermaid", politica, ("disputas",)))
    assert ("abierta", "revocada", "disputa revocar (quien la abrió)") in disputas


def test_automatic_completion_is_drawn_only_for_the_rule_set_that_has_it():
    for nombre, politica in reglas.POLITICAS.items():
        pedidos = _aristas(_texto("mermaid", nombre, ("pedidos",)))
        solo = _hay(pedidos, "entregado", "completado", "el cliente no responde")
        assert solo == (politica.completar_tras is not None), nombre
    automatica = _aristas(_texto("mermaid", "aceptacion-automatica", ("pedidos",)))
    assert _hay(automatica, "entregado", "completado", "72 h")


def test_the_two_rule_sets_give_different_diagrams():
    for formato in diagrama.FORMATOS:
        assert _texto(formato, "clasica") != _texto(formato, "aceptacion-automatica")
    clasica = _aristas(_texto("mermaid", "clasica", ("disputas",)))
    automatica = _aristas(_texto("mermaid", "aceptacion-automatica", ("disputas",)))
    # Extras are withdrawn unanswered under both; an extension is withdrawn after 96 h under
    # `clasica` and accepted after 48 h under `aceptacion-automatica`; a cancellation expires
    # under `clasica` and is accepted by the silence under `aceptacion-automatica`.
    assert ("abierta", "vencida", "sin respuesta en 96 h — nada cambia (prorroga o extras)") in clasica
    assert ("abierta", "vencida", "sin respuesta en 96 h — nada cambia (extras)") in automatica
    assert (
        "abierta",
        "aceptada",
        "sin respuesta en 48 h — se acepta sola (prorroga o reembolso_parcial)",
    ) in automatica
    assert ("abierta", "vencida", "sin respuesta en 48 h — el pedido se cancela (cancelacion)") in clasica
    assert not _hay(clasica, "abierta", "aceptada", "sin respuesta")
    assert ("abierta", "aceptada", "sin respuesta en 48 h — el pedido se cancela (cancelacion)") in automatica
    assert not _hay(automatica, "abierta", "vencida", "cancelacion")


def test_the_partial_refund_and_its_outcomes_are_drawn_only_under_automatic_acceptance():
    automatica = _aristas(_texto("mermaid", "aceptacion-automatica"))
    assert _hay(automatica, "[*]", "abierta", "el freelancer abre", "reembolso_parcial")
    assert _hay(automatica, "[*]", "abierta", "el cliente abre") and not _hay(
        automatica, "[*]", "abierta", "el cliente abre", "reembolso_parcial"
    )
    # Accepted, by answer or by 48 h of silence, it completes the order; rejected or revoked,
    # the order goes back to where it was.
    assert ("en_controversia", "completado", "reembolso_parcial aceptada") in automatica
    assert ("en_controversia", "completado", "reembolso_parcial sin respuesta en 48 h") in automatica
    assert _hay(automatica, "abierta", "aceptada", "sin respuesta en 48 h — se acepta sola", "reembolso_parcial")
    assert _hay(automatica, "abierta", "aceptada", "--aceptar", "reembolso_parcial")
    assert _hay(automatica, "abierta", "rechazada", "--rechazar", "reembolso_parcial")
    for antes in ("activo", "entregado"):
        assert ("en_controversia", antes, "la solicitud termina — vuelve al estado anterior") in automatica
    assert "reembolso" not in _texto("mermaid", "clasica") + _texto("dot", "clasica")


def test_the_late_cancellation_is_drawn_only_under_automatic_acceptance_from_an_active_order():
    automatica = _aristas(_texto("mermaid", "aceptacion-automatica", ("pedidos",)))
    tardias = [(o, d, e) for o, d, e in automatica if "retraso" in e]
    assert tardias == [("activo", "cancelado", "cancelacion del cliente con 24 h de retraso — sin esperar respuesta")]
    assert "retraso" not in _texto("mermaid", "clasica") + _texto("dot", "clasica")
    dot = _texto("dot", "aceptacion-automatica", ("pedidos",))
    assert 'activo -> cancelado [label="cancelacion del cliente con 24 h de retraso — sin esperar respuesta"];' in dot


def test_the_late_cancellation_follows_the_rule_set_data():
    cambiada = replace(reglas.ACEPTACION_AUTOMATICA, cancelar_por_retraso=timedelta(hours=12))
    pedidos = _aristas(diagrama.diagrama("mermaid", cambiada, ("pedidos",)))
    assert _hay(pedidos, "activo", "cancelado", "cancelacion del cliente con 12 h de retraso")
    sin = replace(reglas.ACEPTACION_AUTOMATICA, cancelar_por_retraso=None)
    assert "retraso" not in diagrama.diagrama("mermaid", sin, ("pedidos",))


def test_mermaid_labels_carry_no_character_that_mermaid_would_read_as_syntax():
    for politica in POLITICAS:
        for linea in _texto("mermaid", politica).splitlines():
            if " --> " in linea and " : " in linea:
                etiqueta = linea.split(" : ", 1)[1]
                assert not set(etiqueta) & set(':;"{}'), linea


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_graphviz_reads_the_dot_output(tmp_path):
    for politica in POLITICAS:
        r = subprocess.run(["dot", "-Tsvg"], input=_texto("dot", politica), capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert "<svg" in r.stdout


# --- generated from the rules: changing them changes the diagram ----------------------


def test_changing_what_an_unanswered_cancellation_does_changes_both_diagrams(monkeypatch):
    antes = _texto("mermaid", "clasica")
    monkeypatch.setitem(
        reglas.CLASICA.al_vencer, TipoDisputa.CANCELACION, (EstadoDisputa.VENCIDA, Resultado.PEDIDO_RESTAURADO)
    )
    despues = _texto("mermaid", "clasica")
    assert despues != antes
    pedidos = _aristas(_texto("mermaid", "clasica", ("pedidos",)))
    assert not _hay(pedidos, "en_controversia", "cancelado", "sin respuesta")
    assert _hay(pedidos, "en_controversia", "cancelado", "cancelacion aceptada")
    disputas = _aristas(_texto("mermaid", "clasica", ("disputas",)))
    assert _hay(disputas, "abierta", "vencida", "vuelve a su estado anterior", "cancelacion")


def test_changing_a_deadline_changes_the_label(monkeypatch):
    monkeypatch.setitem(reglas.CLASICA.plazos, TipoDisputa.PRORROGA, timedelta(hours=24))
    disputas = _aristas(_texto("mermaid", "clasica", ("disputas",)))
    assert _hay(disputas, "abierta", "vencida", "sin respuesta en 24 h", "prorroga")


def test_giving_a_role_another_action_adds_it_to_the_diagram(monkeypatch):
    monkeypatch.setitem(reglas.ACCIONES, Rol.CLIENTE, {**reglas.ACCIONES[Rol.CLIENTE], TipoDisputa.PRORROGA: "x"})
    disputas = _aristas(_texto("mermaid", "clasica", ("disputas",)))
    assert _hay(disputas, "[*]", "abierta", "el cliente abre", "prorroga")


def test_taking_away_an_answer_removes_its_edge(monkeypatch):
    monkeypatch.setitem(reglas.RESPUESTAS, TipoDisputa.EXTRAS, (Respuesta.ACEPTAR,))
    disputas = _aristas(_texto("mermaid", "clasica", ("disputas",)))
    assert _hay(disputas, "abierta", "rechazada", "--rechazar", "prorroga")
    assert not _hay(disputas, "abierta", "rechazada", "extras")


def test_automatic_completion_follows_the_rule_set_data():
    cambiada = reglas.Politica("clasica", reglas.CLASICA.plazos, reglas.CLASICA.al_vencer, timedelta(days=5))
    pedidos = _aristas(diagrama.diagrama("mermaid", cambiada, ("pedidos",)))
    assert _hay(pedidos, "entregado", "completado", "el cliente no responde en 120 h")
