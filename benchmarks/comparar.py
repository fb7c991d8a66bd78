"""Two trees of resolucion side by side: the everyday commands on SQLite, interleaved.

    python benchmarks/comparar.py ANTES DESPUES [--veces N]

ANTES and DESPUES are folders holding a `resolucion_cli` (a git worktree of each commit, say:
`git worktree add --detach /tmp/antes HEAD~3`). Each command runs as a new process with
`PYTHONPATH` naming one tree, the two trees taking turns, so that a busy moment of a shared
machine weighs on both alike; the script prints the medians and their ratio. It builds its own
databases (20 000 orders, seed 1) with the DESPUES tree. Nothing here is asserted by a test.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENTORNO = dict(os.environ, NO_COLOR="1", RESOLUCION_TZ="UTC")
for variable in ("RESOLUCION_DB", "RESOLUCION_USUARIO", "PYTHONDONTWRITEBYTECODE"):
    ENTORNO.pop(variable, None)

# (what it measures, arguments): reads on the generated file, and a tick firing ~6 700 on a copy.
LECTURAS = (
    ("pedido ver 1 --json", ("pedido", "ver", "1", "--json")),
    ("pedido ver 1", ("pedido", "ver", "1")),
    ("pedido listar", ("pedido", "listar")),
    ("tick --json, sin vencimientos", ("tick", "--json")),
)
TICK = ("tick --avanzar 5d --json", ("tick", "--avanzar", "5d", "--json"))


def correr(arbol: str, args, db: Path) -> float:
    inicio = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "resolucion_cli", *args, "--db", str(db)],
        env=dict(ENTORNO, PYTHONPATH=arbol),
        cwd=tempfile.gettempdir(),  # not a folder with another resolucion_cli in it
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - inicio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("antes")
    parser.add_argument("despues")
    parser.add_argument("--veces", type=int, default=15)
    opciones = parser.parse_args()
    arboles = {"antes": opciones.antes, "después": opciones.despues}
    with tempfile.TemporaryDirectory(prefix="resolucion-comparar-") as nombre:
        db = Path(nombre) / "base.db"
        for args in (("init", "--reloj", "2026-03-02T09:00:00Z"), ("generar", "--pedidos", "20000", "--semilla", "1")):
            subprocess.run(
                [sys.executable, "-m", "resolucion_cli", *args, "--db", str(db), "--json"],
                env=dict(ENTORNO, PYTHONPATH=opciones.despues),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        copia = Path(nombre) / "tick.db"
        print("| orden | antes | después | después ÷ antes |")
        print("| --- | --- | --- | --- |")
        for etiqueta, args in (*LECTURAS, TICK):
            tiempos = {k: [] for k in arboles}
            for _ in range(opciones.veces):
                for clave, arbol in arboles.items():
                    objetivo = db
                    if (etiqueta, args) == TICK:
                        shutil.copyfile(db, copia)
                        objetivo = copia
                    tiempos[clave].append(correr(arbol, args, objetivo))
            antes, despues = (statistics.median(tiempos[k]) for k in arboles)
            print(
                f"| {etiqueta} | {antes * 1000:.0f} ms | {despues * 1000:.0f} ms | {despues / antes:.2f} |", flush=True
            )


if __name__ == "__main__":
    main()
