"""The tick's firing loop and its memory, measured on generated marketplaces.

    python benchmarks/tick.py                  # 20 000 and 180 000 orders (~6 700 and ~60 000 due)
    python benchmarks/tick.py --pedidos 20000  # only the loop on one size

For each size it builds a database (`init`, `generar --semilla 1`), then, on a fresh copy each
time, measures:

- the loop: `servicios.tick(avanzar=5 days)` in this process, in CPU time, which fires every
  request due within the generated four days (median of several runs; imports and opening
  excluded);
- the whole command: `resolucion tick --avanzar 5d --json > /dev/null` in a new process, with
  its peak RSS (`ru_maxrss` of the child).

With two sizes it prints the ratio of their peak memories (goal ≤ 1.2: a tick's memory does not
grow with what it fires). Nothing here is asserted by a test: the numbers depend on the machine.

It measures the `resolucion_cli` that Python imports: to compare two trees, run it from outside
both (`python -m` also looks in the current folder) with PYTHONPATH naming each in turn:

    cd /tmp && PYTHONPATH=/path/to/tree python /path/to/tree/benchmarks/tick.py
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ENTORNO = dict(os.environ, NO_COLOR="1", RESOLUCION_TZ="UTC")
for _variable in ("RESOLUCION_DB", "RESOLUCION_USUARIO"):
    ENTORNO.pop(_variable, None)
RESOLUCION = [sys.executable, "-m", "resolucion_cli"]


def resolucion(*args: str) -> None:
    subprocess.run([*RESOLUCION, *args], env=ENTORNO, check=True, stdout=subprocess.DEVNULL)


def generar(carpeta: Path, pedidos: int) -> Path:
    db = carpeta / f"{pedidos}.db"
    resolucion("init", "--db", str(db), "--reloj", "2026-03-02T09:00:00Z", "--json")
    resolucion("generar", "--db", str(db), "--pedidos", str(pedidos), "--semilla", "1", "--json")
    return db


def copia(db: Path) -> Path:
    destino = db.with_name(f"copia-{db.name}")
    for sufijo in ("-wal", "-shm"):
        Path(f"{destino}{sufijo}").unlink(missing_ok=True)
    shutil.copyfile(db, destino)
    return destino


def bucle(db: Path) -> tuple[float, int]:
    """CPU seconds `servicios.tick` takes to fire everything due in 5 days (CPU rather than
    wall time: steadier on a shared machine, and SQLite works in this process), and how many
    it fired."""
    from resolucion_cli import servicios
    from resolucion_cli.almacen import Almacen
    from resolucion_cli.reloj import reloj_de_pared

    almacen = Almacen.abrir(copia(db), reloj_de_pared(), crear=False)
    try:
        inicio = time.process_time()
        r = servicios.tick(almacen, avanzar=timedelta(days=5))
        return time.process_time() - inicio, len(r.procesados)
    finally:
        almacen.cerrar()


def orden_completa(db: Path) -> tuple[float, float]:
    """Seconds and peak MiB of `resolucion tick --avanzar 5d --json > /dev/null` in a new process."""
    medir = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    orden = [*RESOLUCION, "tick", "--avanzar", "5d", "--json", "--db", str(copia(db))]
    salida = subprocess.run([sys.executable, "-c", medir, *orden], env=ENTORNO, check=True, capture_output=True)
    segundos, kib = salida.stdout.split()
    return float(segundos), int(kib) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pedidos", type=int, nargs="+", default=[20_000, 180_000])
    parser.add_argument("--veces", type=int, default=5)
    args = parser.parse_args()
    picos = []
    with tempfile.TemporaryDirectory(prefix="resolucion-tick-") as carpeta:
        for pedidos in args.pedidos:
            db = generar(Path(carpeta), pedidos)
            bucle(db)  # warm the page cache and the imports
            tiempos = [bucle(db) for _ in range(args.veces)]
            segundos = statistics.median(t for t, _ in tiempos)
            disparados = tiempos[0][1]
            orden = [orden_completa(db) for _ in range(args.veces)]
            total = statistics.median(t for t, _ in orden)
            pico = max(m for _, m in orden)
            picos.append(pico)
            print(
                f"{pedidos} pedidos, {disparados} vencidos: bucle {segundos * 1000:.0f} ms de CPU "
                f"({segundos / disparados * 1e6:.0f} µs cada uno); orden completa {total * 1000:.0f} ms, "
                f"memoria pico {pico:.1f} MiB",
                flush=True,
            )
    if len(picos) > 1:
        print(f"memoria pico {args.pedidos[-1]} ÷ {args.pedidos[0]}: {picos[-1] / picos[0]:.2f} (objetivo ≤ 1.2)")


if __name__ == "__main__":
    main()
