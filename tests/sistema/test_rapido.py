"""The fast path (`cli/rapido.py`) answers exactly as the Typer app does, without importing it.

Every command line of the corpus runs twice, in new processes, on copies of one database at one
path: through `main` (the fast path, handing over what it does not answer) and through the Typer
app alone (`completo`). Stdout, stderr, the exit code and the database afterwards must be the
same byte for byte. The corpus has every option of each fast command, `--opcion=valor` and the
variables, bad input of each kind, every exit code, and a database where something is due (the
read then writes, so the app answers). Speed is measured by a script, never here.
"""

import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import T0_ISO

PROGRAMA = "import sys; sys.argv[0] = 'resolucion'; from resolucion_cli import cli; cli.{}()"
RAPIDO, COMPLETO = PROGRAMA.format("main"), PROGRAMA.format("completo")
PESADOS = ("typer", "click", "rich", "pendulum", "sqlite_utils")


def _entorno(**extra: str) -> dict:
    entorno = {
        clave: valor
        for clave, valor in os.environ.items()
        if not clave.startswith("RESOLUCION_") and not clave.endswith("_COMPLETE") and clave != "TZ"
    }
    return entorno | {"NO_COLOR": "1", "COLUMNS": "120", "RESOLUCION_TZ": "UTC"} | extra


def _correr(programa: list[str], args, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *programa, *args], cwd=cwd, env=env, capture_output=True, timeout=60)


def _resolucion(db: Path, *args: str, tz: str = "UTC") -> dict:
    r = _correr(["-c", COMPLETO], [*args, "--db", str(db), "--json"], db.parent, _entorno(RESOLUCION_TZ=tz))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def bases(tmp_path_factory) -> dict[str, Path]:
    """A marketplace (generated orders, plus hand-made ones with requests, answers and messages
    in several states), a copy of it whose clock was moved past some deadlines unfired, and a
    database with nothing in it."""
    carpeta = tmp_path_factory.mktemp("rapido")
    db = carpeta / "mercado.db"
    _resolucion(db, "init", "--reloj", T0_ISO)
    _resolucion(db, "generar", "--pedidos", "30", "--semilla", "5")
    partes = ("--cliente", "ana", "--freelancer", "beto", "--precio", "120,50", "--entrega", "7d")
    pedidos = [
        _resolucion(db, "pedido", "crear", *partes, "--titulo", f"Logo [bold] {n}")["pedido"]["id"] for n in "1234"
    ]
    assert pedidos == [31, 32, 33, 34]
    prorroga, entregado, cancelado, actualizado = pedidos
    # A fall-back night's repeated hour: its offset shows in the reader's zone.
    _resolucion(db, "disputa", "abrir", str(prorroga), "--como", "beto", "--tipo", "prorroga",
                "--nueva-entrega", "2026-10-25T02:30", "--comentario", "Necesito más tiempo",
                tz="Europe/Madrid")  # fmt: skip
    _resolucion(db, "mensaje", str(prorroga), "--como", "ana", "--texto", "¿Y el boceto?")
    _resolucion(db, "pedido", "entregar", str(entregado), "--como", "beto")
    _resolucion(db, "pedido", "completar", str(entregado), "--como", "ana")
    abierta = _resolucion(db, "disputa", "abrir", str(cancelado), "--como", "ana", "--tipo", "cancelacion",
                          "--comentario", "Ya no lo necesito")["disputa"]["id"]  # fmt: skip
    _resolucion(db, "disputa", "responder", str(abierta), "--como", "beto", "--rechazar", "--comentario", "Sigo")
    abierta = _resolucion(db, "disputa", "abrir", str(actualizado), "--como", "ana", "--tipo", "actualizacion")
    _resolucion(db, "disputa", "responder", str(abierta["disputa"]["id"]), "--como", "beto",
                "--actualizacion", "Voy por la mitad")  # fmt: skip
    nueva = carpeta / "nueva.db"
    _resolucion(nueva, "init", "--reloj", T0_ISO)
    vencida = carpeta / "vencida.db"
    shutil.copy(db, vencida)
    with closing(sqlite3.connect(vencida, isolation_level=None)) as conexion:  # as a real clock leaves it
        conexion.execute("UPDATE reloj SET ahora = '2026-03-04T09:00:00Z'")
    return {"mercado": db, "vencida": vencida, "nueva": nueva}


