"""`resolucion diagrama`: the command."""

import re

import pytest

from resolucion_cli import diagrama
from tests.conftest import Cli
from tests.diagramas import POLITICAS, RAIZ, _texto

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

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


def test_only_the_automatic_acceptance_orders_show_the_partial_refund_and_the_late_cancellation(cli):
    automatica = cli.run("diagrama", "--politica", "aceptacion-automatica", "--maquina", "pedidos")
    clasica = cli.run("diagrama", "--maquina", "pedidos")
    assert automatica.code == clasica.code == 0, (automatica, clasica)
    for arista in (
        "    activo --> cancelado : cancelacion del cliente con 24 h de retraso — sin esperar respuesta\n",
        "    en_controversia --> completado : reembolso_parcial aceptada\n",
        "    en_controversia --> completado : reembolso_parcial sin respuesta en 48 h\n",
    ):
        assert arista in automatica.out
        assert arista not in clasica.out
    assert "reembolso" not in clasica.out and "retraso" not in clasica.out


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
