"""The storage layer: transactions, locks and read-only files."""

import sqlite3
import threading
from datetime import timedelta

import pytest

from resolucion_cli import servicios
from resolucion_cli.almacen import Almacen
from resolucion_cli.errores import NoPermitido
from resolucion_cli.modelo import EstadoDisputa, EstadoPedido
from tests.almacen.ayudantes import (
    _cancelacion_del_cliente,
    _mover_reloj_a_escondidas,
    _pedido,
    _volcado,
)
from tests.almacen.ayudantes import (
    solo_lectura as _solo_lectura,
)
from tests.conftest import T0

# --- 3. transactions, locks and read-only files ---------------------------------------


def _otra_conexion(almacen: Almacen, espera: float = 0) -> sqlite3.Connection:
    return sqlite3.connect(almacen.ruta, isolation_level=None, timeout=espera, check_same_thread=False)


def test_a_write_transaction_holds_the_write_lock_before_its_first_write(almacen):
    otra = _otra_conexion(almacen)
    try:
        with almacen.escritura():
            # Nothing written yet: a deferred BEGIN would let the other connection in.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                otra.execute("BEGIN IMMEDIATE")
            almacen.asegurar_usuarios(["ana"], T0)
            # Readers are not blocked (WAL) and see only what was committed.
            assert otra.execute("SELECT count(*) FROM usuarios WHERE usuario = 'ana'").fetchone()[0] == 0
        otra.execute("BEGIN IMMEDIATE")
        assert otra.execute("SELECT count(*) FROM usuarios WHERE usuario = 'ana'").fetchone()[0] == 1
        otra.execute("ROLLBACK")
    finally:
        otra.close()


def test_an_exception_inside_a_write_transaction_leaves_nothing_behind(almacen):
    antes = _volcado(almacen.conexion)

    with pytest.raises(RuntimeError, match="a medias"):
        with almacen.escritura():
            almacen.guardar_reloj(T0 + timedelta(days=1))
            almacen.asegurar_usuarios(["ana", "beto"], T0)
            raise RuntimeError("falla a medias")

    assert not almacen.conexion.in_transaction
    assert _volcado(almacen.conexion) == antes
    assert almacen.reloj()[0] == T0


def test_the_store_records_a_commit_and_only_a_commit(almacen):
    otro = Almacen.abrir(almacen.ruta, T0)  # the file exists: opening it commits nothing
    try:
        assert not otro.guardado
        with pytest.raises(RuntimeError):
            with otro.escritura():
                otro.asegurar_usuarios(["ana"], T0)
                raise RuntimeError("falla")
        with otro.simulacion():
            otro.asegurar_usuarios(["ana"], T0)
        with otro.lectura():
            otro.reloj()
        assert not otro.guardado
        with otro.escritura():
            otro.asegurar_usuarios(["ana"], T0)
        assert otro.guardado
    finally:
        otro.cerrar()


class _CtrlCEnElCommit:
    """A connection whose COMMIT is interrupted by Ctrl-C, before SQLite runs it or after."""

    def __init__(self, conexion: sqlite3.Connection, despues: bool):
        self.conexion = conexion
        self.despues = despues

    def execute(self, sql: str, *args):
        if sql == "COMMIT":
            if self.despues:
                self.conexion.execute(sql)
            raise KeyboardInterrupt
        return self.conexion.execute(sql, *args)

    def __getattr__(self, nombre: str):
        return getattr(self.conexion, nombre)


@pytest.mark.parametrize("despues", [False, True], ids=["before-commit", "after-commit"])
def test_a_signal_at_commit_leaves_the_flag_saying_what_is_in_the_file(almacen, despues):
    otro = Almacen.abrir(almacen.ruta, T0)
    otro.conexion = _CtrlCEnElCommit(otro.conexion, despues)
    try:
        with pytest.raises(KeyboardInterrupt):
            with otro.escritura():
                otro.asegurar_usuarios(["ana"], T0)
        assert otro.guardado is despues
    finally:
        otro.cerrar()
    assert almacen.usuario_existe("ana") is despues


def test_a_service_that_refuses_also_undoes_the_expiries_it_processed_first(almacen):
    pedido = _pedido(almacen)
    _cancelacion_del_cliente(almacen, pedido)
    _mover_reloj_a_escondidas(almacen, T0 + timedelta(hours=48))
    antes = _volcado(almacen.conexion)

    with pytest.raises(NoPermitido):
        servicios.entregar(almacen, pedido.id, "ana")

    assert _volcado(almacen.conexion) == antes
    assert not almacen.conexion.in_transaction


