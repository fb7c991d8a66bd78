"""The sample data and the demo (SPEC §9): `resolucion demo`, sample_data/demo.sh, `init --datos`.

The demo and demo.sh run as real processes; the data file is loaded through the CLI
in-process (the `cli` fixture's runner), and everything is checked through JSON output.
"""

import copy
import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from resolucion_cli.historia import MARCA_HISTORIA, historia
from tests.conftest import T0_ISO, Cli

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

RAIZ = Path(__file__).resolve().parents[2]
DATOS = RAIZ / "sample_data" / "datos.json"
DEMO_SH = RAIZ / "sample_data" / "demo.sh"
RESOLUCION = shutil.which("resolucion") or str(Path(sys.executable).parent / "resolucion")

TIPOS = {"actualizacion", "cancelacion", "prorroga", "extras"}
ESTADOS_PEDIDO = {"activo", "entregado", "en_controversia", "completado", "cancelado"}
FINALES_DISPUTA = {"respondida", "aceptada", "rechazada", "revocada", "vencida"}


def entorno(**extra) -> dict:
    env = dict(os.environ)
    for variable in ("RESOLUCION_DB", "RESOLUCION_USUARIO", "FORCE_COLOR"):
        env.pop(variable, None)
    env.update(NO_COLOR="1", RESOLUCION_TZ="UTC", COLUMNS="200")
    env.update({k: str(v) for k, v in extra.items()})
    return env


