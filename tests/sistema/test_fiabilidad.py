"""Reliability: three-way races between real processes, and crashes mid-tick.

The races and the crashes run the installed `resolucion` command as separate processes;
what is asserted is the outcome (one winner, all or nothing, sound invariants), never
how long anything took. `verificar` itself is tested in tests/almacen/test_verificar.py.
"""

import json
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from resolucion_cli.reloj import iso
from tests.conftest import EN_AMBOS, T0, T0_ISO
from tests.fiabilidad import (
    BARRERA,
    CIERRES,
    COMANDO,
    ESPERA_MAXIMA,
    _checkpoint,
    _consulta,
    _copiar,
    _desde_iso,
    _ejecutar,
    _entorno,
)


def test_the_barrier_starts_the_installed_command(tmp_path):
    barrera = tmp_path / "ya"
    script = tmp_path / "barrera.py"
    script.write_text(BARRERA)
    proceso = subprocess.Popen(
        [sys.executable, str(script), str(barrera), *COMANDO, "init", "--reloj", T0_ISO, "--json",
         "--db", str(tmp_path / "humo.db")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_entorno(),
    )  # fmt: skip
    barrera.touch()
    salida, errores = proceso.communicate(timeout=ESPERA_MAXIMA)
    assert proceso.returncode == 0, errores
    assert json.loads(salida)["reloj"] == T0_ISO


# --- 1. accept, revoke and expire at once ----------------------------------------------

# (type, opener, recipient, options of the opener)
RONDAS = [
    ("cancelacion", "ana", "beto", ("--comentario", "Ya no lo necesito")),
    ("cancelacion", "beto", "ana", ("--motivo", "no_puedo_completar")),
    ("prorroga", "beto", "ana", ("--nueva-entrega", "2027-01-01T00:00Z")),
    (
        "extras",
        "beto",
        "ana",
        ("--extras-precio", "25", "--extras-descripcion", "Dos revisiones", "--extras-dias", "3"),
    ),
]


def _lanzar_tras_barrera(script: Path, barrera: Path, db: Path, args: tuple) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(script), str(barrera), *COMANDO, *map(str, args), "--db", str(db)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_entorno(),
    )


def _pedido_esperado(tipo: str, estado_final: str, antes: dict) -> dict:
    """The order fields that each outcome of each request type leaves."""
    esperado = {
        "estado": "activo",
        "precio_centavos": antes["precio_centavos"],
        "fecha_entrega": antes["fecha_entrega"],
    }
    if tipo == "cancelacion" and estado_final in ("aceptada", "vencida"):
        esperado["estado"] = "cancelado"
    if estado_final == "aceptada" and tipo == "prorroga":
        esperado["fecha_entrega"] = "2027-01-01T00:00:00Z"
    if estado_final == "aceptada" and tipo == "extras":
        esperado["precio_centavos"] = antes["precio_centavos"] + 2500
        esperado["fecha_entrega"] = iso(_desde_iso(antes["fecha_entrega"]) + timedelta(days=3))
    return esperado


@EN_AMBOS
def test_accept_revoke_and_expiry_at_once_have_exactly_one_winner_in_every_round(cli, tmp_path):
    script = tmp_path / "barrera.py"
    script.write_text(BARRERA)
    ganadores = []
    for ronda in range(8):
        tipo, abre, recibe, opciones = RONDAS[ronda % len(RONDAS)]
        pedido = cli.pedido(titulo=f"Ronda {ronda}", entrega="30d")
        disputa = cli.abrir(pedido["id"], abre, tipo, *opciones)
        ordenes = {
            "aceptar": ("disputa", "responder", disputa["id"], "--como", recibe, "--aceptar"),
            "revocar": ("disputa", "revocar", disputa["id"], "--como", abre),
            "tick": ("tick", "--at", disputa["vence_en"], "--json"),
        }
        nombres = list(ordenes)[ronda % 3 :] + list(ordenes)[: ronda % 3]  # vary who starts first
        barrera = tmp_path / f"barrera-{ronda}"

        procesos = {n: _lanzar_tras_barrera(script, barrera, cli.db, ordenes[n]) for n in nombres}
        barrera.touch()
        resultados = {n: (p, *p.communicate(timeout=ESPERA_MAXIMA)) for n, p in procesos.items()}

        codigos = {n: p.returncode for n, (p, _, _) in resultados.items()}
        assert 5 not in codigos.values(), resultados
        assert codigos["tick"] == 0, resultados
        assert codigos["aceptar"] in (0, 1) and codigos["revocar"] in (0, 1), resultados
        vista = cli.ok("pedido", "ver", pedido["id"])
        (final,) = vista["disputas"]
        ganador = {"aceptada": "aceptar", "revocada": "revocar", "vencida": "tick"}.get(final["estado"])
        assert ganador is not None, final
        ganadores.append(ganador)
        for nombre in ("aceptar", "revocar"):
            proceso, salida, errores = resultados[nombre]
            if nombre == ganador:
                assert proceso.returncode == 0, resultados
                continue
            assert proceso.returncode == 1, resultados
            assert salida == ""
            assert errores.startswith("Error: ") and errores.count("\n") == 1, errores
            assert f"La solicitud #{disputa['id']} ya no está abierta" in errores
            assert "Traceback" not in errores
        procesados = json.loads(resultados["tick"][1])["procesados"]
        assert (disputa["id"] in [x["disputa"] for x in procesados]) == (ganador == "tick"), procesados

        por = {"aceptar": recibe, "revocar": abre, "tick": "sistema"}[ganador]
        assert final["resuelta_por"] == por
        if ganador == "tick":
            assert final["resuelta_en"] == final["vence_en"]
        else:
            assert final["resuelta_en"] < final["vence_en"]
        esperado = _pedido_esperado(tipo, final["estado"], pedido)
        assert {k: vista["pedido"][k] for k in esperado} == esperado, (ganador, vista["pedido"])
        cierres = cli.sql(
            f"SELECT tipo FROM eventos WHERE disputa = ? AND tipo IN ({', '.join('?' * len(CIERRES))})",
            (disputa["id"], *CIERRES),
        )
        assert cierres == [(f"disputa_{final['estado']}",)], (ganador, cierres)

    verificacion = _ejecutar(cli.db, "verificar", "--json")
    assert verificacion.returncode == 0, (verificacion.stdout, verificacion.stderr, ganadores)
    assert json.loads(verificacion.stdout) == {"ok": True, "problemas": []}


