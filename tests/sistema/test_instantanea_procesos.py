"""`resolucion instantanea` in real processes: a live screen, ¿Continuar? on a terminal, writers at the same time."""

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pexpect

from tests.conftest import T0_ISO, Cli
from tests.instantaneas import RESOLUCION, carpeta, contenido, instalado, titulos
from tests.terminal import Terminal, estado


@instalado
def test_a_live_screen_redraws_with_the_restored_content(cli):
    cli.pedido(titulo="Logo")
    cli.ok("instantanea", "guardar", "inicio")
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    env = dict(os.environ, NO_COLOR="1", COLUMNS="120", RESOLUCION_TZ="UTC", TERM="xterm")
    env.pop("RESOLUCION_USUARIO", None)
    pantalla = pexpect.spawn(
        RESOLUCION,
        ["pedido", "ver", "1", "--seguir", "--db", str(cli.db)],
        env=env,
        encoding="utf-8",
        timeout=15,
        dimensions=(60, 120),
    )
    try:
        pantalla.expect_exact("Entregado")
        cli.ok("instantanea", "restaurar", "inicio")
        pantalla.expect_exact("Activo")
        pantalla.sendintr()
        pantalla.expect(pexpect.EOF)
    finally:
        pantalla.close(force=True)
    assert pantalla.exitstatus == 0


# --- on a terminal: ¿Continuar? ---------------------------------------------------------------


@instalado
def test_on_a_terminal_restoring_summarises_and_no_changes_nothing(cli):
    cli.pedido()
    cli.ok("instantanea", "guardar", "inicio")
    cli.ok("tick", "--avanzar", "1d")
    antes = estado(cli)
    t = Terminal(cli.db, "instantanea", "restaurar", "inicio")
    t.pregunta("¿Continuar? [s/n]: ", "n")
    assert t.fin() == 1, t.salida
    assert (
        f"Se sustituirá todo el contenido de «{cli.db}» (reloj 2026-03-03 09:00) por la instantánea «inicio» "
        "(reloj 2026-03-02 09:00)." in " ".join(t.salida.split())
    ), t.salida
    assert t.salida.endswith("Cancelado: no se ha cambiado nada.\n"), t.salida
    assert estado(cli) == antes

    t = Terminal(cli.db, "instantanea", "restaurar", "inicio")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida
    assert cli.ok("tick")["reloj"] == T0_ISO


@instalado
def test_with_json_or_no_interactivo_nothing_is_asked_on_a_terminal(cli):
    cli.ok("instantanea", "guardar", "inicio")
    for opcion in ("--json", "--no-interactivo"):
        t = Terminal(cli.db, "instantanea", "restaurar", "inicio", opcion)
        assert t.fin() == 0, t.salida
        assert "¿Continuar?" not in t.salida


# --- real processes writing at the same time --------------------------------------------------

ESCRITOR = """
import json, subprocess, sys
resolucion, db, alto = sys.argv[1:]
n = 0
while True:
    n += 1
    r = subprocess.run(
        [resolucion, "pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", f"w{n}",
         "--precio", "10", "--entrega", "7d", "--json", "--db", db],
        capture_output=True, text=True, stdin=subprocess.DEVNULL,
    )
    print(json.dumps([n, r.returncode, r.stdout.strip()]), flush=True)
    if __import__("os").path.exists(alto):
        break
"""


