"""Long jobs show a progress bar on the terminal (stderr) and nowhere else.

`generar`, a `tick` that fires more than a batch of deadlines, and `verificar` draw a Rich bar
while a person watches; never with --json, never without a terminal, never into stdout.
"""

import subprocess
import sys

import pytest

from tests.conftest import Cli
from tests.terminal import RESOLUCION, Terminal, en_terminal

pytestmark = en_terminal


@pytest.fixture
def base(tmp_path):
    cli = Cli(tmp_path / "p.db")
    cli.ok("init", "--reloj", "2026-03-02T09:00:00Z")
    return cli


def _en_terminal(db, *args, redireccion: str = "") -> tuple[int, str]:
    t = Terminal(db, *args, redireccion=redireccion)
    t.proceso.timeout = 120
    return t.fin(), t.salida


def test_generar_draws_its_bar_on_the_terminal_and_keeps_stdout_clean(base, tmp_path):
    codigo, pantalla = _en_terminal(base.db, "generar", "--pedidos", "20000", "--semilla", "1")
    assert codigo == 0, pantalla
    assert "Generando pedidos" in pantalla and "20000/20000" in pantalla
    assert "Generados 20000 pedidos" in pantalla

    archivo = tmp_path / "resultado.txt"
    codigo, pantalla = _en_terminal(base.db, "generar", "--pedidos", "5000", redireccion=f"> {archivo}")
    assert codigo == 0, pantalla
    assert "Generando pedidos" in pantalla  # the bar is on the terminal: stderr
    resultado = archivo.read_text(encoding="utf-8")
    assert "Generando" not in resultado and "Generados 5000 pedidos" in resultado


def test_no_bar_with_json_or_without_a_terminal(base):
    codigo, pantalla = _en_terminal(base.db, "generar", "--pedidos", "5000", "--json")
    assert codigo == 0, pantalla
    assert "Generando" not in pantalla and '"pedidos": 5000' in pantalla
    r = subprocess.run(
        [RESOLUCION, "generar", "--pedidos", "5000", "--db", str(base.db)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_a_big_tick_and_verificar_show_theirs_and_a_small_tick_does_not(base):
    hechos = base.ok("generar", "--pedidos", "20000", "--semilla", "2")
    assert hechos["disputas_abiertas"] > 4000  # more than a batch falls due within 5 days
    codigo, pantalla = _en_terminal(base.db, "tick", "--avanzar", "1m")
    assert codigo == 0 and "Venciendo plazos" not in pantalla, pantalla
    codigo, pantalla = _en_terminal(base.db, "tick", "--avanzar", "5d")
    assert codigo == 0, pantalla
    assert "Venciendo plazos" in pantalla and "Plazos vencidos" in pantalla
    codigo, pantalla = _en_terminal(base.db, "verificar")
    assert codigo == 0, pantalla
    assert "Comprobando la base" in pantalla and "está bien" in pantalla


def test_generar_leaves_no_big_journal_behind(tmp_path):
    """The WAL is checkpointed and cut when `generar` ends, while its connection is still open."""
    codigo = (
        "import sys\n"
        "from pathlib import Path\n"
        "from datetime import datetime, UTC\n"
        "from resolucion_cli.almacen import Almacen\n"
        "from resolucion_cli import servicios\n"
        f"db = Path({str(tmp_path / 'g.db')!r})\n"
        "a = Almacen.abrir(db, datetime(2026, 3, 2, 9, tzinfo=UTC))\n"
        "servicios.generar(a, 30000, 1)\n"
        "wal = Path(str(db) + '-wal')\n"
        "print(wal.stat().st_size if wal.exists() else 0)\n"
        "a.cerrar()\n"
    )
    r = subprocess.run([sys.executable, "-c", codigo], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert int(r.stdout) == 0