# --- 2. a tick killed while it fires ten thousand deadlines ----------------------------

AVANCE = timedelta(days=5)


@pytest.fixture(scope="module")
def base_grande(tmp_path_factory):
    """One generated marketplace (~10 000 requests due within 4 days), checkpointed."""
    db = tmp_path_factory.mktemp("grande") / "grande.db"
    for args in (("init", "--reloj", T0_ISO, "--json"), ("generar", "--pedidos", "30000", "--semilla", "1", "--json")):
        r = _ejecutar(db, *args)
        assert r.returncode == 0, r.stderr
    _checkpoint(db)
    limite = iso(T0 + AVANCE)
    debidas = {
        f[0] for f in _consulta(db, "SELECT id FROM disputas WHERE estado = 'abierta' AND vence_en <= ?", (limite,))
    }
    ya_vencidas = {f[0] for f in _consulta(db, "SELECT id FROM disputas WHERE estado = 'vencida'")}
    assert len(debidas) > 5000
    return db, debidas, ya_vencidas


def _tras(segundos: float):
    return lambda inicio, db: time.monotonic() - inicio >= segundos


def _wal_mayor_que(bytes_: int):
    def condicion(inicio, db) -> bool:
        wal = Path(f"{db}-wal")
        return wal.exists() and wal.stat().st_size > bytes_

    return condicion


def _confirmado(inicio, db) -> bool:
    """The tick committed (another reader sees the moved clock) but may not have closed yet."""
    try:
        return _consulta(db, "SELECT ahora FROM reloj") != [(T0_ISO,)]
    except sqlite3.OperationalError:
        return False


MOMENTOS = {
    "a los 0.05 s": _tras(0.05),
    "al empezar a escribir": _wal_mayor_que(0),
    "con 4 MB escritos": _wal_mayor_que(4 * 1024 * 1024),
    "a los 1.2 s": _tras(1.2),
    "recién confirmado": _confirmado,
}


@pytest.mark.parametrize("momento", list(MOMENTOS))
def test_a_tick_killed_at_any_moment_applies_all_or_nothing_and_the_next_tick_finishes_once(
    base_grande, tmp_path, momento
):
    original, debidas, ya_vencidas = base_grande
    db = _copiar(original, tmp_path / "copia.db")
    condicion = MOMENTOS[momento]

    proceso = subprocess.Popen(
        [*COMANDO, "tick", "--avanzar", "5d", "--json", "--db", str(db)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_entorno(),
    )
    inicio = time.monotonic()
    while proceso.poll() is None and not condicion(inicio, db) and time.monotonic() - inicio < ESPERA_MAXIMA:
        time.sleep(0.001)
    proceso.kill()  # SIGKILL: no cleanup, no rollback, no checkpoint
    proceso.wait(timeout=ESPERA_MAXIMA)

    verificacion = _ejecutar(db, "verificar", "--json")
    assert verificacion.returncode == 0, verificacion.stdout
    assert json.loads(verificacion.stdout) == {"ok": True, "problemas": []}
    ((reloj,),) = _consulta(db, "SELECT ahora FROM reloj")
    vencidas = {f[0] for f in _consulta(db, "SELECT id FROM disputas WHERE estado = 'vencida'")}
    if reloj == T0_ISO:  # nothing of the tick was applied
        assert vencidas == ya_vencidas
        siguiente = _ejecutar(db, "tick", "--avanzar", "5d", "--json")
    else:  # all of it was
        assert reloj == iso(T0 + AVANCE)
        assert vencidas == ya_vencidas | debidas
        siguiente = _ejecutar(db, "tick", "--json")
    assert siguiente.returncode == 0, siguiente.stderr

    ((reloj,),) = _consulta(db, "SELECT ahora FROM reloj")
    assert reloj == iso(T0 + AVANCE)
    assert {f[0] for f in _consulta(db, "SELECT id FROM disputas WHERE estado = 'vencida'")} == ya_vencidas | debidas
    assert _consulta(db, "SELECT count(*) FROM disputas WHERE estado = 'abierta'") == [(0,)]
    # Every expired request has exactly one expiry event, and no event points elsewhere.
    assert (
        _consulta(
            db,
            "SELECT d.id, count(e.id) AS n FROM disputas d LEFT JOIN eventos e "
            "ON e.disputa = d.id AND e.tipo = 'disputa_vencida' WHERE d.estado = 'vencida' GROUP BY d.id HAVING n != 1",
        )
        == []
    )
    assert _consulta(db, "SELECT count(*) FROM eventos WHERE tipo = 'disputa_vencida'") == [
        (len(ya_vencidas) + len(debidas),)
    ]
    # ...and sent its two notices exactly once.
    avisos = _consulta(db, "SELECT disputa, count(*) FROM mensajes WHERE de = 'sistema' GROUP BY disputa")
    assert {d for d, _ in avisos} == debidas
    assert {n for _, n in avisos} == {2}
    final = _ejecutar(db, "verificar", "--json")
    assert final.returncode == 0, final.stdout
