"""`resolucion guion ARCHIVO.toml`: scenarios with expectations after each step.

A wrong expectation is a report (exit 1) naming the step with what was expected and what was
found; a broken file is bad input (exit 2) naming the step and the field, and makes no
database. Runs are in-process through CliRunner. The shipped scenarios are in
test_guion_incluidos.py.
"""

import json

import pytest
from typer.testing import CliRunner

from resolucion_cli.cli import app
from tests.guiones import (
    ABRIR_CANCELACION,
    CABECERA,
    CREAR,
    RAIZ,
    cambiar_una_vez,
    correr,
    escribir,
)

# --- failures are a report: exit 1 --------------------------------------------------------


@pytest.fixture
def copia_mala(tmp_path):
    """cancelacion.toml expecting, at the instant of the deadline, an order still in dispute."""
    texto = (RAIZ / "sample_data" / "escenarios" / "cancelacion.toml").read_text(encoding="utf-8")
    texto = cambiar_una_vez(texto, 'estado = "cancelado"', 'estado = "en_controversia"')
    return escribir(tmp_path, texto, "mala.toml")


def test_a_copy_with_one_wrong_expectation_exits_1_naming_the_step(copia_mala, temporal):
    r = correr(copia_mala)
    assert r.exit_code == 1, r.stdout + r.stderr
    assert "Falló el paso 5 (de 6)." in r.stdout
    assert "estado: se esperaba «en_controversia», se encontró «cancelado»" in r.stdout
    fila = next(linea for linea in r.stdout.splitlines() if linea.strip().startswith("5 "))
    assert "✘" in fila
    assert r.stdout.count("✘") == 2  # the step's row and the summary
    assert r.stderr == ""
    assert list(temporal.iterdir()) == []


def test_the_json_report_of_a_failed_expectation_has_expected_and_found(copia_mala):
    r = correr(copia_mala, "--json")
    assert r.exit_code == 1
    informe = json.loads(r.stdout)
    assert informe["ok"] is False
    assert [p["paso"] for p in informe["pasos"] if not p["ok"]] == [5]
    assert informe["pasos"][4] == {
        "paso": 5,
        "accion": "tick",
        "ok": False,
        "ejecutado": True,
        "codigo": 0,
        "mensaje": None,
        "fallos": [{"campo": "estado", "esperado": "en_controversia", "encontrado": "cancelado"}],
    }
    # A failed expectation changes nothing: the story goes on to its last step.
    assert informe["pasos"][5]["ok"] is True and informe["pasos"][5]["codigo"] == 1