def _archivos_malos(carpeta: Path) -> None:
    (carpeta / "vacia.db").touch()
    (carpeta / "texto.db").write_text("no soy una base de datos\n")
    with closing(sqlite3.connect(carpeta / "ajena.db")) as conexion:
        conexion.execute("CREATE TABLE recetas (nombre TEXT)")
    (carpeta / "carpeta.db").mkdir()


# The shell asking what may follow `resolucion pedido ver 1 --json --db …`.
COMPLETAR = {"_RESOLUCION_COMPLETE": "complete_bash", "COMP_WORDS": "resolucion pedido ver 1 --", "COMP_CWORD": "4"}
# (exit code of the app, command line, variables, database): `{db}` is the copy's path. Order 31
# has a prorroga open to the fall-back night and a message; 32 is completed; 33 and 34 had a
# cancellation rejected and an update answered.
CORPUS = [
    # pedido ver
    (0, "pedido ver 1 --db {db} --json", {}, "mercado"),
    (0, "pedido ver 31 --json --db={db} --tz Europe/Madrid", {}, "mercado"),
    (2, "--json pedido ver 31 --db {db}", {}, "mercado"),
    (2, "pedido --json ver 31 --db {db}", {}, "mercado"),
    (0, "pedido ver --json 31 --tz=America/Mexico_City --db {db}", {}, "mercado"),
    (0, "pedido ver 31 --json", {"RESOLUCION_DB": "{db}", "RESOLUCION_TZ": "Europe/Madrid"}, "mercado"),
    (0, "pedido ver 31 --json --db {db}", {"RESOLUCION_TZ": "", "TZ": "Europe/Madrid"}, "mercado"),
    (0, "pedido ver 31 --json --db {db}", {"RESOLUCION_TZ": "", "TZ": ":Asia/Tokyo"}, "mercado"),
    (0, "pedido ver 31 --json --db {db}", {"RESOLUCION_TZ": "", "TZ": "Nada/Nada"}, "mercado"),
    (0, "pedido ver 31 --json --db {db} --tz ''", {"TZ": "Asia/Tokyo"}, "mercado"),
    (0, "pedido ver 31 --json --db {db} --tz ' '", {}, "mercado"),
    (0, "pedido ver 31 --json --db {db} --como ana --no-interactivo", {}, "mercado"),
    (0, "pedido ver 31 --json --db {db}", {"RESOLUCION_USUARIO": "beto"}, "mercado"),
    (0, "pedido ver 31 --json --db {db} --como beto", {"RESOLUCION_USUARIO": "intrusa"}, "mercado"),
    (4, "pedido ver 31 --json --db {db} --como intrusa", {}, "mercado"),
    (2, "pedido ver 31 --json --db {db} --como Ana", {}, "mercado"),
    (2, "pedido ver 31 --json --db {db} --como ''", {}, "mercado"),
    (3, "pedido ver 99999 --json --db {db}", {}, "mercado"),
    (4, "pedido ver 1 --json --db {db} --como ana", {}, "mercado"),
    (2, "pedido ver uno --json --db {db}", {}, "mercado"),
    (2, "pedido ver 0 --json --db {db}", {}, "mercado"),
    (2, "pedido ver --json --db {db}", {}, "mercado"),
    (2, "pedido ver 1 2 --json --db {db}", {}, "mercado"),
    (2, "pedido ver 1 --json --db {db} --tz Marte/Olimpo", {}, "mercado"),
    (2, "pedido ver 1 --json=1 --db {db}", {}, "mercado"),
    (2, "pedido ver 1 --json --db {db} --limite 3", {}, "mercado"),
    (0, "pedido ver 1 --json --db {db} -h", {}, "mercado"),
    (2, "pedido ver 1 --json --db {db} --seguir", {}, "mercado"),
    (0, "pedido ver 1 --json --db {db} --", {}, "mercado"),
    (2, "pedido ver 1 --json --db", {}, "mercado"),
    (5, "pedido ver 1 --json --db -x", {}, "mercado"),
    (0, "pedido ver 1 --db {db}", {}, "mercado"),
    (0, "pedido ver 1 --json --db nada.db --db {db}", {}, "mercado"),
    (0, "pedido ver 1 --json --db {db}", {"RESOLUCION_DB": "nada.db"}, "mercado"),
    (5, "pedido ver 1 --json", {}, "mercado"),
    (5, "pedido ver 1 --json", {"RESOLUCION_DB": ""}, "mercado"),
    (5, "pedido ver 1 --json --db nada.db", {}, "mercado"),
    (5, "pedido ver 1 --json --db vacia.db", {}, "mercado"),
    (5, "pedido ver 1 --json --db texto.db", {}, "mercado"),
    (5, "pedido ver 1 --json --db ajena.db", {}, "mercado"),
    (5, "pedido ver 1 --json --db carpeta.db", {}, "mercado"),
    (5, "pedido ver 1 --json --db no/existe/m.db", {}, "mercado"),
    (5, "pedido ver 1 --json --db {db}", {}, "futura"),
    (0, "pedido ver 1 --json --db {db}", COMPLETAR, "mercado"),
    # pedido listar
    (0, "pedido listar --json --db {db}", {}, "mercado"),
    (0, "pedido listar --db={db} --estado activo --json", {}, "mercado"),
    (0, "pedido listar --estado=en_controversia --limite 3 --json --db {db}", {}, "mercado"),
    (0, "pedido listar --json --limite=2 --como ana --db {db}", {}, "mercado"),
    (0, "pedido listar --json --db {db}", {"RESOLUCION_USUARIO": "ana"}, "mercado"),
    (0, "pedido listar --json --db {db} --como intrusa", {}, "mercado"),
    (2, "pedido listar --json --db {db} --estado nada", {}, "mercado"),
    (2, "pedido listar --json --db {db} --estado", {}, "mercado"),
    (2, "pedido listar --json --db {db} --limite 0", {}, "mercado"),
    (2, "pedido listar --json --db {db} --limite x", {}, "mercado"),
    (2, "pedido listar --json --db {db} --limite 10001", {}, "mercado"),
    (2, "pedido listar --json --db {db} --limite -1", {}, "mercado"),
    (2, "pedido listar --json --db {db} --abiertas", {}, "mercado"),
    (2, "pedido listar 3 --json --db {db}", {}, "mercado"),
    (5, "pedido listar --json --db vacia.db", {}, "mercado"),
    # disputa listar
    (0, "disputa listar --json --db {db}", {}, "mercado"),
    (0, "disputa listar --json --db {db} --pedido 33", {}, "mercado"),
    (0, "disputa listar --pedido=31 --abiertas --json --db {db}", {}, "mercado"),
    (0, "disputa listar --abiertas --como beto --limite 2 --json --db {db}", {}, "mercado"),
    (0, "disputa listar --json --db {db}", {"RESOLUCION_USUARIO": "ana", "RESOLUCION_TZ": "Asia/Tokyo"}, "mercado"),
    (3, "disputa listar --json --db {db} --pedido 99999", {}, "mercado"),
    (2, "disputa listar --json --db {db} --pedido x", {}, "mercado"),
    (2, "disputa listar --json --db {db} --limite 0", {}, "mercado"),
    (2, "disputa listar --json --db {db} --abiertas=1", {}, "mercado"),
    (2, "disputa listar --json --db {db} --estado activo", {}, "mercado"),
    (2, "disputa listar --json --db {db} --como ana!", {}, "mercado"),
    (5, "disputa listar --json --db texto.db", {}, "mercado"),
    # bandeja
    (0, "bandeja --json --db {db} --como ana", {}, "mercado"),
    (0, "bandeja --json --db {db} --como beto --tz Europe/Madrid", {}, "mercado"),
    (0, "bandeja --como=beto --json --db={db}", {"RESOLUCION_TZ": "", "TZ": "America/New_York"}, "mercado"),
    (0, "bandeja --json", {"RESOLUCION_DB": "{db}", "RESOLUCION_USUARIO": "ana"}, "mercado"),
    (2, "bandeja --json --db {db}", {}, "mercado"),
    (2, "bandeja --json --db {db}", {"RESOLUCION_USUARIO": ""}, "mercado"),
    (4, "bandeja --json --db {db} --como nadie", {}, "mercado"),
    (2, "bandeja --json --db {db} --como ana --seguir", {}, "mercado"),
    (2, "bandeja --json --db {db} --como ana extra", {}, "mercado"),
    (5, "bandeja --json --db ajena.db --como ana", {}, "mercado"),
    # pendientes
    (0, "pendientes --json --db {db} --como beto", {}, "mercado"),
    (0, "pendientes --como=ana --json --db {db} --no-interactivo", {}, "mercado"),
    (0, "pendientes --json --db {db}", {"RESOLUCION_USUARIO": "beto"}, "mercado"),
    (2, "pendientes --json --db {db}", {}, "mercado"),
    (4, "pendientes --json --db {db} --como nadie", {}, "mercado"),
    (2, "pendientes --json --db {db} --como beto --limite 2", {}, "mercado"),
    (5, "pendientes --json --db nada.db --como beto", {}, "mercado"),
    # tick, idle or not
    (0, "tick --json --db {db}", {}, "mercado"),
    (0, "tick --json --db {db} --limite 3", {}, "mercado"),
    (0, "tick --limite=2 --como beto --json --db {db}", {}, "mercado"),
    (0, "tick --json --db {db} --simular", {}, "mercado"),
    (0, "tick --json", {"RESOLUCION_DB": "{db}", "RESOLUCION_USUARIO": "ana"}, "mercado"),
    (2, "tick --json --db {db} --limite 0", {}, "mercado"),
    (2, "tick --json --db {db} --como nadie!", {}, "mercado"),
    (0, "tick --json --db {db} --avanzar 1d", {}, "mercado"),
    (0, "tick --json --db {db} --siguiente", {}, "mercado"),
    (2, "tick --json --db {db} --at 2020-01-01", {}, "mercado"),
    (0, "tick --json --db {db} --simular --avanzar 5d", {}, "mercado"),
    (0, "tick --json --db {db} --avanzar=5d --como beto --limite 2", {}, "mercado"),
    (0, "tick --at 2026-03-09T10:00 --json --db {db} --tz Europe/Madrid", {}, "mercado"),
    (0, "tick --json --db {db} --at=2026-10-25T02:30", {"RESOLUCION_TZ": "Europe/Madrid"}, "mercado"),
    (2, "tick --json --db {db} --at 2026-03-09 --avanzar 1d", {}, "mercado"),
    (2, "tick --json --db {db} --avanzar pronto", {}, "mercado"),
    (2, "tick --json --db {db} --avanzar 3000000d", {}, "mercado"),
    (2, "tick --json --db {db} --at", {}, "mercado"),
    (2, "tick --json --db {db} --siguiente=1", {}, "mercado"),
    (2, "tick --json --db {db} --avanzar -1d", {}, "mercado"),
    (5, "tick --json --db {db} --avanzar 1d", {}, "futura"),
    (5, "tick --json --db vacia.db --avanzar 1d", {}, "mercado"),
    (2, "tick --json --db {db} --json=no", {}, "mercado"),
    (5, "tick --json --db {db}", {}, "futura"),
    (1, "tick --json --db {db} --siguiente", {}, "nueva"),
    (0, "tick --json --db {db}", {}, "nueva"),
    (0, "pedido listar --json --db {db}", {}, "nueva"),
    # something due: every read writes first, so the app answers
    (0, "pedido ver 1 --json --db {db}", {}, "vencida"),
    (0, "pedido listar --json --db {db} --limite 5", {}, "vencida"),
    (0, "disputa listar --abiertas --json --db {db}", {}, "vencida"),
    (0, "bandeja --json --db {db} --como ana", {}, "vencida"),
    (0, "pendientes --json --db {db} --como beto", {}, "vencida"),
    (0, "tick --json --db {db}", {}, "vencida"),
    (0, "tick --json --db {db} --simular", {}, "vencida"),
    (0, "tick --json --db {db} --avanzar 2d --limite 4", {}, "vencida"),
    (0, "tick --json --db {db} --siguiente --como ana", {}, "vencida"),
]