class Escritor:
    """Another terminal that keeps creating orders (`w1`, `w2`, ...), one `pedido crear` after another."""

    def __init__(self, db: Path):
        self.alto = db.parent / "alto"
        env = dict(os.environ, RESOLUCION_TZ="UTC", NO_COLOR="1")
        env.pop("RESOLUCION_DB", None)
        self.proceso = subprocess.Popen(
            [sys.executable, "-c", ESCRITOR, RESOLUCION, str(db), str(self.alto)],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        self.hechos: list[tuple[int, int, str]] = []

    def esperar(self, cuantos: int) -> None:
        """Until `cuantos` more orders are created."""
        import json

        meta = len(self.hechos) + cuantos
        while len(self.hechos) < meta:
            linea = self.proceso.stdout.readline()
            assert linea, "the writer ended early"
            self.hechos.append(tuple(json.loads(linea)))

    def parar(self) -> list[tuple[int, dict]]:
        """Stop it; every order it created, in order: (number, the order's JSON)."""
        import json

        self.alto.touch()
        salida, _ = self.proceso.communicate(timeout=60)
        self.hechos += [tuple(json.loads(linea)) for linea in salida.splitlines()]
        assert all(codigo == 0 for _, codigo, _ in self.hechos), self.hechos
        return [(n, json.loads(texto)["pedido"]) for n, _, texto in self.hechos]


@instalado
def test_a_snapshot_taken_while_another_process_writes_is_whole(cli):
    escritor = Escritor(cli.db)
    try:
        for i in range(5):
            escritor.esperar(2)
            cli.ok("instantanea", "guardar", f"s{i}")
    finally:
        escritor.parar()
    for i in range(5):
        archivo = carpeta(cli) / f"s{i}.sqlite"
        foto = contenido(archivo)
        # Orders come in whole: with their creation event, and in the writer's order.
        assert [fila[0] for fila in foto["pedidos"]] == list(range(1, len(foto["pedidos"]) + 1))
        assert titulos(archivo) == [f"w{n}" for n in range(1, len(foto["pedidos"]) + 1)]
        assert sorted({fila[1] for fila in foto["eventos"]}) == [fila[0] for fila in foto["pedidos"]]
        assert len(foto["pedidos"]) >= 2 * (i + 1)
        copia = cli.db.parent / f"copia{i}.db"
        shutil.copyfile(archivo, copia)
        assert Cli(copia).ok("verificar")["ok"] is True
    assert not [p for p in carpeta(cli).iterdir() if p.name.startswith(".")]  # no temporary file left


@instalado
def test_a_restore_while_another_process_writes_keeps_whole_writes_only(cli):
    for titulo in ("a1", "a2", "a3"):
        cli.pedido(titulo=titulo)
    cli.ok("instantanea", "guardar", "inicio")
    inicio = contenido(carpeta(cli) / "inicio.sqlite")
    for titulo in ("b1", "b2"):
        cli.pedido(titulo=titulo)

    escritor = Escritor(cli.db)
    try:
        for _ in range(3):  # several rounds, so that some restore lands in the middle of a write
            escritor.esperar(3)
            cli.ok("instantanea", "restaurar", "inicio")
        escritor.esperar(3)
    finally:
        hechos = escritor.parar()

    final = contenido(cli.db)
    # The snapshot's rows are all there, unchanged, first; then only orders the writer created
    # after the last restore: a suffix of its writes, each with the id it was told.
    for tabla in ("pedidos", "eventos"):
        assert final[tabla][: len(inicio[tabla])] == inicio[tabla], tabla
    assert final["reloj"] == inicio["reloj"]
    despues = [fila[1] for fila in final["pedidos"][3:]]
    escritos = [f"w{n}" for n, _ in hechos]
    assert despues == escritos[len(escritos) - len(despues) :], (despues, escritos)
    assert 3 <= len(despues) <= len(escritos) - 9  # those seen before the last restore are gone
    por_id = {fila[0]: fila[1] for fila in final["pedidos"]}
    for n, pedido in hechos[len(hechos) - len(despues) :]:
        assert por_id[pedido["id"]] == f"w{n}"
    # Nothing of what came between the snapshot and the restore survives, in any table.
    assert "b1" not in por_id.values() and "b2" not in por_id.values()
    eventos_por_pedido = {fila[1] for fila in final["eventos"]}
    assert eventos_por_pedido == set(por_id)
    assert cli.ok("verificar")["ok"] is True


@instalado
def test_a_restore_waits_for_a_writer_holding_the_lock_then_goes_after_it(cli):
    cli.ok("instantanea", "guardar", "inicio")
    bloqueo = sqlite3.connect(cli.db, isolation_level=None)
    bloqueo.execute("BEGIN IMMEDIATE")
    bloqueo.execute("UPDATE reloj SET ahora = '2026-03-05T09:00:00Z'")
    env = dict(os.environ, RESOLUCION_TZ="UTC", NO_COLOR="1")
    restaurar = subprocess.Popen(
        [RESOLUCION, "instantanea", "restaurar", "inicio", "--json", "--db", str(cli.db)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    time.sleep(0.5)
    assert restaurar.poll() is None  # waiting for the lock, not failing
    bloqueo.execute("COMMIT")
    bloqueo.close()
    salida, errores = restaurar.communicate(timeout=30)
    assert restaurar.returncode == 0, errores
    assert cli.ok("tick")["reloj"] == T0_ISO  # the restore came after the writer, and replaced it


def test_two_terminals_saving_one_name_at_once_have_exactly_one_winner(cli):
    from tests.sistema.test_concurrencia import _a_la_vez

    for ronda in range(4):
        nombre = f"r{ronda}"
        resultados = _a_la_vez(cli.db, [("instantanea", "guardar", nombre, "--json")] * 2)
        assert sorted(codigo for codigo, _, _ in resultados) == [0, 1], resultados
        perdedor = next(errores for codigo, _, errores in resultados if codigo == 1)
        assert "--reemplazar" in perdedor
    assert sorted(p.name for p in carpeta(cli).iterdir()) == [f"r{i}.sqlite" for i in range(4)]


def test_a_restore_that_waits_past_the_busy_timeout_is_unusable_and_changes_nothing(cli, monkeypatch):
    from resolucion_cli import almacen

    cli.ok("instantanea", "guardar", "inicio")
    cli.pedido()
    antes = contenido(cli.db)
    monkeypatch.setattr(almacen, "ESPERA_SEGUNDOS", 0.2)
    bloqueo = sqlite3.connect(cli.db, isolation_level=None)
    try:
        bloqueo.execute("BEGIN IMMEDIATE")
        r = cli.fails(5, "instantanea", "restaurar", "inicio")
    finally:
        bloqueo.execute("ROLLBACK")
        bloqueo.close()
    assert "bloqueada" in r.error["mensaje"], r
    assert contenido(cli.db) == antes