def test_a_simulation_undoes_everything_done_inside_it(almacen):
    _pedido(almacen)
    antes = _volcado(almacen.conexion)
    otra = _otra_conexion(almacen)
    try:
        with almacen.simulacion():
            almacen.guardar_reloj(T0 + timedelta(days=3))
            almacen.asegurar_usuarios(["carla"], T0)
            assert almacen.reloj()[0] == T0 + timedelta(days=3)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                otra.execute("BEGIN IMMEDIATE")
    finally:
        otra.close()

    assert not almacen.conexion.in_transaction
    assert _volcado(almacen.conexion) == antes


def test_a_read_with_nothing_due_works_while_another_connection_holds_the_write_lock(almacen):
    pedido = _pedido(almacen)
    _cancelacion_del_cliente(almacen, pedido)
    otra = _otra_conexion(almacen)
    otra.execute("BEGIN IMMEDIATE")
    try:
        vista = servicios.ver_pedido(almacen, pedido.id, "ana")
    finally:
        otra.execute("ROLLBACK")
        otra.close()
    assert vista.pedido.estado == EstadoPedido.EN_CONTROVERSIA
    assert [d.estado for d in vista.disputas] == [EstadoDisputa.ABIERTA]


def test_a_write_command_fails_with_exit_5_when_the_lock_is_held_past_the_busy_wait(cli):
    otra = sqlite3.connect(cli.db, isolation_level=None, timeout=0)
    otra.execute("BEGIN IMMEDIATE")
    try:
        r = cli.fails(
            5, "pedido", "crear", "--cliente", "ana", "--freelancer", "beto",
            "--titulo", "Logo", "--precio", "100", "--entrega", "7d",
        )  # fmt: skip
        assert "bloqueada" in r.error["mensaje"]
        assert str(cli.db) in r.error["mensaje"]
        # Reading while nothing is due needs no lock.
        assert cli.ok("pedido", "listar")["pedidos"] == []
    finally:
        otra.execute("ROLLBACK")
        otra.close()
    assert cli.ok("pedido", "listar")["pedidos"] == []
    assert cli.pedido()["id"] == 1


def test_a_write_command_waits_for_a_short_lock_and_then_succeeds(cli):
    otra = sqlite3.connect(cli.db, isolation_level=None, timeout=0, check_same_thread=False)
    otra.execute("BEGIN IMMEDIATE")
    otra.execute("UPDATE reloj SET ahora = ahora")
    soltar = threading.Timer(0.5, lambda: otra.execute("COMMIT"))
    soltar.start()
    try:
        pedido = cli.pedido()
    finally:
        soltar.join()
        otra.close()
    assert pedido["id"] == 1
    assert [p["id"] for p in cli.ok("pedido", "listar")["pedidos"]] == [1]


def test_a_read_only_file_serves_reads_while_nothing_is_due_and_refuses_writes_with_exit_5(cli):
    pedido = cli.pedido()
    disputa = cli.abrir(pedido["id"], "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    antes = cli.db.read_bytes()

    with _solo_lectura(cli.db):
        vista = cli.ok("pedido", "ver", pedido["id"])
        assert vista["disputas"][0]["estado"] == "abierta"
        assert [d["id"] for d in cli.ok("disputa", "listar", "--abiertas")["disputas"]] == [disputa["id"]]

        r = cli.fails(5, "disputa", "revocar", disputa["id"], "--como", "ana")
        assert "solo lectura" in r.error["mensaje"]
        assert str(cli.db) in r.error["mensaje"]
        cli.fails(5, "tick", "--avanzar", "1h")

    assert cli.db.read_bytes() == antes
    assert cli.ok("disputa", "listar", "--abiertas")["disputas"][0]["id"] == disputa["id"]


def test_a_read_only_file_refuses_even_a_read_when_a_deadline_is_due(cli):
    pedido = cli.pedido()
    cli.abrir(pedido["id"], "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    # The request falls due, but nothing has processed it yet.
    conexion = sqlite3.connect(cli.db, isolation_level=None)
    conexion.execute("UPDATE reloj SET ahora = '2026-03-04T09:00:00Z'")
    conexion.close()
    antes = cli.db.read_bytes()

    with _solo_lectura(cli.db):
        r = cli.fails(5, "pedido", "ver", pedido["id"])
        assert "solo lectura" in r.error["mensaje"]

    assert cli.db.read_bytes() == antes
    assert cli.ok("pedido", "ver", pedido["id"])["pedido"]["estado"] == "cancelado"
