"""Named snapshots (`resolucion instantanea`): save, list, restore and delete (SPEC §5, §6).

The in-process CLI checks the outputs and the refusals; real processes (the installed command)
check what only concurrency shows: a snapshot taken while another terminal writes is whole, and a
restore while another terminal keeps writing leaves the snapshot plus whole later writes — never
half of one — and terminals already open see the restored content.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest
from conftest import T0_ISO, Cli
from test_interactivo import Terminal, estado, sin_procesos_colgados  # noqa: F401 (autouse: no process left behind)

from resolucion_cli.almacen import ESQUEMA, TABLAS, Almacen

RESOLUCION = shutil.which("resolucion")
instalado = pytest.mark.skipif(RESOLUCION is None, reason="the resolucion console script is not on PATH")
INSTANTE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def carpeta(cli) -> Path:
    return cli.db.parent / ".resolucion-instantaneas" / cli.db.name


def contenido(ruta) -> dict:
    """Every row of every table, and the schema version: what a restore must bring back."""
    conexion = sqlite3.connect(f"{Path(ruta).absolute().as_uri()}?mode=ro", uri=True)
    try:
        filas = {t: conexion.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLAS}
        filas["user_version"] = conexion.execute("PRAGMA user_version").fetchone()[0]
        return filas
    finally:
        conexion.close()


def titulos(ruta) -> list[str]:
    return [fila[1] for fila in contenido(ruta)["pedidos"]]


def titulos_en(almacen) -> list[str]:
    return [fila[0] for fila in almacen.conexion.execute("SELECT titulo FROM pedidos ORDER BY id")]


# --- the round trip ---------------------------------------------------------------------------


def test_save_list_restore_and_delete_round_trip(cli):
    cli.pedido(titulo="Antes")
    guardada = cli.ok("instantanea", "guardar", "inicio")["instantanea"]
    archivo = carpeta(cli) / "inicio.sqlite"
    assert set(guardada) == {"nombre", "reloj", "creada_en", "bytes"}
    assert guardada["nombre"] == "inicio"
    assert guardada["reloj"] == T0_ISO
    assert INSTANTE.fullmatch(guardada["creada_en"])
    assert guardada["bytes"] == archivo.stat().st_size > 0
    foto = contenido(cli.db)
    assert contenido(archivo) == foto

    cli.pedido(titulo="Después")
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    cli.ok("tick", "--avanzar", "2d")
    cli.ok("instantanea", "guardar", "despues")
    listadas = cli.ok("instantanea", "listar")["instantaneas"]
    assert [i["nombre"] for i in listadas] == ["despues", "inicio"]
    assert [i["reloj"] for i in listadas] == ["2026-03-04T09:00:00Z", T0_ISO]

    restaurada = cli.ok("instantanea", "restaurar", "inicio")["instantanea"]
    assert restaurada == guardada
    assert contenido(cli.db) == foto
    assert cli.ok("tick")["reloj"] == T0_ISO  # the clock came back too
    assert [p["titulo"] for p in cli.ok("pedido", "listar")["pedidos"]] == ["Antes"]
    assert cli.ok("verificar")["ok"] is True
    assert cli.pedido(titulo="Otra vez")["id"] == 2  # ids go on from the snapshot's

    assert cli.ok("instantanea", "borrar", "despues")["instantanea"]["nombre"] == "despues"
    assert not (carpeta(cli) / "despues.sqlite").exists()
    assert [i["nombre"] for i in cli.ok("instantanea", "listar")["instantaneas"]] == ["inicio"]
    assert contenido(archivo) == foto  # restoring never changes the snapshot


def test_human_output_is_one_spanish_sentence_in_the_readers_zone(cli):
    r = cli.run("instantanea", "listar")
    assert r.code == 0, r
    assert "no tiene instantáneas" in r.out and "resolucion instantanea guardar NOMBRE" in r.out

    r = cli.run("instantanea", "guardar", "inicio", "--tz", "Europe/Madrid", env={"COLUMNS": "300"})
    assert r.out == f"Base de datos: {cli.db}\nInstantánea «inicio» guardada (reloj 2026-03-02 10:00).\n", r
    r = cli.run("instantanea", "listar", "--tz", "Europe/Madrid")
    assert f"Instantáneas de «{cli.db}»" in r.out, r
    for columna in ("Nombre", "Reloj", "Creada", "Tamaño", "inicio", "2026-03-02 10:00", "KB"):
        assert columna in r.out, r
    r = cli.run("instantanea", "restaurar", "inicio", env={"COLUMNS": "300"})
    assert r.out == (
        f"Base de datos: {cli.db}\n"
        f"Instantánea «inicio» restaurada en «{cli.db}»: el reloj vuelve a marcar 2026-03-02 09:00.\n"
    ), r
    r = cli.run("instantanea", "borrar", "inicio", env={"COLUMNS": "300"})
    assert r.out == f"Base de datos: {cli.db}\nInstantánea «inicio» borrada.\n"


def test_names_with_spanish_letters_are_taken_in_one_unicode_form(cli):
    compuesta, descompuesta = "año-2026_Éxito", "an\u0303o-2026_E\u0301xito"
    cli.ok("instantanea", "guardar", descompuesta)
    assert [i["nombre"] for i in cli.ok("instantanea", "listar")["instantaneas"]] == [compuesta]
    cli.ok("instantanea", "restaurar", compuesta)


def test_two_databases_in_one_folder_keep_their_snapshots_apart(cli, tmp_path):
    otra = Cli(tmp_path / "otra.db")
    otra.ok("init", "--reloj", "2026-05-01T00:00:00Z")
    cli.ok("instantanea", "guardar", "inicio")
    otra.ok("instantanea", "guardar", "inicio")
    assert cli.ok("instantanea", "listar")["instantaneas"][0]["reloj"] == T0_ISO
    assert otra.ok("instantanea", "listar")["instantaneas"][0]["reloj"] == "2026-05-01T00:00:00Z"
    otra.ok("instantanea", "borrar", "inicio")
    assert len(cli.ok("instantanea", "listar")["instantaneas"]) == 1


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nombre", ["../fuera", "a/b", "..", ".oculta", "con espacio", "x" * 65, "", "аna", "punto.sqlite", "-", "_x"]
)
@pytest.mark.parametrize("orden", ["guardar", "restaurar", "borrar"])
def test_a_bad_name_is_bad_input_and_creates_nothing(cli, orden, nombre):
    antes = contenido(cli.db)
    r = cli.fails(2, "instantanea", orden, nombre)
    assert "no es válido" in r.error["mensaje"]
    assert not (cli.db.parent / ".resolucion-instantaneas").exists()
    assert not (cli.db.parent.parent / "fuera.sqlite").exists()
    assert contenido(cli.db) == antes


def test_saving_over_an_existing_name_is_refused_unless_asked_to_replace(cli):
    cli.ok("instantanea", "guardar", "inicio")
    cli.ok("tick", "--avanzar", "1d")
    r = cli.fails(1, "instantanea", "guardar", "inicio")
    assert "--reemplazar" in r.error["mensaje"]
    assert cli.ok("instantanea", "listar")["instantaneas"][0]["reloj"] == T0_ISO
    assert cli.ok("instantanea", "guardar", "inicio", "--reemplazar")["instantanea"]["reloj"] == "2026-03-03T09:00:00Z"
    assert [p.name for p in carpeta(cli).iterdir()] == ["inicio.sqlite"]  # no temporary file left


def test_an_unknown_name_is_not_found_and_names_the_known_ones(cli):
    r = cli.fails(3, "instantanea", "restaurar", "inicio")
    assert "no tiene ninguna" in r.error["mensaje"] and "instantanea guardar" in r.error["mensaje"]
    cli.ok("instantanea", "guardar", "uno")
    cli.ok("instantanea", "guardar", "dos")
    antes = contenido(cli.db)
    for orden in ("restaurar", "borrar"):
        r = cli.fails(3, "instantanea", orden, "tres")
        assert "«dos», «uno»" in r.error["mensaje"], r
    assert contenido(cli.db) == antes


@pytest.mark.parametrize("orden", [("guardar", "x"), ("restaurar", "x"), ("borrar", "x"), ("listar",)])
def test_without_a_database_every_subcommand_is_unusable_and_creates_nothing(tmp_path, orden):
    sin_base = Cli(tmp_path / "nada.db")
    r = sin_base.fails(5, "instantanea", *orden)
    assert "resolucion init --db" in r.error["mensaje"]
    assert list(tmp_path.iterdir()) == []


def _falsear(archivo: Path, sql: str) -> None:
    conexion = sqlite3.connect(archivo, isolation_level=None)
    conexion.execute(sql)
    conexion.close()


@pytest.mark.parametrize(
    "estropear, dice",
    [
        (lambda a: _falsear(a, f"PRAGMA user_version = {ESQUEMA + 1}"), "versión más nueva"),
        (lambda a: a.write_bytes(b"no soy una base de datos" * 100), "no es una base de datos SQLite"),
        (lambda a: (a.unlink(), _falsear(a, "CREATE TABLE fotos (x)")), "otra aplicación"),
        (lambda a: a.write_bytes(b""), "vacío"),
    ],
    ids=["mas-nueva", "no-sqlite", "ajena", "vacia"],
)
def test_a_snapshot_this_version_cannot_open_is_refused_and_nothing_changes(cli, estropear, dice):
    cli.ok("instantanea", "guardar", "inicio")
    cli.pedido()
    estropear(carpeta(cli) / "inicio.sqlite")
    antes = contenido(cli.db)
    r = cli.fails(5, "instantanea", "restaurar", "inicio")
    assert dice in r.error["mensaje"] and "inicio.sqlite" in r.error["mensaje"], r
    assert contenido(cli.db) == antes
    assert [p.name for p in carpeta(cli).iterdir()] == ["inicio.sqlite"]
    assert [i["nombre"] for i in cli.ok("instantanea", "listar")["instantaneas"]] == ["inicio"]  # still listed


def test_a_snapshot_of_an_older_schema_is_upgraded_on_a_copy_when_restored(cli):
    cli.pedido()
    cli.ok("instantanea", "guardar", "vieja")
    archivo = carpeta(cli) / "vieja.sqlite"
    # Schema 3 is schema 4 without the `hecho`/`datos` columns of events and messages: their
    # sentence was stored as text.
    _falsear(archivo, "UPDATE eventos SET detalle = 'Pedido creado.'")
    for tabla in ("eventos", "mensajes"):
        _falsear(archivo, f"ALTER TABLE {tabla} DROP COLUMN datos")
        _falsear(archivo, f"ALTER TABLE {tabla} DROP COLUMN hecho")
    _falsear(archivo, "PRAGMA user_version = 3")
    vieja = contenido(archivo)
    cli.ok("tick", "--avanzar", "1d")
    cli.ok("instantanea", "restaurar", "vieja")
    assert contenido(archivo) == vieja  # the snapshot itself is not upgraded
    assert contenido(cli.db)["user_version"] == ESQUEMA
    assert cli.ok("tick")["reloj"] == T0_ISO
    assert cli.ok("verificar")["ok"] is True


# --- another connection sees the restored content ---------------------------------------------


def test_an_open_connection_sees_the_restored_content_as_a_new_commit(cli):
    cli.pedido(titulo="Antes")
    cli.ok("instantanea", "guardar", "inicio")
    cli.pedido(titulo="Después")
    abierta = Almacen.abrir(cli.db, None, crear=False)
    try:
        inodo = cli.db.stat().st_ino
        version = abierta.version_datos()
        assert titulos_en(abierta) == ["Antes", "Después"]
        cli.ok("instantanea", "restaurar", "inicio")
        assert abierta.version_datos() != version  # what --seguir polls
        assert titulos_en(abierta) == ["Antes"]
        assert cli.db.stat().st_ino == inodo  # same file: nobody is left reading an unlinked one
    finally:
        abierta.cerrar()


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
    from test_concurrencia import _a_la_vez

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