def _preparar(bases, tmp_path: Path, base: str) -> Path:
    """A fresh copy of the database at the case's one path, and the broken files beside it."""
    for viejo in tmp_path.glob("copia.db*"):
        viejo.unlink(missing_ok=True)
    copia = tmp_path / "copia.db"
    shutil.copy(bases["mercado" if base == "futura" else base], copia)
    if base == "futura":  # made by a newer resolucion
        with closing(sqlite3.connect(copia)) as conexion:
            conexion.execute("PRAGMA user_version = 999")
    if not (tmp_path / "vacia.db").exists():
        _archivos_malos(tmp_path)
    return copia


def _volcado(db: Path) -> list[str]:
    with closing(sqlite3.connect(db)) as conexion:
        return list(conexion.iterdump())


def _linea(linea: str, variables: dict, db: Path) -> tuple[list[str], dict]:
    return [a.replace("{db}", str(db)) for a in shlex.split(linea)], {
        k: v.replace("{db}", str(db)) for k, v in variables.items()
    }


@pytest.mark.parametrize("codigo, linea, variables, base", CORPUS, ids=[f"{b}: {c} {v or ''}" for _, c, v, b in CORPUS])
def test_the_fast_path_answers_each_command_line_as_the_typer_app(bases, tmp_path, codigo, linea, variables, base):
    resultados = []
    for programa in (RAPIDO, COMPLETO):
        db = _preparar(bases, tmp_path, base)
        args, env = _linea(linea, variables, db)
        r = _correr(["-c", programa], args, tmp_path, _entorno(**env))
        resultados.append((r.stdout, r.stderr, r.returncode, _volcado(db)))
    rapido, completo = resultados
    assert completo[2] == codigo, completo[1]
    assert rapido[:3] == completo[:3]
    assert rapido[3] == completo[3], "the database differs afterwards"


