"""Reliability: three-way races between real processes, crashes mid-tick, and `verificar`.

The races and the crashes run the installed `resolucion` command as separate processes;
what is asserted is the outcome (one winner, all or nothing, sound invariants), never
how long anything took.
"""

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import T0, T0_ISO, Cli

from resolucion_cli.reglas import PLAZOS
from resolucion_cli.reloj import iso

_SCRIPT = Path(sys.executable).with_name("resolucion")
COMANDO = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "resolucion_cli"]
ESPERA_MAXIMA = 120  # seconds; only a hung process would come near it
CIERRES = ("disputa_respondida", "disputa_aceptada", "disputa_rechazada", "disputa_revocada", "disputa_vencida")

# Waits for a file to appear, then becomes the command: processes started one by one
# all begin their real work at the same instant.
BARRERA = """\
import os, sys, time
barrera, limite = sys.argv[1], time.monotonic() + 60
while not os.path.exists(barrera):
    if time.monotonic() > limite:
        sys.exit(99)
    time.sleep(0.0005)
os.execv(sys.argv[2], sys.argv[2:])
"""


def _entorno() -> dict:
    entorno = dict(os.environ, RESOLUCION_TZ="UTC", NO_COLOR="1", COLUMNS="200")
    entorno.pop("RESOLUCION_DB", None)
    entorno.pop("RESOLUCION_USUARIO", None)
    return entorno


def _ejecutar(db: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMANDO, *map(str, args), "--db", str(db)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=_entorno(),
        timeout=ESPERA_MAXIMA,
    )


def _consulta(db: Path, sql: str, parametros=()) -> list[tuple]:
    conexion = sqlite3.connect(db)
    try:
        return conexion.execute(sql, parametros).fetchall()
    finally:
        conexion.close()


def _checkpoint(db: Path) -> None:
    """Fold the WAL into the main file, so the file alone is the whole database."""
    conexion = sqlite3.connect(db)
    try:
        conexion.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conexion.close()


def _copiar(origen: Path, destino: Path) -> Path:
    shutil.copyfile(origen, destino)
    for sufijo in ("-wal", "-shm"):
        extra = Path(f"{origen}{sufijo}")
        if extra.exists():
            shutil.copyfile(extra, Path(f"{destino}{sufijo}"))
    return destino


