"""Races between real separate processes running the installed `resolucion` command (SPEC §8).

Each test starts its processes together and waits for all of them; what is asserted is
the outcome (exactly one winner, nothing lost, a consistent database), never timing.
"""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from resolucion_cli.almacen import ESQUEMA
from tests.conftest import EN_AMBOS

_SCRIPT = Path(sys.executable).with_name("resolucion")
COMANDO = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "resolucion_cli"]
ESPERA_MAXIMA = 60  # seconds; only a hung process would come near it


def _lanzar(db: Path, *args) -> subprocess.Popen:
    entorno = dict(os.environ, RESOLUCION_TZ="UTC", NO_COLOR="1", COLUMNS="200")
    entorno.pop("RESOLUCION_DB", None)
    entorno.pop("RESOLUCION_USUARIO", None)
    return subprocess.Popen(
        [*COMANDO, *map(str, args), "--db", str(db)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=entorno,
    )


def _a_la_vez(db: Path, ordenes: list[tuple]) -> list[tuple[int, str, str]]:
    """Start every command before waiting for any; (exit code, stdout, stderr) of each."""
    procesos = [_lanzar(db, *orden) for orden in ordenes]
    resultados = []
    for proceso in procesos:
        salida, errores = proceso.communicate(timeout=ESPERA_MAXIMA)
        resultados.append((proceso.returncode, salida, errores))
    return resultados


def _crear(i: int) -> tuple:
    return (
        "pedido", "crear", "--cliente", "ana", "--freelancer", "beto",
        "--titulo", f"Pedido {i}", "--precio", "100", "--entrega", "7d", "--json",
    )  # fmt: skip


def test_the_installed_command_is_the_one_being_raced(tmp_path):
    codigo, salida, errores = _a_la_vez(tmp_path / "humo.db", [("init", "--reloj", "2026-03-02T09:00Z", "--json")])[0]
    assert codigo == 0, errores
    assert json.loads(salida)["version_esquema"] == ESQUEMA


@EN_AMBOS
def test_an_accept_and_a_revoke_at_once_have_exactly_one_winner_and_a_consistent_result(cli):
    rondas = 6
    for ronda in range(rondas):
        pedido = cli.pedido(titulo=f"Ronda {ronda}")
        disputa = cli.abrir(pedido["id"], "ana", "cancelacion", "--comentario", "Ya no lo necesito")
        ordenes = {
            "aceptar": ("disputa", "responder", disputa["id"], "--como", "beto", "--aceptar"),
            "revocar": ("disputa", "revocar", disputa["id"], "--como", "ana"),
        }
        # Alternate which process starts first, so neither is favoured by its head start.
        nombres = ["aceptar", "revocar"] if ronda % 2 == 0 else ["revocar", "aceptar"]

        resultados = dict(zip(nombres, _a_la_vez(cli.db, [ordenes[n] for n in nombres]), strict=True))

        codigos = sorted(codigo for codigo, _, _ in resultados.values())
        assert codigos == [0, 1], resultados
        ganador = next(nombre for nombre, (codigo, _, _) in resultados.items() if codigo == 0)
        perdedor = "revocar" if ganador == "aceptar" else "aceptar"
        _, salida_perdedor, error_perdedor = resultados[perdedor]
        assert salida_perdedor == ""
        assert error_perdedor.startswith("Error: "), error_perdedor
        assert f"La solicitud #{disputa['id']} ya no está abierta" in error_perdedor
        assert "Traceback" not in error_perdedor
        assert error_perdedor.count("\n") == 1

        vista = cli.ok("pedido", "ver", pedido["id"])
        (final,) = vista["disputas"]
        if ganador == "aceptar":
            assert (final["estado"], final["resuelta_por"]) == ("aceptada", "beto")
            assert vista["pedido"]["estado"] == "cancelado"
        else:
            assert (final["estado"], final["resuelta_por"]) == ("revocada", "ana")
            assert vista["pedido"]["estado"] == "activo"
        cierres = [e["tipo"] for e in vista["eventos"] if e["tipo"] in ("disputa_aceptada", "disputa_revocada")]
        assert cierres == [f"disputa_{final['estado']}"]


@EN_AMBOS
def test_several_processes_creating_orders_at_once_lose_none(cli):
    procesos = 8

    resultados = _a_la_vez(cli.db, [_crear(i) for i in range(procesos)])

    assert [codigo for codigo, _, _ in resultados] == [0] * procesos, resultados
    ids = [json.loads(salida)["pedido"]["id"] for _, salida, _ in resultados]
    assert sorted(ids) == list(range(1, procesos + 1))
    pedidos = cli.ok("pedido", "listar")["pedidos"]
    assert sorted(p["titulo"] for p in pedidos) == sorted(f"Pedido {i}" for i in range(procesos))
    assert {p["id"] for p in pedidos} == set(ids)


def test_several_inits_creating_the_database_at_once_all_succeed_on_one_schema(tmp_path):
    db = tmp_path / "nueva.db"
    procesos = 6

    resultados = _a_la_vez(db, [("init", "--reloj", "2026-03-02T09:00Z", "--json")] * procesos)

    assert [codigo for codigo, _, _ in resultados] == [0] * procesos, resultados
    assert {json.loads(salida)["reloj"] for _, salida, _ in resultados} == {"2026-03-02T09:00:00Z"}
    conexion = sqlite3.connect(db)
    try:
        assert conexion.execute("PRAGMA user_version").fetchone()[0] == ESQUEMA
        assert conexion.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conexion.execute("SELECT count(*) FROM reloj").fetchone()[0] == 1
        assert {f[0] for f in conexion.execute("SELECT usuario FROM usuarios")} == {"sistema"}
    finally:
        conexion.close()


def test_several_inits_on_one_empty_postgresql_database_all_succeed_on_one_schema():
    from tests.postgres import cluster

    servidor = cluster()
    url = servidor.nueva_base()
    procesos = 6

    resultados = _a_la_vez(url, [("init", "--reloj", "2026-03-02T09:00Z", "--json")] * procesos)

    assert [codigo for codigo, _, _ in resultados] == [0] * procesos, resultados
    assert {json.loads(salida)["reloj"] for _, salida, _ in resultados} == {"2026-03-02T09:00:00Z"}
    assert servidor.sql(url, "SELECT version FROM esquema") == [(ESQUEMA,)]
    assert servidor.sql(url, "SELECT count(*) FROM reloj") == [(1,)]
    assert servidor.sql(url, "SELECT usuario FROM usuarios") == [("sistema",)]
