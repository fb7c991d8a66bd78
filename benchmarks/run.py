"""Benchmarks of resolucion: every figure measured side by side in one run, as ratios.

    python benchmarks/run.py            # the full run reported in docs/rendimiento.md (a few minutes)
    python benchmarks/run.py --rapido   # smaller databases, to check the script itself

It builds databases with `resolucion generar`, then measures, each as the median of
several runs of the installed commands (a new process every time, as a user runs them):

- tick firing the ~6 700 requests due on 20 000 orders ÷ a plain sqlite3 script making the
  same writes row by row in one transaction, against two floors: a toy schema (four narrow
  tables, one index: the code's own overhead, goal ≤ 2.0) and the real schema (its indexes and
  foreign keys: what the schema itself costs);
- a tick's peak memory: firing ~60 000 ÷ firing ~6 000 (goal ≤ 1.2, memory does not grow with
  the number fired), and everything due on the big database (goal ≤ 150 MiB);
- `resolucion pedido ver ID --json` ÷ `sqlite-utils tables FILE` on the same file (goal ≤ 0.5);
- `pedido ver`, an idle `tick`, `pedido listar --como U` and the unfiltered lists (which
  count what they leave out) on 1 000 000 orders ÷ on 100 (goal ≤ 1.25 each).

Nothing here is asserted by a test: the numbers depend on the machine.
"""

import argparse
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEMILLA = "1"
ENTORNO = dict(os.environ, NO_COLOR="1", RESOLUCION_TZ="UTC")
ENTORNO.pop("RESOLUCION_DB", None)
ENTORNO.pop("RESOLUCION_USUARIO", None)
# As on a user's machine, Python caches compiled modules (CI turns that off to keep clones clean;
# without the cache every command would recompile resolucion's modules at each start).
ENTORNO.pop("PYTHONDONTWRITEBYTECODE", None)


def programa(nombre: str) -> str:
    junto = Path(sys.executable).with_name(nombre)
    ruta = str(junto) if junto.exists() else shutil.which(nombre)
    if not ruta:
        sys.exit(f"No encuentro el programa «{nombre}»: instala el proyecto (pip install -e '.[test]').")
    return ruta


RESOLUCION = programa("resolucion")
SQLITE_UTILS = programa("sqlite-utils")


