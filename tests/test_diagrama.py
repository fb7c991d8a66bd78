"""`resolucion diagrama`: the state machines, generated from `reglas` so they cannot drift."""

import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import Cli

from resolucion_cli import diagrama, reglas
from resolucion_cli.modelo import EstadoDisputa, EstadoPedido, Respuesta, Resultado, Rol, TipoDisputa

RAIZ = Path(__file__).resolve().parent.parent
POLITICAS = list(reglas.POLITICAS)
ARISTA = re.compile(r"^    (\S+) --> (\S+)(?: : (.*))?$")


def _texto(formato="mermaid", politica="clasica", cuales=diagrama.MAQUINAS):
    return diagrama.diagrama(formato, reglas.POLITICAS[politica], cuales)


def _aristas(texto: str) -> list[tuple[str, str, str]]:
    """The (from, to, label) edges of Mermaid text."""
    return [(m[1], m[2], m[3] or "") for m in map(ARISTA.match, texto.splitlines()) if m]


def _hay(aristas, origen, destino, *fragmentos) -> bool:
    return any(o == origen and d == destino and all(f in e for f in fragmentos) for o, d, e in aristas)


def _horas(duracion: timedelta) -> str:
    return f"{duracion.total_seconds() / 3600:g} h"


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
    disputas = _aristas(_texto("mermaid", politica, ("disputas",)))
    for rol, tipos in reglas.ACCIONES.items():
        assert _hay(disputas, "[*]", "abierta", f"el {rol} abre", *map(str, tipos)), rol
    destino = {Respuesta.ACTUALIZACION: "respondida", Respuesta.ACEPTAR: "aceptada", Respuesta.RECHAZAR: "rechazada"}
    for tipo, respuestas in reglas.RESPUESTAS.items():
        for respuesta in respuestas:
            assert _hay(disputas, "abierta", destino[respuesta], f"--{respuesta}", str(tipo)), (tipo, respuesta)
    assert _hay(disputas, "abierta", "revocada", "disputa revocar")
    for final in ("respondida", "aceptada", "rechazada", "revocada", "vencida"):
        assert (final, "[*]", "") in disputas


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
    assert _hay(clasica, "abierta", "vencida", "prorroga", "96 h")
    assert not _hay(clasica, "abierta", "aceptada", "sin respuesta")
    assert _hay(automatica, "abierta", "aceptada", "sin respuesta en 48 h", "prorroga")
    assert not _hay(automatica, "abierta", "vencida", "prorroga")


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


# --- the command ----------------------------------------------------------------------


def test_the_command_prints_mermaid_for_the_classic_rules_by_default(cli):
    r = cli.run("diagrama")
    assert r.code == 0, r
    assert r.out == _texto("mermaid", "clasica")


def test_the_command_prints_dot_for_the_chosen_rule_set_and_machine(cli):
    r = cli.run("diagrama", "--formato", "dot", "--politica", "aceptacion-automatica", "--maquina", "disputas")
    assert r.code == 0, r
    assert r.out == _texto("dot", "aceptacion-automatica", ("disputas",))
    assert r.out.startswith("digraph disputas {") and "digraph pedidos" not in r.out


def test_the_json_object_has_the_format_the_rule_set_and_the_text(cli):
    datos = cli.ok("diagrama", "--formato", "dot", "--politica", "aceptacion-automatica")
    assert datos == {
        "formato": "dot",
        "politica": "aceptacion-automatica",
        "texto": _texto("dot", "aceptacion-automatica"),
    }


def test_long_lines_are_not_wrapped_on_a_narrow_terminal(cli):
    r = cli.run("diagrama", env={"COLUMNS": "40"})
    assert r.code == 0, r
    assert r.out == _texto("mermaid", "clasica")


@pytest.mark.parametrize(
    "opciones", [("--formato", "svg"), ("--politica", "otra"), ("--maquina", "usuarios")], ids=lambda o: o[0]
)
def test_an_unknown_format_rule_set_or_machine_is_exit_2(cli, opciones):
    r = cli.fails(2, "diagrama", *opciones)
    assert opciones[0] in r.error["mensaje"]


def test_the_command_needs_no_database_and_makes_none(tmp_path):
    nada = Cli(tmp_path / "nada.db")
    r = nada.run("diagrama", "--json")
    assert r.code == 0, r
    assert not (tmp_path / "nada.db").exists()


def test_the_rules_page_embeds_the_current_mermaid_diagrams_of_both_rule_sets():
    pagina = (RAIZ / "docs" / "reglas.md").read_text(encoding="utf-8")
    bloques = re.findall(r"```mermaid\n(.*?)```", pagina, re.S)
    for politica in POLITICAS:
        for maquina in diagrama.MAQUINAS:
            assert _texto("mermaid", politica, (maquina,)) in bloques, (politica, maquina)
