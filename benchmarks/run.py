"""Benchmarks of resolucion: every figure measured side by side in one run, as ratios.

    python benchmarks/run.py            # the full run reported in docs/rendimiento.md (a few minutes)
    python benchmarks/run.py --rapido   # smaller databases, to check the script itself

It builds databases with `resolucion generar`, then measures, each as the median of
several runs of the installed commands (a new process every time, as a user runs them):

- tick firing ~20 000 due requests ÷ a plain sqlite3 script making the same writes row by
  row in one transaction (goal ≤ 2.0), and a tick of ~100 000 in seconds with its peak memory
  (goal ≤ 150 MiB);
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


def linea_base(db: str) -> None:
    """The plain sqlite3 baseline: the writes a tick makes, row by row, one transaction."""
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
        conexion.execute(
            "UPDATE disputas SET estado = 'vencida', resuelta_en = ?, resuelta_por = 'sistema' WHERE id = ?",
            [vence, disputa],
        )
        conexion.execute(
            "INSERT INTO eventos (pedido, disputa, en, actor, tipo, detalle) VALUES (?, ?, ?, 'sistema', "
            "'disputa_vencida', ?)",
            [pedido, disputa, vence, texto],
        )
        for para in (cliente, freelancer):
            conexion.execute(
                "INSERT INTO mensajes (pedido, disputa, de, para, texto, en) VALUES (?, ?, 'sistema', ?, ?, ?)",
                [pedido, disputa, para, texto, vence],
            )
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


def tick_frente_a_linea_base(carpeta: Path, db: Path, veces: int) -> tuple[int, float, float]:
    tiempos_tick, tiempos_base = [], []
    for vez in range(veces):
        uno = copia(db, f"tick-{vez}.db")
        tiempos_tick.append(correr(RESOLUCION, "tick", "--db", str(uno), "--avanzar", "5d", "--json"))
        otro = copia(db, f"base-{vez}.db")
        tiempos_base.append(correr(sys.executable, __file__, "--linea-base", str(otro)))
        uno.unlink()
        otro.unlink()
    return abiertas(db), statistics.median(tiempos_tick), statistics.median(tiempos_base)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rapido", action="store_true", help="bases pequeñas, para probar el script")
    parser.add_argument("--linea-base", metavar="DB", help=argparse.SUPPRESS)
    opciones = parser.parse_args()
    if opciones.linea_base:
        linea_base(opciones.linea_base)
        return

    grande, tick_20k, tick_100k, veces = (1_000_000, 60_000, 300_000, 21)
    if opciones.rapido:
        grande, tick_20k, tick_100k, veces = (20_000, 6_000, 15_000, 5)
    filas = []
    with tempfile.TemporaryDirectory(prefix="resolucion-bench-") as nombre:
        carpeta = Path(nombre)
        print("Construyendo bases con resolucion generar…", flush=True)
        pequena = generar(carpeta, "pequena.db", 100)
        enorme = generar(carpeta, "grande.db", grande)
        para_20k = generar(carpeta, "tick-20k.db", tick_20k)
        para_100k = generar(carpeta, "tick-100k.db", tick_100k)

        print("Midiendo…", flush=True)
        n, t_tick, t_base = tick_frente_a_linea_base(carpeta, para_20k, 3)
        filas.append(
            (f"tick de {n} vencimientos ÷ sqlite3 fila a fila", t_tick / t_base, 2.0,
             f"{t_tick:.2f} s / {t_base:.2f} s")
        )  # fmt: skip
        n_100k = abiertas(para_100k)
        segundos, mib = memoria_pico(
            RESOLUCION, "tick", "--db", str(copia(para_100k, "t.db")), "--avanzar", "5d", "--json"
        )
        filas.append((f"tick de {n_100k} vencimientos (segundos)", segundos, None, f"{segundos:.2f} s"))
        filas.append((f"memoria pico del tick de {n_100k} (MiB)", mib, 150, f"{mib:.0f} MiB"))

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
    print(f"Medianas de {veces} ejecuciones (3 para los tick de 20 000), cada una un proceso nuevo.")
    print()
    print("| medida | valor | objetivo | cumple | medianas |")
    print("| --- | --- | --- | --- | --- |")
    for medida, valor, objetivo, detalle in filas:
        cumple = "—" if objetivo is None else ("sí" if valor <= objetivo else "**no**")
        meta = "—" if objetivo is None else f"≤ {objetivo}"
        print(f"| {medida} | {valor:.2f} | {meta} | {cumple} | {detalle} |")


if __name__ == "__main__":
    main()