def ejecutar(*args, cwd, **env) -> subprocess.CompletedProcess:
    r = subprocess.run(
        [RESOLUCION, *map(str, args)],
        cwd=cwd,
        env=entorno(**env),
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in r.stderr, r.stderr
    return r


def huellas(carpeta: Path) -> dict[str, str]:
    """Every file under `carpeta` with the sha256 of its bytes."""
    return {
        str(p.relative_to(carpeta)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(carpeta.rglob("*"))
        if p.is_file()
    }


def contenido(cli: Cli) -> dict:
    """What loading a data file could change, as JSON."""
    return {
        "pedidos": cli.ok("pedido", "listar", "--limite", 100)["pedidos"],
        "disputas": cli.ok("disputa", "listar", "--limite", 100)["disputas"],
        "reloj": cli.ok("pedido", "ver", 1)["reloj"],
        "bandeja": cli.ok("bandeja", "--como", "ana")["mensajes"],
    }


def _instante(texto: str) -> datetime:
    return datetime.fromisoformat(texto.replace("Z", "+00:00"))


# --- resolucion demo -------------------------------------------------------------------


def test_the_demo_tells_the_story_on_a_temporary_database_and_leaves_nothing_behind(tmp_path):
    cwd = tmp_path / "cwd"
    temporal = tmp_path / "tmp"
    cwd.mkdir()
    temporal.mkdir()
    ignorada = tmp_path / "otra" / "no-tocar.db"
    ignorada.parent.mkdir()

    r = ejecutar("demo", cwd=cwd, RESOLUCION_DB=ignorada, TMPDIR=temporal)

    assert r.returncode == 0, r.stderr
    assert r.stdout.count("▶ ") == len([p for p in historia() if p.narracion])
    assert "▶ Lunes 2 de marzo, 09:00." in r.stdout
    assert "$ resolucion disputa abrir 1 --como ana --tipo actualizacion" in r.stdout
    assert "Cancelado de mutuo acuerdo" in r.stdout
    assert "Atención al cliente" in r.stdout
    assert "Atención al cliente" in r.stderr  # the refusal the story expects, as the user sees it
    assert "Plazos pendientes" in r.stdout
    assert "Fin de la demo." in r.stdout
    assert "\x1b[" not in r.stdout
    assert list(cwd.iterdir()) == []
    assert list(temporal.iterdir()) == []
    assert not ignorada.exists()
    assert list(ignorada.parent.iterdir()) == []


def test_the_demo_keeps_its_database_at_the_db_given_on_its_command_line(tmp_path):
    db = tmp_path / "historia.db"
    r = ejecutar("demo", "--db", db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"La base queda en {db}" in r.stdout

    cli = Cli(db)
    pedidos = cli.ok("pedido", "listar", "--limite", 100)["pedidos"]
    assert [p["id"] for p in pedidos] == [1, 2, 3, 4]
    assert pedidos[3]["estado"] == "cancelado"
    disputas = cli.ok("disputa", "listar", "--limite", 100)["disputas"]
    assert {d["tipo"] for d in disputas} == TIPOS
    assert FINALES_DISPUTA <= {d["estado"] for d in disputas}
    assert not any(d["estado"] == "abierta" for d in disputas)
    assert cli.ok("verificar")["ok"] is True


def test_the_demo_on_an_existing_empty_file_given_with_db_plays_the_story(tmp_path):
    db = tmp_path / "vacia.db"
    db.touch()
    r = ejecutar("demo", "--db", db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert len(Cli(db).ok("pedido", "listar")["pedidos"]) == 4


def test_the_demo_refuses_a_db_that_already_holds_data_and_leaves_it_alone(tmp_path):
    db = tmp_path / "existente.db"
    cli = Cli(db)
    cli.ok("init", "--reloj", T0_ISO)
    cli.pedido()
    antes = huellas(tmp_path)

    r = ejecutar("demo", "--db", db, cwd=tmp_path)

    assert r.returncode == 2, r
    assert str(db) in r.stderr
    assert "--db" in r.stderr
    assert "▶" not in r.stdout
    assert huellas(tmp_path) == antes


def test_the_demo_has_no_json_output(tmp_path):
    r = ejecutar("demo", "--json", cwd=tmp_path)
    assert r.returncode == 2, r
    assert r.stdout == ""
    assert json.loads(r.stderr)["error"]["codigo"] == 2
    assert list(tmp_path.iterdir()) == []


# --- sample_data/demo.sh -------------------------------------------------------------------


def test_demo_sh_runs_with_the_public_commands_and_ends_in_every_state(tmp_path):
    db = tmp_path / "clase.db"
    env = entorno(RESOLUCION_DB=db, TMPDIR=tmp_path)
    env["PATH"] = f"{Path(RESOLUCION).parent}{os.pathsep}{env.get('PATH', '')}"

    r = subprocess.run(
        ["bash", str(DEMO_SH)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )

    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert "== Lunes 2 de marzo" in r.stdout
    cli = Cli(db)
    disputas = cli.ok("disputa", "listar", "--limite", 100)["disputas"]
    assert {d["tipo"] for d in disputas} == TIPOS
    assert FINALES_DISPUTA <= {d["estado"] for d in disputas}
    assert cli.ok("pedido", "ver", 4)["pedido"]["estado"] == "cancelado"
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == "completado"
    vencidas = [d for d in disputas if d["estado"] == "vencida"]
    assert {d["resuelta_por"] for d in vencidas} == {"sistema"}
    assert {d["tipo"] for d in vencidas} >= {"actualizacion", "cancelacion", "prorroga"}


# --- the story shared by both --------------------------------------------------------------


def test_sample_data_demo_sh_is_the_story_that_resolucion_demo_plays():
    paquete = RAIZ / "resolucion_cli" / "datos" / "demo.sh"
    assert DEMO_SH.read_bytes() == paquete.read_bytes()  # a link in the repository, a copy in the sdist


def test_the_story_opens_every_request_type_and_fires_deadlines_with_tick():
    pasos = historia()
    comandos = [p.argumentos for p in pasos if not p.narracion]
    assert comandos
    assert all(p.argumentos == () for p in pasos if p.narracion)

    aperturas = [a for a in comandos if a[:2] == ("disputa", "abrir")]
    tipos = {a[a.index("--tipo") + 1] for a in aperturas}
    assert tipos == TIPOS
    cancelaciones = {a[a.index("--como") + 1] for a in aperturas if a[a.index("--tipo") + 1] == "cancelacion"}
    assert {"carla", "beto"} <= cancelaciones  # opened by a client and by a freelancer

    ticks = [a for a in comandos if a[0] == "tick"]
    assert ticks
    assert any("--siguiente" in a for a in ticks)
    assert any("--avanzar" in a and "--simular" not in a for a in ticks)
    for verbo in ("responder", "revocar"):
        assert any(a[:2] == ("disputa", verbo) for a in comandos)
    assert [p for p in pasos if p.debe_fallar], "the story shows at least one expected refusal"


def test_every_line_of_the_story_is_a_resolucion_command_or_a_narration():
    texto = DEMO_SH.read_text(encoding="utf-8")
    assert MARCA_HISTORIA in texto
    cuerpo = texto.partition(MARCA_HISTORIA)[2]
    lineas = [shlex.split(linea, comments=True) for linea in cuerpo.splitlines()]
    lineas = [palabras for palabras in lineas if palabras]
    assert lineas
    assert all(palabras[0] in ("resolucion", "narrar") for palabras in lineas)
    comandos = {"init", "pedido", "disputa", "tick", "bandeja", "mensaje", "verificar", "generar"}
    assert all(p.argumentos[0] in comandos for p in historia() if not p.narracion)
    assert len(historia()) == len(lineas)


# --- init --datos ------------------------------------------------------------------------------


@pytest.fixture
def cargada(tmp_path):
    cli = Cli(tmp_path / "datos.db")
    cli.ok("init", "--reloj", T0_ISO, "--datos", DATOS)
    return cli


def test_the_sample_data_loads_twelve_orders_among_six_users_in_every_state(cargada):
    pedidos = cargada.ok("pedido", "listar", "--limite", 100)["pedidos"]
    assert len(pedidos) == 12
    clientes = {p["cliente"] for p in pedidos}
    freelancers = {p["freelancer"] for p in pedidos}
    assert len(clientes | freelancers) == 6
    assert clientes and freelancers
    assert {p["estado"] for p in pedidos} == ESTADOS_PEDIDO
    assert any(p["atrasado"] for p in pedidos)
    assert cargada.ok("verificar")["ok"] is True


def test_the_sample_data_leaves_open_requests_of_every_type_at_different_distances(cargada):
    abiertas = cargada.ok("disputa", "listar", "--abiertas")["disputas"]
    assert {d["tipo"] for d in abiertas} == TIPOS
    assert {d["rol"] for d in abiertas if d["tipo"] == "cancelacion"} == {"cliente", "freelancer"}
    assert {d["estado"] for d in abiertas} == {"abierta"}

    reloj = _instante(cargada.ok("pedido", "ver", 1)["reloj"])
    distancias = {_instante(d["vence_en"]) - reloj for d in abiertas}
    assert len(distancias) >= 2
    assert all(distancia.total_seconds() > 0 for distancia in distancias)

    en_controversia = {p["id"] for p in cargada.ok("pedido", "listar", "--estado", "en_controversia")["pedidos"]}
    assert {d["pedido"] for d in abiertas} == en_controversia


def test_the_sample_data_also_holds_requests_that_already_ended(cargada):
    disputas = cargada.ok("disputa", "listar", "--limite", 100)["disputas"]
    assert FINALES_DISPUTA <= {d["estado"] for d in disputas}


def test_the_sample_data_loads_into_a_database_that_already_has_orders(cli):
    cli.pedido(titulo="Mío")
    cli.ok("init", "--datos", DATOS)
    pedidos = cli.ok("pedido", "listar", "--limite", 100)["pedidos"]
    assert len(pedidos) == 13
    assert pedidos[0]["titulo"] == "Mío"
    assert cli.ok("verificar")["ok"] is True


def test_init_with_the_sample_data_reports_what_it_loaded(tmp_path):
    r = Cli(tmp_path / "x.db").run("init", "--reloj", T0_ISO, "--datos", DATOS)
    assert r.code == 0, r
    assert "Datos cargados: 12 pedidos" in r.out


def _truncado(tmp_path) -> tuple[Path, int]:
    texto = DATOS.read_text(encoding="utf-8")
    recortado = tmp_path / "recortado.json"
    recortado.write_text(texto[: len(texto) // 2], encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as error:
        json.loads(recortado.read_text(encoding="utf-8"))
    return recortado, error.value.lineno


def test_a_truncated_data_file_is_refused_naming_the_line_and_no_database_is_created(tmp_path):
    recortado, linea = _truncado(tmp_path)
    db = tmp_path / "nueva.db"

    r = Cli(db).run("init", "--reloj", T0_ISO, "--datos", recortado)

    assert r.code == 2, r
    assert f"línea {linea}" in r.err
    assert "recortado.json" in r.err
    assert not db.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recortado.json"]


def test_a_truncated_data_file_leaves_an_existing_database_byte_for_byte(tmp_path):
    carpeta = tmp_path / "base"
    carpeta.mkdir()
    cli = Cli(carpeta / "existente.db")
    cli.ok("init", "--reloj", T0_ISO)
    antes = huellas(carpeta)
    assert antes
    recortado, linea = _truncado(tmp_path)

    r = cli.fails(2, "init", "--datos", recortado)

    assert f"línea {linea}" in r.error["mensaje"]
    assert huellas(carpeta) == antes


def _paso(pasos: list[dict], **campos) -> int:
    """The index of the first step with these fields."""
    return next(i for i, p in enumerate(pasos) if all(p.get(k) == v for k, v in campos.items()))


def _abrir_con_otra_abierta(pasos):
    pasos.append(
        {"accion": "abrir", "pedido": "traduccion", "como": "dario", "tipo": "prorroga", "nueva_entrega": "9d"}
    )
    return len(pasos), "ya tiene una solicitud abierta"


def _ref_desconocida(pasos):
    i = _paso(pasos, accion="abrir", pedido="traduccion")
    pasos[i]["pedido"] = "traduccion-2"
    return i + 1, "«traduccion-2» no es la ref"


def _ref_repetida(pasos):
    i = _paso(pasos, accion="crear", ref="newsletter")
    pasos[i]["ref"] = "logo"
    return i + 1, "«logo» ya la usa otro paso"


def _campo_desconocido(pasos):
    i = _paso(pasos, accion="abrir", pedido="manual")
    pasos[i]["urgente"] = True
    return i + 1, "«urgente» no existe"


def _campo_que_falta(pasos):
    i = _paso(pasos, accion="responder", disputa="prorroga-landing")
    del pasos[i]["como"]
    return i + 1, "falta el campo «como»"


def _precio_numerico(pasos):
    i = _paso(pasos, accion="crear", ref="newsletter")
    pasos[i]["precio"] = 90
    return i + 1, "«precio» debe ser un texto"


def _dias_de_texto(pasos):
    i = _paso(pasos, accion="abrir", pedido="tarjetas")
    pasos[i]["extras_dias"] = "1"
    return i + 1, "«extras_dias» debe ser un número entero"


def _motivo_desconocido(pasos):
    i = _paso(pasos, accion="abrir", pedido="newsletter")
    pasos[i]["motivo"] = "me_aburri"
    return i + 1, "«motivo» «me_aburri» no es válido"


def _accion_desconocida(pasos):
    pasos.append({"accion": "borrar", "pedido": "logo"})
    return len(pasos), "cada paso es un objeto con «accion»"


def _respuesta_que_no_encaja(pasos):
    i = _paso(pasos, accion="responder", disputa="avance-logo")
    pasos[i]["respuesta"] = "aceptar"
    return i + 1, "se responde enviando la actualización"


@pytest.mark.parametrize(
    "romper",
    [
        _abrir_con_otra_abierta,
        _ref_desconocida,
        _ref_repetida,
        _campo_desconocido,
        _campo_que_falta,
        _precio_numerico,
        _dias_de_texto,
        _motivo_desconocido,
        _accion_desconocida,
        _respuesta_que_no_encaja,
    ],
)
def test_a_data_file_that_breaks_a_rule_names_the_step_and_loads_nothing(cli, tmp_path, romper):
    cli.pedido(titulo="Antes de cargar")
    antes = contenido(cli)
    datos = json.loads(DATOS.read_text(encoding="utf-8"))
    pasos = copy.deepcopy(datos["pasos"])
    numero, problema = romper(pasos)
    roto = tmp_path / "roto.json"
    roto.write_text(json.dumps(dict(datos, pasos=pasos), ensure_ascii=False, indent=1), encoding="utf-8")

    r = cli.fails(2, "init", "--datos", roto)

    mensaje = r.error["mensaje"]
    assert f"paso {numero}" in mensaje, mensaje
    assert problema in mensaje, mensaje
    assert contenido(cli) == antes


def test_a_data_file_tick_may_land_on_an_instant_or_the_next_deadline_but_not_both(tmp_path):
    import json

    from tests.conftest import Cli

    crear = {"accion": "crear", "ref": "p", "cliente": "ana", "freelancer": "beto", "titulo": "Logo",
             "precio": "100", "entrega": "10d"}  # fmt: skip
    abrir = {"accion": "abrir", "ref": "d", "pedido": "p", "como": "ana", "tipo": "actualizacion"}
    buena = tmp_path / "buena.json"
    buena.write_text(json.dumps({"formato": "resolucion-datos", "pasos": [
        crear, abrir, {"accion": "tick", "siguiente": True}, {"accion": "tick", "at": "2026-03-05T00:00:00Z"},
    ]}))  # fmt: skip
    cli = Cli(tmp_path / "buena.db")
    assert cli.ok("init", "--reloj", "2026-03-02T09:00:00Z", "--datos", buena)["reloj"] == "2026-03-05T00:00:00Z"
    assert cli.ok("disputa", "listar")["disputas"][0]["resuelta_en"] == "2026-03-04T09:00:00Z"

    mala = tmp_path / "mala.json"
    mala.write_text(json.dumps({"formato": "resolucion-datos", "pasos": [
        crear, {"accion": "tick", "avanzar": "1d", "at": "2026-03-05T00:00:00Z"},
    ]}))  # fmt: skip
    otra = Cli(tmp_path / "mala.db")
    r = otra.fails(2, "init", "--reloj", "2026-03-02T09:00:00Z", "--datos", mala)
    assert "paso 2 (tick)" in r.error["mensaje"] and "«at»" in r.error["mensaje"]
    assert otra.ok("pedido", "listar")["pedidos"] == []