def test_the_corpus_reaches_every_exit_code_of_the_read_commands():
    assert {codigo for codigo, *_ in CORPUS} == {0, 1, 2, 3, 4, 5}


def test_a_value_with_bytes_that_are_not_utf8_is_refused_as_by_the_app(bases, tmp_path):
    db = _preparar(bases, tmp_path, "mercado")
    args = ["pedido", "listar", "--json", "--db", str(db), "--como", os.fsdecode(b"ana\xff")]
    rapido, completo = (_correr(["-c", p], args, tmp_path, _entorno()) for p in (RAPIDO, COMPLETO))
    assert (rapido.stdout, rapido.stderr, rapido.returncode) == (completo.stdout, completo.stderr, completo.returncode)
    assert completo.returncode == 2


@pytest.mark.parametrize("linea", ["tick --json --db {db}", "tick --json --db {db} --avanzar 1d"])
def test_a_write_lock_held_elsewhere_is_reported_as_by_the_app(bases, tmp_path, linea):
    """A tick takes the write lock: the fast path hands the command over, the app waits and
    says the database is locked (exit 5), once."""
    db = _preparar(bases, tmp_path, "mercado")
    antes = _volcado(db)
    otra = sqlite3.connect(db, isolation_level=None)
    otra.execute("BEGIN IMMEDIATE")
    try:
        args, env = _linea(linea, {}, db)
        rapido, completo = (_correr(["-c", p], args, tmp_path, _entorno(**env)) for p in (RAPIDO, COMPLETO))
    finally:
        otra.execute("ROLLBACK")
        otra.close()
    assert (rapido.stdout, rapido.stderr, rapido.returncode) == (completo.stdout, completo.stderr, completo.returncode)
    assert completo.returncode == 5 and b"bloqueada" in completo.stderr
    assert _volcado(db) == antes