def _desde_iso(texto: str) -> datetime:
    return datetime.fromisoformat(texto.replace("Z", "+00:00"))


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
        cierres = _consulta(
            cli.db,
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


# --- 3. verificar ----------------------------------------------------------------------


def _huella(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def base_generada(tmp_path_factory):
    """A small generated marketplace with orders and requests in every state."""
    db = tmp_path_factory.mktemp("generada") / "generada.db"
    for args in (("init", "--reloj", T0_ISO, "--json"), ("generar", "--pedidos", "400", "--semilla", "7", "--json")):
        r = _ejecutar(db, *args)
        assert r.returncode == 0, r.stderr
    _checkpoint(db)
    return db


@pytest.fixture(scope="module")
def base_demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    r = _ejecutar(db, "demo")
    assert r.returncode == 0, r.stderr
    _checkpoint(db)
    return db


@pytest.mark.parametrize("base", ["base_demo", "base_generada"])
def test_a_sound_database_verifies_ok_with_no_problems(request, base, tmp_path):
    db = _copiar(request.getfixturevalue(base), tmp_path / "sana.db")
    antes = _huella(db)

    r = Cli(db).run("verificar", "--json")

    assert r.code == 0, r
    assert r.data == {"ok": True, "problemas": []}
    assert r.err == ""
    assert _huella(db) == antes


def _uno(conexion, sql: str, parametros=()):
    fila = conexion.execute(sql, parametros).fetchone()
    assert fila is not None, sql
    return fila


def _en_controversia_sin_abierta(c):
    pedido, disputa = _uno(c, "SELECT pedido, id FROM disputas WHERE estado = 'abierta' LIMIT 1")
    c.execute(
        "UPDATE disputas SET estado = 'revocada', resuelta_en = creada_en, resuelta_por = abierta_por WHERE id = ?",
        [disputa],
    )
    return rf"El pedido #{pedido}\b.*en controversia.*0 solicitudes abiertas"


def _abierta_pasado_el_reloj(c):
    (disputa, tipo) = _uno(c, "SELECT id, tipo FROM disputas WHERE estado = 'abierta' LIMIT 1")
    ((reloj,),) = c.execute("SELECT ahora FROM reloj").fetchall()
    vence = _desde_iso(reloj) - timedelta(seconds=1)
    c.execute(
        "UPDATE disputas SET vence_en = ?, creada_en = ? WHERE id = ?",
        [iso(vence), iso(vence - PLAZOS[tipo]), disputa],
    )
    return rf"La solicitud #{disputa}\b sigue abierta aunque su plazo venció"


def _cerrada_sin_resuelta_en(c):
    (disputa,) = _uno(c, "SELECT id FROM disputas WHERE estado = 'aceptada' LIMIT 1")
    c.execute("UPDATE disputas SET resuelta_en = NULL WHERE id = ?", [disputa])
    return rf"La solicitud #{disputa}\b está «aceptada» pero le falta cuándo o quién la cerró"


def _resuelta_despues_del_reloj(c):
    (disputa,) = _uno(c, "SELECT id FROM disputas WHERE estado = 'aceptada' LIMIT 1")
    ((reloj,),) = c.execute("SELECT ahora FROM reloj").fetchall()
    c.execute(
        "UPDATE disputas SET resuelta_en = ? WHERE id = ?", [iso(_desde_iso(reloj) + timedelta(hours=1)), disputa]
    )
    return rf"La solicitud #{disputa}\b se cerró .* fuera de su intervalo"


def _activo_sin_disputas(c) -> int:
    (pedido,) = _uno(
        c,
        "SELECT id FROM pedidos p WHERE estado = 'activo' AND NOT EXISTS "
        "(SELECT 1 FROM disputas d WHERE d.pedido = p.id) LIMIT 1",
    )
    return pedido


def _cancelado_sin_cancelacion(c):
    pedido = _activo_sin_disputas(c)
    c.execute("UPDATE pedidos SET estado = 'cancelado' WHERE id = ?", [pedido])
    return rf"El pedido #{pedido}\b está cancelado pero ninguna solicitud de cancelación"


def _evento_anterior_al_previo(c):
    (pedido,) = _uno(c, "SELECT pedido FROM eventos GROUP BY pedido HAVING count(*) >= 2 LIMIT 1")
    (ultimo,) = _uno(c, "SELECT max(id) FROM eventos WHERE pedido = ?", [pedido])
    c.execute("UPDATE eventos SET en = '2001-01-01T00:00:00Z' WHERE id = ?", [ultimo])
    return rf"El evento #{ultimo}\b del pedido #{pedido}\b .* es anterior al evento que lo precede"


def _precio_negativo(c):
    pedido = _activo_sin_disputas(c)
    c.execute("UPDATE pedidos SET precio_centavos = -500 WHERE id = ?", [pedido])
    return rf"El pedido #{pedido}\b tiene un precio no válido \(-500\)"


def _fecha_de_entrega_mal_formada(c):
    pedido = _activo_sin_disputas(c)
    c.execute("UPDATE pedidos SET fecha_entrega = '2026-13-45' WHERE id = ?", [pedido])
    return rf"El pedido #{pedido}\b tiene una fecha mal formada: 2026-13-45"


def _vencimiento_mal_formado(c):
    (disputa,) = _uno(c, "SELECT id FROM disputas WHERE estado = 'abierta' LIMIT 1")
    c.execute("UPDATE disputas SET vence_en = '2026-13-45T09:00:00Z' WHERE id = ?", [disputa])
    return rf"La solicitud #{disputa}\b tiene una fecha mal formada"


def _fecha_que_no_existe(c):
    # Well shaped, but 30 February: every command that reads this order would fail on it.
    pedido = _activo_sin_disputas(c)
    c.execute("UPDATE pedidos SET fecha_entrega = '2026-02-30T09:00:00Z' WHERE id = ?", [pedido])
    return rf"El pedido #{pedido}\b tiene una fecha mal formada"


def _abierta_en_pedido_activo(c):
    pedido, disputa = _uno(c, "SELECT pedido, id FROM disputas WHERE estado = 'abierta' LIMIT 1")
    c.execute("UPDATE pedidos SET estado = 'activo', estado_anterior = NULL WHERE id = ?", [pedido])
    return rf"El pedido #{pedido}\b está «activo» pero tiene una solicitud abierta \(#{disputa}\)"


def _destinatario_ajeno(c):
    disputa, cliente, freelancer = _uno(
        c,
        "SELECT d.id, p.cliente, p.freelancer FROM disputas d JOIN pedidos p ON p.id = d.pedido "
        "WHERE d.estado = 'abierta' LIMIT 1",
    )
    (ajeno,) = _uno(
        c, "SELECT usuario FROM usuarios WHERE usuario NOT IN (?, ?, 'sistema') LIMIT 1", [cliente, freelancer]
    )
    c.execute("UPDATE disputas SET destinatario = ? WHERE id = ?", [ajeno, disputa])
    return rf"La solicitud #{disputa}\b no la abrió una parte de su pedido .* o no va a la otra parte"


CORRUPCIONES = {
    "pedido en controversia sin solicitud abierta": _en_controversia_sin_abierta,
    "solicitud abierta pasado el reloj": _abierta_pasado_el_reloj,
    "solicitud cerrada sin resuelta_en": _cerrada_sin_resuelta_en,
    "resuelta_en después del reloj": _resuelta_despues_del_reloj,
    "pedido cancelado sin cancelación": _cancelado_sin_cancelacion,
    "evento anterior al previo": _evento_anterior_al_previo,
    "precio negativo": _precio_negativo,
    "fecha de entrega 2026-13-45": _fecha_de_entrega_mal_formada,
    "vencimiento 2026-13-45": _vencimiento_mal_formado,
    "fecha 30 de febrero": _fecha_que_no_existe,
    "solicitud abierta en pedido activo": _abierta_en_pedido_activo,
    "destinatario que no es la otra parte": _destinatario_ajeno,
}


@pytest.mark.parametrize("caso", list(CORRUPCIONES))
def test_verificar_names_each_broken_invariant_and_leaves_the_file_untouched(base_generada, tmp_path, caso):
    db = _copiar(base_generada, tmp_path / "rota.db")
    conexion = sqlite3.connect(db)
    try:
        patron = CORRUPCIONES[caso](conexion)
        conexion.commit()
        conexion.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conexion.close()
    antes = _huella(db)

    r = Cli(db).run("verificar", "--json")

    assert r.code == 1, r
    assert r.err == ""
    assert r.data["ok"] is False
    assert any(re.search(patron, problema) for problema in r.data["problemas"]), (patron, r.data["problemas"])
    assert _huella(db) == antes
    wal = Path(f"{db}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_verificar_lists_problems_in_human_form_too_and_exits_1(base_generada, tmp_path):
    db = _copiar(base_generada, tmp_path / "rota.db")
    conexion = sqlite3.connect(db)
    try:
        patron = _precio_negativo(conexion)
        conexion.commit()
    finally:
        conexion.close()

    r = Cli(db).run("verificar")

    assert r.code == 1, r
    assert "tiene un problema:" in r.out
    assert re.search(patron, r.out), r.out


def test_verificar_on_a_file_that_is_not_sqlite_exits_5_and_leaves_it_untouched(tmp_path):
    db = tmp_path / "notas.db"
    db.write_text("Esto no es una base de datos, son mis notas.\n" * 50)
    antes = _huella(db)

    r = Cli(db).run("verificar", "--json")

    assert r.code == 5, r
    assert r.out == ""
    assert r.error["codigo"] == 5
    assert "no es una base de datos SQLite" in r.error["mensaje"]
    assert _huella(db) == antes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notas.db"]


def test_verificar_does_not_fire_a_deadline_that_is_due(cli):
    """`verificar` never writes: a request past the clock is reported, not expired."""
    pedido = cli.pedido()
    disputa = cli.abrir(pedido["id"], "ana", "actualizacion")
    conexion = sqlite3.connect(cli.db)
    try:
        vence = datetime.fromisoformat(disputa["vence_en"].replace("Z", "+00:00"))
        conexion.execute("UPDATE reloj SET ahora = ?", [iso(vence.astimezone(UTC))])
        conexion.commit()
    finally:
        conexion.close()

    r = cli.run("verificar", "--json")

    assert r.code == 1, r
    assert any(f"#{disputa['id']} sigue abierta" in p for p in r.data["problemas"])
    assert _consulta(cli.db, "SELECT estado FROM disputas WHERE id = ?", (disputa["id"],)) == [("abierta",)]
