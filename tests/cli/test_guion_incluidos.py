"""`resolucion guion` with the scenarios the package ships: each passes, together they reach every
kind of deadline one second before and at it, and the Madrid scenario needs each of its top lines.
"""

import json
import subprocess
from datetime import timedelta

import pytest

from resolucion_cli import guion, reglas
from resolucion_cli.modelo import TipoDisputa
from resolucion_cli.reloj import iso, parsear_fecha, parsear_fecha_o_duracion, zona
from tests.fiabilidad import _desde_iso
from tests.guiones import (
    ESCENARIOS,
    RAIZ,
    RESOLUCION,
    cambiar_una_vez,
    correr,
    escribir,
)

# --- the shipped scenarios ------------------------------------------------------------


def test_at_least_four_scenarios_are_shipped():
    assert len(ESCENARIOS) >= 4


@pytest.mark.parametrize("ruta", ESCENARIOS, ids=[p.stem for p in ESCENARIOS])
def test_every_shipped_scenario_passes(ruta, temporal, aqui):
    r = correr(ruta, "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    informe = json.loads(r.stdout)
    assert informe["ok"] is True
    assert informe["pasos"] and all(p["ok"] and p["ejecutado"] and p["fallos"] == [] for p in informe["pasos"])
    assert list(temporal.iterdir()) == [] and list(aqui.iterdir()) == []


@pytest.mark.parametrize("ruta", ESCENARIOS, ids=[p.stem for p in ESCENARIOS])
def test_every_shipped_scenario_prints_a_table_with_a_tick_per_step(ruta):
    r = correr(ruta)
    assert r.exit_code == 0, r.stdout + r.stderr
    pasos = len(guion.leer(str(ruta), zona("UTC")).pasos)
    assert r.stdout.count("✔") == pasos + 1  # one per step and the summary line
    assert "✘" not in r.stdout
    assert f"Se cumple todo lo que espera el guion en sus {pasos} pasos." in r.stdout


def _llegadas(escenario: guion.Escenario) -> set[str]:
    """The instants the scenario's ticks land on (`at`, or `siguiente` with the clock expected)."""
    llegadas = set()
    for p in escenario.pasos:
        if p.accion == "tick":
            if "at" in p.datos:
                llegadas.add(iso(parsear_fecha(p.datos["at"], escenario.tz)))
            llegadas |= {c.esperado for c in p.comprobaciones if c.campo == "reloj"}
    return llegadas


def _plazos_de_retraso(escenario: guion.Escenario) -> set[str]:
    """Under a rule set where a client may cancel a late order alone: the instant each order
    created with a delivery date becomes late enough."""
    margen = reglas.POLITICAS[escenario.politica or "clasica"].cancelar_por_retraso
    if margen is None:
        return set()
    entregas = [p.datos["entrega"] for p in escenario.pasos if p.accion == "crear"]
    fechas = [parsear_fecha_o_duracion(e, escenario.tz, "entrega") for e in entregas]
    return {iso(f + margen) for f in fechas if not isinstance(f, timedelta)}


def test_the_shipped_scenarios_cover_every_kind_of_deadline_the_second_before_and_at_it():
    """Each one lands one second before a deadline and then on it: a request's vence_en, where
    the request ends as its rule set says (vencida under clasica, aceptada when accepted), or
    the 24 h past a delivery date after which a client cancels at once. Together they open
    every type of request, under both rule sets."""
    tipos, politicas, retrasos = set(), set(), 0
    for ruta in ESCENARIOS:
        escenario = guion.leer(str(ruta), zona("UTC"))
        politicas.add(escenario.politica or "clasica")
        tipos |= {p.datos["tipo"] for p in escenario.pasos if p.accion == "abrir" and p.codigo == 0}
        llegadas = _llegadas(escenario)
        vencimientos = {
            iso(parsear_fecha(c.esperado, escenario.tz))
            for p in escenario.pasos
            for c in p.comprobaciones
            if c.campo == "vence_en"
        }
        plazos = vencimientos | _plazos_de_retraso(escenario)
        caidos = {v for v in plazos if v in llegadas and iso(_desde_iso(v) - timedelta(seconds=1)) in llegadas}
        assert caidos, ruta.name
        retrasos += bool(caidos - vencimientos)
        if caidos & vencimientos:
            estados = [c.esperado for p in escenario.pasos for c in p.comprobaciones if c.campo == "estado_disputa"]
            assert "abierta" in estados and ({"vencida", "aceptada"} & set(estados)), ruta.name
    assert tipos == {str(t) for t in TipoDisputa}
    assert politicas == {"clasica", "aceptacion-automatica"}
    assert retrasos == 1


def _abrir_tras(escenario: guion.Escenario, llegada: str) -> guion.Paso:
    """The first `abrir` step after the tick that lands on `llegada`."""
    numero = next(
        p.numero
        for p in escenario.pasos
        if p.accion == "tick" and "at" in p.datos and iso(parsear_fecha(p.datos["at"], escenario.tz)) == llegada
    )
    return next(p for p in escenario.pasos[numero:] if p.accion == "abrir")


def test_the_late_cancellation_scenario_asks_one_second_before_24_hours_and_cancels_at_them():
    escenario = guion.leer(str(RAIZ / "sample_data" / "escenarios" / "cancelar-por-retraso.toml"), zona("UTC"))
    (plazo,) = _plazos_de_retraso(escenario)
    antes = _abrir_tras(escenario, iso(_desde_iso(plazo) - timedelta(seconds=1)))
    en_el_plazo = _abrir_tras(escenario, plazo)
    for paso in (antes, en_el_plazo):
        assert (paso.datos["como"], paso.datos["tipo"], paso.codigo) == ("ana", "cancelacion", 0)
    antes_espera = [(c.objeto, c.campo, c.esperado) for c in antes.comprobaciones]
    assert ("disputa", "estado_disputa", "abierta") in antes_espera
    assert ("pedido", "estado", "en_controversia") in antes_espera
    assert "ref" not in en_el_plazo.datos
    assert ("pedido", "estado", "cancelado") in [(c.objeto, c.campo, c.esperado) for c in en_el_plazo.comprobaciones]


def test_the_partial_refund_scenario_expects_the_refund_recorded_on_the_completed_order():
    escenario = guion.leer(str(RAIZ / "sample_data" / "escenarios" / "reembolso-parcial.toml"), zona("UTC"))
    assert escenario.politica == "aceptacion-automatica"
    esperados = [(c.campo, c.esperado) for p in escenario.pasos for c in p.comprobaciones]
    for esperado in (
        ("estado", "completado"),
        ("reembolso_centavos", 12000),
        ("resuelta_por", "sistema"),
        ("estado_disputa", "aceptada"),
        ("estado_disputa", "rechazada"),
    ):
        assert esperado in esperados
    rechazos = {(p.datos["tipo"], p.codigo) for p in escenario.pasos if p.accion == "abrir" and p.codigo}
    assert rechazos == {("reembolso_parcial", 2), ("reembolso_parcial", 1), ("actualizacion", 1)}


ACEPTACION = RAIZ / "sample_data" / "escenarios" / "aceptacion-automatica.toml"


@pytest.mark.parametrize("zona_del_lector", ["UTC", "America/Mexico_City", "Asia/Tokyo"])
def test_a_scenario_with_its_own_tz_passes_whatever_the_readers_zone(zona_del_lector):
    r = correr(ACEPTACION, "--json", "--tz", zona_del_lector)
    assert r.exit_code == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["ok"] is True


def _fallos_sin_linea(tmp_path, linea: str, *opciones) -> list[dict]:
    """The Madrid scenario run without one of its top lines: a failed report (exit 1), its failures."""
    texto = ACEPTACION.read_text(encoding="utf-8")
    r = correr(escribir(tmp_path, cambiar_una_vez(texto, linea + "\n", "")), "--json", *opciones)
    assert r.exit_code == 1, r.stdout + r.stderr
    informe = json.loads(r.stdout)
    assert informe["ok"] is False
    return [f for p in informe["pasos"] for f in p["fallos"]]


def _sin_linea(tmp_path, linea: str, *opciones) -> dict:
    """The same, by field (the last failure of each)."""
    return {f["campo"]: f for f in _fallos_sin_linea(tmp_path, linea, *opciones)}


def test_without_its_tz_line_the_madrid_scenario_fails_on_a_utc_machine(tmp_path):
    assert _sin_linea(tmp_path, 'tz = "Europe/Madrid"', "--tz", "UTC")


def test_without_its_politica_line_the_cancellation_expires_instead_of_being_accepted(tmp_path):
    fallos = _fallos_sin_linea(tmp_path, 'politica = "aceptacion-automatica"')
    estados = [(f["esperado"], f["encontrado"]) for f in fallos if f["campo"] == "estado_disputa"]
    # The cancellation expires instead; the extension, 96 h under clasica, is still open at 48 h.
    assert estados == [("aceptada", "vencida"), ("aceptada", "abierta")]


def test_without_its_plazo_line_the_deadline_is_the_rule_sets_own(tmp_path):
    fallos = _sin_linea(tmp_path, 'plazo = { cancelacion = "24h" }')
    assert fallos["vence_en"]["encontrado"] == "2026-03-30T09:00:00Z"  # 48 h after 2026-03-28 09:00 UTC


def test_the_installed_command_runs_a_shipped_scenario(tmp_path):
    r = subprocess.run(
        [RESOLUCION, "guion", str(RAIZ / "sample_data" / "escenarios" / "extras.toml")],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "RESOLUCION_TZ": "UTC", "COLUMNS": "120", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Se cumple todo lo que espera el guion" in r.stdout
    assert list(tmp_path.iterdir()) == []