# Each command line the fast path answers itself, with a zone given or the system's.
RAPIDAS = [
    "pedido ver 31 --json --db {db}",
    "pedido ver 31 --json --db {db} --como ana --tz Europe/Madrid --no-interactivo",
    "pedido listar --json --db {db} --estado activo --limite 3 --como ana",
    "disputa listar --json --db {db} --pedido 31 --abiertas --limite 2 --como beto",
    "bandeja --json --db {db} --como beto",
    "pendientes --json --db {db} --como beto",
    "tick --json --db {db}",
    "tick --json --db {db} --como beto --limite 2 --simular",
    "tick --json --db {db} --avanzar 5d",
    "tick --json --db {db} --at 2026-03-09T10:00 --tz Europe/Madrid",
    "tick --json --db {db} --siguiente --como beto",
]
LECTURAS = [linea for linea in RAPIDAS if not linea.startswith("tick")]


def _importados(bases, tmp_path, linea: str, base: str, programa: list[str], **variables) -> set[str]:
    db = _preparar(bases, tmp_path, base)
    args, _ = _linea(linea, {}, db)
    r = _correr(["-X", "importtime", *programa], args, tmp_path, _entorno(**variables))
    assert r.returncode == 0, r.stderr[-2000:]
    importados = {fila.rsplit("|", 1)[-1].strip() for fila in r.stderr.decode().splitlines() if "|" in fila}
    assert "resolucion_cli.servicios" in importados  # the trace really covers the command
    return importados


