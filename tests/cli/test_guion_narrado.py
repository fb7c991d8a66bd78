"""`resolucion guion ARCHIVO --narrar [--pausa]`: a scenario told as `demo` tells its story.

Each step is announced, shown as the command a person would type, followed by the screen they
would then see and what the scenario checked; the report closes it. The commands shown are
real: typed one after another into a new database, they make the same marketplace.
"""

import json
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from resolucion_cli import guion
from resolucion_cli.cli import app
from resolucion_cli.reloj import iso, nombre_zona, zona

RAIZ = Path(__file__).resolve().parents[2]
ESCENARIOS = sorted((RAIZ / "sample_data" / "escenarios").glob("*.toml"))
MADRID = RAIZ / "sample_data" / "escenarios" / "aceptacion-automatica.toml"


def resolucion(*args, input=None, ancho=80):
    r = CliRunner().invoke(app, [str(a) for a in args], input=input, env={"COLUMNS": str(ancho), "NO_COLOR": "1"})
    assert "Traceback" not in r.stderr, r.stderr
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r


def test_each_step_is_announced_with_its_command_its_screen_and_its_checks():
    escenario = guion.leer(str(MADRID), zona("UTC"))
    r = resolucion("guion", MADRID, "--narrar", ancho=200)
    assert r.exit_code == 0, r.stdout + r.stderr
    salida = r.stdout
    assert salida.startswith(f"Guion «{MADRID}»: Con aceptacion-automatica")
    assert "Fechas en Europe/Madrid · reglas «aceptacion-automatica»." in salida
    for paso in escenario.pasos:
        assert f"▶ Paso {paso.numero}: {paso.descripcion}" in salida
    partes = salida.split("▶ Paso ")
    assert len(partes) == len(escenario.pasos) + 1
    crear, abrir = partes[1], partes[2]
    assert "$ resolucion pedido crear --cliente ana --freelancer 'nuño'" in crear
    assert "╭─ Pedido #1" in crear and "Historial" in crear
    assert "$ resolucion disputa abrir 1 --como ana --tipo cancelacion --comentario 'Hemos" in abrir
    assert "En controversia" in abrir and "estado = «en_controversia»" in abrir
    # A tick shows the tick's own screen, in the scenario's zone: the second before, then at the deadline.
    antes, en_el_plazo = partes[3], partes[4]
    assert "$ resolucion tick --at '2026-03-29 10:59:59'" in antes and "Ningún plazo ha vencido." in antes
    assert "Reloj: 2026-03-29 10:59:59 → 2026-03-29 11:00 (Europe/Madrid)" in en_el_plazo
    assert "Plazos vencidos" in en_el_plazo
    # The report closes the narration.
    assert partes[-1].rstrip().endswith(f"Se cumple todo lo que espera el guion en sus {len(escenario.pasos)} pasos.")


def test_a_step_refused_as_expected_shows_the_error_a_person_would_read(tmp_path):
    ruta = tmp_path / "rechazo.toml"
    ruta.write_text(
        'reloj = "2026-03-02T09:00:00Z"\n'
        '[[paso]]\naccion = "crear"\nref = "logo"\ncliente = "ana"\nfreelancer = "beto"\n'
        'titulo = "Logo"\nprecio = "150"\nentrega = "5d"\n'
        '[[paso]]\naccion = "completar"\npedido = "logo"\ncomo = "ana"\n'
        "[paso.espera]\ncodigo = 1\n",
        encoding="utf-8",
    )
    r = resolucion("guion", ruta, "--narrar", ancho=200)
    assert r.exit_code == 0, r.stdout + r.stderr
    ultimo = r.stdout.split("▶ Paso 2: ")[1]
    assert "$ resolucion pedido completar 1 --como ana" in ultimo
    assert "Error: " in ultimo and "rechazado como se esperaba (código 1)" in ultimo
    assert "╭─ Pedido" not in ultimo.split("Guion «")[0]


def test_pausa_waits_for_enter_after_each_step_and_implies_narrar():
    pasos = len(guion.leer(str(MADRID), zona("UTC")).pasos)
    r = resolucion("guion", MADRID, "--pausa", input="\n" * pasos)
    assert r.exit_code == 0, r.stdout + r.stderr
    assert r.stdout.count("Pulsa Intro para continuar…") == pasos
    assert r.stdout.count("▶ Paso ") == pasos


def test_narrar_is_for_people_not_for_json():
    r = resolucion("guion", MADRID, "--narrar", "--json")
    assert r.exit_code == 2
    error = json.loads(r.stderr)["error"]
    assert error["mensaje"] == "La narración es para personas: usa --narrar o --json, no los dos."


def test_a_narrated_scenario_that_fails_exits_1_and_says_where(tmp_path):
    copia = tmp_path / "mala.toml"
    copia.write_text(MADRID.read_text(encoding="utf-8").replace('"2026-03-29 11:00"', '"2026-03-29 12:00"', 1))
    r = resolucion("guion", copia, "--narrar", ancho=200)
    assert r.exit_code == 1
    # In the scenario's own zone, as the file writes its expectations.
    assert "vence_en: se esperaba «2026-03-29 12:00», se encontró «2026-03-29 11:00»" in r.stdout


@pytest.mark.parametrize("ruta", ESCENARIOS, ids=[p.stem for p in ESCENARIOS])
def test_the_commands_shown_typed_into_a_new_database_make_the_same_marketplace(ruta, tmp_path):
    escenario = guion.leer(str(ruta), zona("UTC"))
    narrada = tmp_path / "narrada.db"
    r = resolucion("guion", ruta, "--narrar", "--db", narrada, ancho=10_000)
    assert r.exit_code == 0, r.stdout + r.stderr
    comandos = [shlex.split(linea[2:]) for linea in r.stdout.splitlines() if linea.startswith("$ resolucion ")]
    assert len(comandos) == len(escenario.pasos)

    tecleada = tmp_path / "tecleada.db"
    comunes = ["--db", tecleada, "--tz", nombre_zona(escenario.tz), "--json"]
    init = ["init", "--reloj", iso(escenario.reloj), *comunes]
    init += ["--politica", escenario.politica] if escenario.politica else []
    for tipo, duracion in escenario.plazos.items():
        init += ["--plazo", f"{tipo}={int(duracion.total_seconds())}s"]
    assert resolucion(*init).exit_code == 0
    for paso, comando in zip(escenario.pasos, comandos, strict=True):
        assert comando[0] == "resolucion"
        assert resolucion(*comando[1:], *comunes).exit_code == paso.codigo, comando

    def marketplace(db):
        leer = [["pedido", "listar"], ["disputa", "listar"], ["tick", "--simular"]]
        estado = [json.loads(resolucion(*orden, "--db", db, "--json").stdout) for orden in leer]
        pedidos = [p["id"] for p in estado[0]["pedidos"]]
        return estado, [json.loads(resolucion("pedido", "ver", p, "--db", db, "--json").stdout) for p in pedidos]

    assert marketplace(tecleada) == marketplace(narrada)