def correr(*args: str) -> float:
    """Seconds one process takes; its output is discarded, its exit code checked."""
    inicio = time.perf_counter()
    subprocess.run(args, env=ENTORNO, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - inicio


def mediana(veces: int, *args: str) -> float:
    correr(*args)  # warm the page cache and the import caches first
    return statistics.median(correr(*args) for _ in range(veces))


def generar(carpeta: Path, nombre: str, pedidos: int) -> Path:
    db = carpeta / nombre
    subprocess.run(
        [RESOLUCION, "init", "--db", str(db), "--reloj", "2026-03-02T09:00:00Z", "--json"],
        env=ENTORNO,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    inicio = time.perf_counter()
    subprocess.run(
        [RESOLUCION, "generar", "--db", str(db), "--pedidos", str(pedidos), "--semilla", SEMILLA, "--json"],
        env=ENTORNO,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"  generar --pedidos {pedidos}: {time.perf_counter() - inicio:.1f} s", flush=True)
    with sqlite3.connect(db) as conexion:
        conexion.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def copia(db: Path, nombre: str) -> Path:
    destino = db.with_name(nombre)
    for sufijo in ("-wal", "-shm"):
        Path(f"{destino}{sufijo}").unlink(missing_ok=True)
    shutil.copyfile(db, destino)
    return destino


def abiertas(db: Path) -> int:
    with sqlite3.connect(db) as conexion:
        return conexion.execute("SELECT count(*) FROM disputas WHERE estado = 'abierta'").fetchone()[0]


# Four narrow tables and the one index a firing needs: what SQLite alone costs for these writes.
JUGUETE = (
    "CREATE TABLE pedidos (id INTEGER PRIMARY KEY, cliente TEXT, freelancer TEXT, estado TEXT, estado_anterior TEXT)",
    "CREATE TABLE disputas (id INTEGER PRIMARY KEY, pedido INTEGER, tipo TEXT, estado TEXT, destinatario TEXT, "
    "vence_en TEXT, resuelta_en TEXT)",
    "CREATE TABLE eventos (id INTEGER PRIMARY KEY, pedido INTEGER, disputa INTEGER, en TEXT, texto TEXT)",
    "CREATE TABLE mensajes (id INTEGER PRIMARY KEY, pedido INTEGER, disputa INTEGER, para TEXT, texto TEXT, en TEXT)",
    "CREATE INDEX disputas_abiertas ON disputas (vence_en, id) WHERE estado = 'abierta'",
)


def juguete(db: Path) -> Path:
    """The toy database holding the same orders and requests as `db` (built once, copied per run)."""
    destino = db.with_name(f"juguete-{db.name}")
    destino.unlink(missing_ok=True)
    conexion = sqlite3.connect(destino, isolation_level=None)
    conexion.execute("PRAGMA journal_mode = WAL")
    for sentencia in JUGUETE:
        conexion.execute(sentencia)
    conexion.execute("ATTACH DATABASE ? AS real", [str(db)])
    conexion.execute("BEGIN")
    conexion.execute("INSERT INTO pedidos SELECT id, cliente, freelancer, estado, estado_anterior FROM real.pedidos")
    conexion.execute(
        "INSERT INTO disputas SELECT id, pedido, tipo, estado, destinatario, vence_en, resuelta_en FROM real.disputas"
    )
    conexion.execute("CREATE TABLE reloj AS SELECT ahora FROM real.reloj")
    conexion.execute("COMMIT")
    conexion.execute("DETACH DATABASE real")
    conexion.close()
    return destino


# The per-row writes of a firing, on each schema; the parameters are the same for both.
ESCRITURAS = {
    "real": (
        "UPDATE disputas SET estado = 'vencida', resuelta_en = ?, resuelta_por = 'sistema' WHERE id = ?",
        "INSERT INTO eventos (pedido, disputa, en, actor, tipo, detalle) "
        "VALUES (?, ?, ?, 'sistema', 'disputa_vencida', ?)",
        "INSERT INTO mensajes (pedido, disputa, de, para, texto, en) VALUES (?, ?, 'sistema', ?, ?, ?)",
    ),
    "juguete": (
        "UPDATE disputas SET estado = 'vencida', resuelta_en = ? WHERE id = ?",
        "INSERT INTO eventos (pedido, disputa, en, texto) VALUES (?, ?, ?, ?)",
        "INSERT INTO mensajes (pedido, disputa, para, texto, en) VALUES (?, ?, ?, ?, ?)",
    ),
}


def suelo(db: str, esquema: str) -> None:
    """A floor: the writes a tick makes, row by row, in one transaction, with plain sqlite3 —
    on the real schema (its indexes and foreign keys) or on `JUGUETE`."""
    disputa_sql, evento_sql, mensaje_sql = ESCRITURAS[esquema]
    conexion = sqlite3.connect(db, isolation_level=None)
    conexion.execute("PRAGMA foreign_keys = ON")
    conexion.execute("BEGIN IMMEDIATE")
    hasta = conexion.execute("SELECT strftime('%Y-%m-%dT%H:%M:%SZ', ahora, '+5 days') FROM reloj").fetchone()[0]
    filas = conexion.execute(
        "SELECT d.id, d.pedido, d.tipo, d.vence_en, d.destinatario, p.cliente, p.freelancer, p.estado_anterior "
        "FROM disputas d JOIN pedidos p ON p.id = d.pedido WHERE d.estado = 'abierta' AND d.vence_en <= ? "
        "ORDER BY d.vence_en, d.id",
        [hasta],
    ).fetchall()
    for disputa, pedido, tipo, vence, destinatario, cliente, freelancer, anterior in filas:
        estado = "cancelado" if tipo == "cancelacion" else anterior
        texto = f"Pedido #{pedido}: venció el plazo de la solicitud ({destinatario} no respondió a tiempo)."
        conexion.execute("UPDATE pedidos SET estado = ?, estado_anterior = NULL WHERE id = ?", [estado, pedido])
        conexion.execute(disputa_sql, [vence, disputa])
        conexion.execute(evento_sql, [pedido, disputa, vence, texto])
        for para in (cliente, freelancer):
            conexion.execute(mensaje_sql, [pedido, disputa, para, texto, vence])
    conexion.execute("UPDATE reloj SET ahora = ?", [hasta])
    conexion.execute("COMMIT")


def memoria_pico(*args: str) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of one process, measured in a fresh child."""
    medir = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    salida = subprocess.run(
        [sys.executable, "-c", medir, *args], env=ENTORNO, check=True, capture_output=True, text=True
    ).stdout.split()
    return float(salida[0]), int(salida[1]) / 1024


def tick_frente_a_suelos(db: Path, veces: int) -> tuple[int, float, float, float]:
    """Median seconds of the tick, the real-schema floor and the toy floor, runs interleaved so
    that a busy moment of a shared machine weighs on all three alike."""
    modelo = juguete(db)
    tiempos = {"tick": [], "real": [], "juguete": []}
    for vez in range(veces):
        uno = copia(db, f"tick-{vez}.db")
        tiempos["tick"].append(correr(RESOLUCION, "tick", "--db", str(uno), "--avanzar", "5d", "--json"))
        otro = copia(db, f"base-{vez}.db")
        tiempos["real"].append(correr(sys.executable, __file__, "--suelo", "real", str(otro)))
        tercero = copia(modelo, f"juguete-{vez}.db")
        tiempos["juguete"].append(correr(sys.executable, __file__, "--suelo", "juguete", str(tercero)))
        for archivo in (uno, otro, tercero):
            archivo.unlink()
    return abiertas(db), *(statistics.median(tiempos[k]) for k in ("tick", "real", "juguete"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rapido", action="store_true", help="bases pequeñas, para probar el script")
    parser.add_argument("--suelo", nargs=2, metavar=("ESQUEMA", "DB"), help=argparse.SUPPRESS)
    opciones = parser.parse_args()
    if opciones.suelo:
        suelo(opciones.suelo[1], opciones.suelo[0])
        return

    # Orders whose ~1/3 of requests fall due in 5 days: ~6 700 and ~67 000 fired.
    grande, tick_20k, tick_200k, veces = (1_000_000, 20_000, 200_000, 21)
    if opciones.rapido:
        grande, tick_20k, tick_200k, veces = (20_000, 6_000, 60_000, 5)
    filas = []
    with tempfile.TemporaryDirectory(prefix="resolucion-bench-") as nombre:
        carpeta = Path(nombre)
        print("Construyendo bases con resolucion generar…", flush=True)
        pequena = generar(carpeta, "pequena.db", 100)
        enorme = generar(carpeta, "grande.db", grande)
        para_20k = generar(carpeta, "tick-20k.db", tick_20k)
        para_200k = generar(carpeta, "tick-200k.db", tick_200k)

        print("Midiendo…", flush=True)
        n, t_tick, t_real, t_juguete = tick_frente_a_suelos(para_20k, 5)
        filas.append(
            (f"tick de {n} vencimientos ÷ suelo de juguete (4 tablas, 1 índice)", t_tick / t_juguete, 2.0,
             f"{t_tick:.2f} s / {t_juguete:.2f} s")
        )  # fmt: skip
        filas.append(
            (f"tick de {n} vencimientos ÷ suelo con el esquema real", t_tick / t_real, None,
             f"{t_tick:.2f} s / {t_real:.2f} s")
        )  # fmt: skip
        filas.append(
            ("esquema real ÷ juguete (lo que cuestan índices y claves ajenas)", t_real / t_juguete, None,
             f"{t_real:.2f} s / {t_juguete:.2f} s")
        )  # fmt: skip

        picos = {}
        for db in (para_20k, para_200k, enorme):
            fired = abiertas(db)
            segundos, mib = memoria_pico(
                RESOLUCION, "tick", "--db", str(copia(db, "t.db")), "--avanzar", "5d", "--json"
            )
            picos[db] = (fired, segundos, mib)
        (n_poco, _, mib_poco), (n_mucho, s_mucho, mib_mucho) = picos[para_20k], picos[para_200k]
        filas.append(
            (f"memoria pico: tick de {n_mucho} ÷ tick de {n_poco}", mib_mucho / mib_poco, 1.2,
             f"{mib_mucho:.0f} MiB / {mib_poco:.0f} MiB")
        )  # fmt: skip
        filas.append((f"tick de {n_mucho} vencimientos (segundos)", s_mucho, None, f"{s_mucho:.2f} s"))
        n_todo, s_todo, mib_todo = picos[enorme]
        filas.append(
            (f"memoria pico del tick de todo lo que vence en {grande} pedidos ({n_todo}) (MiB)", mib_todo, 150,
             f"{mib_todo:.0f} MiB en {s_todo:.1f} s")
        )  # fmt: skip

        ver = mediana(veces, RESOLUCION, "pedido", "ver", "1", "--db", str(enorme), "--json")
        tablas = mediana(veces, SQLITE_UTILS, "tables", str(enorme))
        filas.append(
            (
                "pedido ver --json ÷ sqlite-utils tables",
                ver / tablas,
                0.5,
                f"{ver * 1000:.0f} ms / {tablas * 1000:.0f} ms",
            )
        )

        for etiqueta, argumentos in (
            ("pedido ver", ("pedido", "ver", "1")),
            ("tick sin vencimientos", ("tick",)),
            ("pedido listar --como ana1", ("pedido", "listar", "--como", "ana1")),
            # Cut at 50, so they also count what they leave out ("Faltan N pedidos …").
            ("pedido listar", ("pedido", "listar")),
            ("pedido listar --estado activo", ("pedido", "listar", "--estado", "activo")),
            ("disputa listar --abiertas", ("disputa", "listar", "--abiertas")),
        ):
            en_grande = mediana(veces, RESOLUCION, *argumentos, "--db", str(enorme))
            en_pequena = mediana(veces, RESOLUCION, *argumentos, "--db", str(pequena))
            filas.append(
                (f"{etiqueta}: {grande} pedidos ÷ 100", en_grande / en_pequena, 1.25,
                 f"{en_grande * 1000:.0f} ms / {en_pequena * 1000:.0f} ms")
            )  # fmt: skip

    print()
    print(f"Máquina: {platform.machine()}, {os.cpu_count()} núcleos, Python {platform.python_version()}, "
          f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}")  # fmt: skip
    print(f"Medianas de {veces} ejecuciones (5 para los tick frente a los suelos), cada una un proceso nuevo.")
    print()
    print("| medida | valor | objetivo | cumple | medianas |")
    print("| --- | --- | --- | --- | --- |")
    for medida, valor, objetivo, detalle in filas:
        cumple = "—" if objetivo is None else ("sí" if valor <= objetivo else "**no**")
        meta = "—" if objetivo is None else f"≤ {objetivo}"
        print(f"| {medida} | {valor:.2f} | {meta} | {cumple} | {detalle} |")


if __name__ == "__main__":
    main()