@pytest.mark.parametrize("linea", RAPIDAS)
@pytest.mark.parametrize("zona", ["UTC", ""])
@pytest.mark.parametrize("programa", [["-c", RAPIDO], ["-m", "resolucion_cli"]], ids=["resolucion", "python -m"])
def test_a_fast_command_line_imports_neither_typer_click_rich_pendulum_nor_sqlite_utils(
    bases, tmp_path, linea, zona, programa
):
    importados = _importados(bases, tmp_path, linea, "mercado", programa, RESOLUCION_TZ=zona)
    for pesado in PESADOS:
        assert not any(m == pesado or m.startswith(pesado + ".") for m in importados), pesado


@pytest.mark.parametrize("linea", LECTURAS)
def test_with_something_due_the_read_is_handed_to_the_app(bases, tmp_path, linea):
    """The read would write first: the fast path leaves that to the app, which takes the lock."""
    assert "typer" in _importados(bases, tmp_path, linea, "vencida", ["-c", RAPIDO])


@pytest.mark.parametrize("linea", [linea for linea in RAPIDAS if linea.startswith("tick")])
def test_a_tick_with_something_due_is_still_answered_without_the_app(bases, tmp_path, linea):
    assert "typer" not in _importados(bases, tmp_path, linea, "vencida", ["-c", RAPIDO])


def test_a_failure_after_the_tick_is_saved_is_reported_not_handed_over(bases, tmp_path):
    """Handed to the app, the tick would run a second time and move the clock twice."""
    db = _preparar(bases, tmp_path, "mercado")
    reloj_antes = _resolucion(db, "tick")["reloj"]
    falla = (
        "from resolucion_cli import servicios\n"
        "def roto(*a, **k): raise RuntimeError('roto')\n"
        "servicios.ResultadoTick = roto\n"
    )
    args, env = _linea("tick --json --db {db} --avanzar 1d", {}, db)
    r = _correr(["-c", falla + RAPIDO], args, tmp_path, _entorno(**env))
    assert r.returncode == 1, r.stderr
    assert "después de guardar el cambio" in json.loads(r.stderr)["error"]["mensaje"]
    assert _resolucion(db, "tick")["reloj"] == "2026-03-03T09:00:00Z" != reloj_antes