def test_the_json_report_has_one_entry_per_step_in_order(tmp_path):
    ruta = escribir(tmp_path, CABECERA + CREAR + ABRIR_CANCELACION + '\n[[paso]]\naccion = "tick"\navanzar = "1h"\n')
    r = correr(ruta, "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    informe = json.loads(r.stdout)
    assert set(informe) == {"ok", "archivo", "titulo", "db", "pasos"}
    assert informe["archivo"] == str(ruta) and informe["titulo"] is None and informe["db"] is None
    assert [(p["paso"], p["accion"], p["ok"]) for p in informe["pasos"]] == [
        (1, "crear", True),
        (2, "abrir", True),
        (3, "tick", True),
    ]
    assert all(set(p) == {"paso", "accion", "ok", "ejecutado", "codigo", "mensaje", "fallos"} for p in informe["pasos"])


def test_a_step_refused_where_it_should_work_stops_the_story(tmp_path):
    texto = (
        CABECERA
        + CREAR
        + ABRIR_CANCELACION.replace('como = "ana"', 'como = "carla"')
        + CREAR.replace('"logo"', '"otro"')
    )
    r = correr(escribir(tmp_path, texto), "--json")
    assert r.exit_code == 1
    pasos = json.loads(r.stdout)["pasos"]
    assert pasos[1]["fallos"] == [{"campo": "codigo", "esperado": 0, "encontrado": 4}]
    assert "carla" in pasos[1]["mensaje"]
    assert pasos[2] == {
        "paso": 3,
        "accion": "crear",
        "ok": False,
        "ejecutado": False,
        "codigo": None,
        "mensaje": None,
        "fallos": [],
    }
    humano = correr(escribir(tmp_path, texto))
    assert "codigo: se esperaba 0, se encontró 4" in humano.stdout
    assert "no se ejecutó: el paso 2 se desvió del guion" in humano.stdout
    assert "El paso 2 se desvió del guion: los siguientes no se ejecutaron." in humano.stdout


def test_a_step_that_works_where_it_should_be_refused_is_a_failure(tmp_path):
    texto = CABECERA + CREAR + ABRIR_CANCELACION + "[paso.espera]\ncodigo = 1\n"
    r = correr(escribir(tmp_path, texto), "--json")
    assert r.exit_code == 1
    assert json.loads(r.stdout)["pasos"][1]["fallos"] == [{"campo": "codigo", "esperado": 1, "encontrado": 0}]


def test_a_refusal_with_another_code_or_message_is_a_failure(tmp_path):
    texto = (
        CABECERA
        + CREAR
        + ABRIR_CANCELACION
        + """
[[paso]]
accion = "responder"
disputa = "c"
como = "ana"
respuesta = "aceptar"
[paso.espera]
codigo = 1
mensaje = "no existe"
disputa = "c"
estado_disputa = "abierta"
"""
    )
    r = correr(escribir(tmp_path, texto), "--json")
    assert r.exit_code == 1
    paso = json.loads(r.stdout)["pasos"][2]
    assert paso["codigo"] == 4 and paso["ejecutado"] is True
    assert paso["fallos"][0] == {"campo": "codigo", "esperado": 1, "encontrado": 4}
    assert paso["fallos"][1]["campo"] == "mensaje" and paso["fallos"][1]["esperado"] == "no existe"
    assert len(paso["fallos"]) == 2  # the request is still open, as expected


def test_an_expected_refusal_passes_and_says_so(tmp_path):
    texto = (
        CABECERA
        + CREAR
        + """
[[paso]]
accion = "completar"
pedido = "logo"
como = "ana"
[paso.espera]
codigo = 1
mensaje = "ENTREGADO"
pedido = "logo"
estado = "activo"
"""
    )
    r = correr(escribir(tmp_path, texto))
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "rechazado como se esperaba (código 1)" in r.stdout


def test_a_message_expected_in_an_inbox_that_is_not_there_shows_the_last_one(tmp_path):
    texto = CABECERA + CREAR + ABRIR_CANCELACION + '[paso.espera]\nbandeja = { para = "beto", contiene = "hola" }\n'
    r = correr(escribir(tmp_path, texto), "--json")
    assert r.exit_code == 1
    fallo = json.loads(r.stdout)["pasos"][1]["fallos"][0]
    assert fallo["campo"] == "bandeja"
    assert fallo["esperado"] == "un mensaje para beto que contenga «hola»"
    assert "1 mensaje(s) para beto, ninguno lo contiene" in fallo["encontrado"]
    assert "Ya no lo necesito" in fallo["encontrado"]


def test_the_clock_a_deadline_and_a_price_are_compared_as_the_json_shows_them(tmp_path):
    texto = (
        CABECERA
        + CREAR
        + ABRIR_CANCELACION
        + """[paso.espera]
reloj = 2026-03-02T10:00:00+01:00
disputa = "c"
vence_en = "2026-03-04T09:00:01Z"
pedido = "logo"
precio_centavos = 15000
atrasado = false
"""
    )
    r = correr(escribir(tmp_path, texto), "--json")
    assert r.exit_code == 1
    assert json.loads(r.stdout)["pasos"][1]["fallos"] == [
        {"campo": "vence_en", "esperado": "2026-03-04T09:00:01Z", "encontrado": "2026-03-04T09:00:00Z"}
    ]


def test_user_text_in_the_report_is_shown_literally(tmp_path):
    texto = (
        'titulo = "[bold]Mi guion[/bold]"\n'
        + CABECERA
        + CREAR.replace('ref = "logo"', 'ref = "logo"\nnota = "[red]x[/red]"')
    )
    r = correr(escribir(tmp_path, texto))
    assert r.exit_code == 0, r.stdout + r.stderr
    assert "[bold]Mi guion[/bold]" in r.stdout and "[red]x[/red]" in r.stdout


# --- invalid files: exit 2, nothing made ------------------------------------------------

INVALIDOS = [
    pytest.param(
        CABECERA + '[[paso]]\naccion = "tick"\navanzar = "1d\n', ["no es TOML válido", "línea 4, columna 14"], id="toml"
    ),
    pytest.param(
        CABECERA + '[[paso]]\naccion = "tick"\n[[paso]]\naccion = "volar"\n',
        ["paso 2", "«accion»", "«volar»"],
        id="accion",
    ),
    pytest.param(
        CABECERA + CREAR + '[[paso]]\naccion = "entregar"\npedido = "logo"\ncomo = "beto"\ncuando = "ya"\n',
        ["paso 2 (entregar)", "campo «cuando»", "no existe"],
        id="campo-desconocido",
    ),
    pytest.param(
        CABECERA + CREAR.replace('titulo = "Logo"\n', ""),
        ["paso 1 (crear)", "campo «titulo»", "falta"],
        id="campo-que-falta",
    ),
    pytest.param(
        CABECERA + CREAR + ABRIR_CANCELACION.replace('"cancelacion"', "3"),
        ["paso 2 (abrir)", "campo «tipo»", "texto"],
        id="tipo-de-valor",
    ),
    pytest.param(
        CABECERA + CREAR.replace('precio = "150"', "precio = true"),
        ["paso 1 (crear)", "campo «precio»"],
        id="precio-booleano",
    ),
    pytest.param(
        CABECERA + CREAR + ABRIR_CANCELACION + 'extras_dias = "3"\n',
        ["paso 2 (abrir)", "campo «extras_dias»", "entero"],
        id="entero-entre-comillas",
    ),
    pytest.param(
        CABECERA + CREAR + ABRIR_CANCELACION + "importe = false\n",
        ["paso 2 (abrir)", "campo «importe»", "debe ser un texto entre comillas o un número"],
        id="importe-booleano",
    ),
    pytest.param(
        CABECERA + CREAR + ABRIR_CANCELACION + '[paso.espera]\ndisputa = "c"\nimporte_centavos = "20"\n',
        ["paso 2 (abrir)", "campo «espera.importe_centavos»", "entero"],
        id="importe-esperado-entre-comillas",
    ),
    pytest.param(
        CABECERA + '[[paso]]\naccion = "entregar"\npedido = "logo"\ncomo = "beto"\n',
        ["paso 1 (entregar)", "campo «pedido»", "«logo»"],
        id="ref-desconocida",
    ),
    pytest.param(CABECERA + CREAR + CREAR, ["paso 2 (crear)", "campo «ref»", "ya la usa"], id="ref-repetida"),
    pytest.param(
        CABECERA + CREAR + '[paso.espera]\ncodigo = 2\n[[paso]]\naccion = "entregar"\npedido = "logo"\ncomo = "beto"\n',
        ["paso 2 (entregar)", "campo «pedido»"],
        id="ref-de-un-paso-rechazado",
    ),
    pytest.param(
        CABECERA + CREAR + '[paso.espera]\nestado = "cancelado"\n',
        ["paso 1 (crear)", "campo «espera.estado»", "pedido = "],
        id="espera-sin-pedido",
    ),
    pytest.param(
        CABECERA + CREAR + '[paso.espera]\npedido = "logo"\nestado = "cancelled"\n',
        ["paso 1 (crear)", "campo «espera.estado»", "«cancelled»"],
        id="estado-desconocido",
    ),
    pytest.param(
        CABECERA + CREAR + '[paso.espera]\npedido = "logo"\natrasado = "no"\n',
        ["campo «espera.atrasado»", "true o false"],
        id="booleano",
    ),
    pytest.param(
        CABECERA + CREAR + '[paso.espera]\nreloj = "mañana"\n',
        ["paso 1 (crear)", "campo «espera.reloj»", "«mañana»"],
        id="fecha-esperada",
    ),
    pytest.param(
        CABECERA + CREAR + '[paso.espera]\nbandeja = { para = "ana" }\n',
        ["campo «espera.bandeja»", "«contiene»"],
        id="bandeja",
    ),
    pytest.param(CABECERA + CREAR + "[paso.espera]\ncodigo = 9\n", ["campo «espera.codigo»"], id="codigo"),
    pytest.param(
        CABECERA + CREAR + '[paso.espera]\nmensaje = "x"\n', ["campo «espera.mensaje»"], id="mensaje-sin-codigo"
    ),
    pytest.param(
        CABECERA + CREAR + "[paso.espera]\nprecio = 3\n",
        ["campo «espera.precio»", "no es una comprobación"],
        id="espera-desconocida",
    ),
    pytest.param(
        CABECERA + '[[paso]]\naccion = "tick"\nat = "2026-03-03"\nsiguiente = true\n',
        ["paso 1 (tick)", "solo uno"],
        id="tick-doble",
    ),
    pytest.param('[[paso]]\naccion = "tick"\n', ["campo «reloj»", "falta"], id="sin-reloj"),
    pytest.param(CABECERA, ["campo «paso»"], id="sin-pasos"),
    pytest.param(CABECERA + 'autor = "yo"\n' + CREAR, ["campo «autor»"], id="clave-de-arriba"),
    pytest.param('tz = "Europa/Marte"\n' + CABECERA + CREAR, ["campo «tz»", "Europa/Marte"], id="tz-desconocida"),
    pytest.param("tz = 1\n" + CABECERA + CREAR, ["campo «tz»", "entre comillas"], id="tz-no-texto"),
    pytest.param('politica = "otra"\n' + CABECERA + CREAR, ["campo «politica»", "«clasica»"], id="politica"),
    pytest.param('plazo = { regalo = "24h" }\n' + CABECERA + CREAR, ["campo «plazo.regalo»"], id="plazo-tipo"),
    pytest.param('plazo = { cancelacion = "1M" }\n' + CABECERA + CREAR, ["campo «plazo.cancelacion»"], id="plazo-1M"),
    pytest.param('plazo = "24h"\n' + CABECERA + CREAR, ["campo «plazo»", "tabla"], id="plazo-no-tabla"),
]


@pytest.mark.parametrize("texto, partes", INVALIDOS)
def test_an_invalid_file_exits_2_naming_step_and_field_and_makes_no_database(texto, partes, tmp_path, temporal, aqui):
    ruta = escribir(tmp_path, texto)
    db = tmp_path / "propia.db"
    for extra in ([], ["--db", db]):
        r = correr(ruta, *extra)
        assert r.exit_code == 2, r.stdout + r.stderr
        assert r.stdout == ""
        assert r.stderr.startswith(f"Error: El guion «{ruta}» no es")
        assert "No se ha ejecutado nada." in r.stderr
        for parte in partes:
            assert parte in r.stderr
    assert not db.exists()
    assert list(temporal.iterdir()) == [] and list(aqui.iterdir()) == []


def test_an_invalid_file_with_json_gives_the_error_object(tmp_path):
    r = correr(escribir(tmp_path, CABECERA + '[[paso]]\naccion = "volar"\n'), "--json")
    assert r.exit_code == 2 and r.stdout == ""
    error = json.loads(r.stderr)["error"]
    assert error["codigo"] == 2 and "paso 1" in error["mensaje"] and "«accion»" in error["mensaje"]


AUTOMATICA = 'politica = "aceptacion-automatica"\n' + CABECERA


def test_a_partial_refund_step_takes_its_amount_as_a_number_or_as_money_text(tmp_path):
    texto = AUTOMATICA + CREAR.replace('precio = "150"', "precio = 150.5")
    for numero, importe in enumerate(("90", "90.3", '"US$ 90,30"'), start=1):
        texto += f"""
[[paso]]
accion = "abrir"
ref = "r{numero}"
pedido = "logo"
como = "beto"
tipo = "reembolso_parcial"
importe = {importe}
[paso.espera]
disputa = "r{numero}"
importe_centavos = {9000 if numero == 1 else 9030}
vence_en = "2026-03-04T09:00:00Z"

[[paso]]
accion = "revocar"
disputa = "r{numero}"
como = "beto"
"""
    texto += '[paso.espera]\npedido = "logo"\nestado = "activo"\nprecio_centavos = 15050\n'
    r = correr(escribir(tmp_path, texto), "--json")
    assert r.exit_code == 0, r.stdout
    assert json.loads(r.stdout)["ok"] is True


def test_a_partial_refund_step_under_the_classic_rules_is_refused_when_it_runs(tmp_path):
    abrir = '[[paso]]\naccion = "abrir"\npedido = "logo"\ncomo = "beto"\ntipo = "reembolso_parcial"\nimporte = 10\n'
    r = correr(escribir(tmp_path, CABECERA + CREAR + abrir + "[paso.espera]\ncodigo = 1\n"), "--json")
    assert r.exit_code == 0, r.stdout
    (_, paso) = json.loads(r.stdout)["pasos"]
    assert paso["codigo"] == 1 and "(«clasica») no tienen solicitudes de tipo «reembolso_parcial»" in paso["mensaje"]


def test_an_expectation_on_the_ref_of_a_step_that_cancelled_at_once_fails_naming_it(tmp_path):
    texto = AUTOMATICA + CREAR + '[[paso]]\naccion = "tick"\navanzar = "6d"\n' + ABRIR_CANCELACION
    texto += '[paso.espera]\ndisputa = "c"\nestado_disputa = "abierta"\npedido = "logo"\nestado = "cancelado"\n'
    r = correr(escribir(tmp_path, texto), "--json")
    assert r.exit_code == 1, r.stdout
    pasos = json.loads(r.stdout)["pasos"]
    assert pasos[2]["codigo"] == 0
    assert pasos[2]["fallos"] == [
        {
            "campo": "estado_disputa",
            "esperado": "abierta",
            "encontrado": "ninguna solicitud: el paso de «c» no abrió ninguna",
        }
    ]


def test_a_missing_file_or_argument_is_bad_input(tmp_path):
    r = correr(tmp_path / "no-existe.toml")
    assert r.exit_code == 2 and "No existe el guion" in r.stderr
    r = correr()
    assert r.exit_code == 2 and "Falta el argumento ARCHIVO: el guion que se ejecuta" in r.stderr


def test_a_value_for_the_tool_to_judge_is_checked_when_its_step_runs(tmp_path):
    """A bad date in a step is the tool's input: a scenario may expect its refusal."""
    texto = CABECERA + '[[paso]]\naccion = "tick"\nat = "mañana"\n[paso.espera]\ncodigo = 2\nmensaje = "«at»"\n'
    r = correr(escribir(tmp_path, texto), "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["pasos"][0]["codigo"] == 2


# --- the database ---------------------------------------------------------------------


def test_db_on_the_command_line_keeps_the_database(tmp_path, temporal):
    db = tmp_path / "escenario.db"
    r = correr(RAIZ / "sample_data" / "escenarios" / "cancelacion.toml", "--db", db, "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["db"] == str(db)
    ver = CliRunner().invoke(app, ["pedido", "ver", "1", "--db", str(db), "--json"])
    assert ver.exit_code == 0, ver.stderr
    vista = json.loads(ver.stdout)
    assert vista["pedido"]["estado"] == "cancelado"
    assert vista["reloj"] == "2026-03-05T09:00:00Z"
    humano = correr(RAIZ / "sample_data" / "escenarios" / "extras.toml", "--db", tmp_path / "otra.db")
    assert f"La base queda en {tmp_path / 'otra.db'}." in humano.stdout
    assert list(temporal.iterdir()) == []


def test_a_db_that_already_exists_is_refused_untouched(tmp_path):
    db = tmp_path / "usada.db"
    assert correr(RAIZ / "sample_data" / "escenarios" / "extras.toml", "--db", db).exit_code == 0
    antes = db.read_bytes()
    r = correr(RAIZ / "sample_data" / "escenarios" / "extras.toml", "--db", db)
    assert r.exit_code == 2
    assert "necesita una base nueva" in r.stderr
    assert db.read_bytes() == antes


def test_resolucion_db_in_the_environment_is_ignored(tmp_path, temporal, aqui):
    db = tmp_path / "del-entorno.db"
    r = correr(RAIZ / "sample_data" / "escenarios" / "actualizacion.toml", "--json", env={"RESOLUCION_DB": str(db)})
    assert r.exit_code == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["db"] is None
    assert not db.exists()
    assert list(temporal.iterdir()) == [] and list(aqui.iterdir()) == []


def test_guion_has_spanish_help_with_an_example():
    r = CliRunner().invoke(app, ["guion", "--help"])
    assert r.exit_code == 0
    assert "Ejemplo: resolucion guion cancelacion --narrar" in r.stdout
    # Typer reads help as Rich markup: the TOML tables must not vanish as tags.
    assert "[paso.espera]" in r.stdout and "[[paso]]" in r.stdout


def test_the_guide_example_passes_and_its_wrong_copy_fails_as_the_guide_says(tmp_path):
    guia = (RAIZ / "docs" / "guiones.md").read_text(encoding="utf-8")
    seccion = guia[guia.index("## Escenarios (`resolucion guion`)") :]
    ejemplo = seccion[seccion.index("```toml\n") + len("```toml\n") :]
    ejemplo = ejemplo[: ejemplo.index("```")]
    r = correr(escribir(tmp_path, ejemplo, "ejemplo.toml"))
    assert r.exit_code == 0, r.stdout + r.stderr
    malo = cambiar_una_vez(ejemplo, 'estado_disputa = "abierta"', 'estado_disputa = "vencida"')
    r = correr(escribir(tmp_path, malo, "ejemplo-mal.toml"))
    assert r.exit_code == 1
    assert "✘ Falló el paso 4 (de 5)." in r.stdout
    assert "estado_disputa: se esperaba «vencida», se encontró «abierta»" in r.stdout
