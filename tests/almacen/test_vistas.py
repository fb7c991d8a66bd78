"""The views of schema v5 (`resolucion tablero`, any SQLite tool): what a person reads in them."""

import sqlite3
import subprocess
import sys

import sqlite_utils

from resolucion_cli import servicios
from resolucion_cli.almacen import VISTAS
from tests.almacen.ayudantes import _cancelacion_del_cliente, _pedido, _prorroga


def _filas(almacen, vista: str) -> list[dict]:
    return [dict(fila) for fila in almacen.conexion.execute(f"SELECT * FROM {vista}")]


def test_the_pending_deadlines_view_lists_what_plazos_pendientes_lists_with_who_must_act(almacen):
    logo = _pedido(almacen)
    web = _pedido(almacen, "carla", "dario")
    solicitud = _cancelacion_del_cliente(almacen, web)
    filas = _filas(almacen, "vista_plazos_pendientes")
    # The same deadlines as the commands see, soonest first, with the order's title and a label.
    esperado = [(p.pedido, p.disputa, p.tipo, p.responde) for p in almacen.plazos_pendientes(None, 100)]
    assert [(f["pedido"], f["solicitud"], f["tipo"], f["responde"]) for f in filas] == esperado
    assert {f["tipo"]: f["tipo_etiqueta"] for f in filas} == {"cancelacion": "Cancelación", "entrega": "Entrega"}
    cancelacion = next(f for f in filas if f["solicitud"] == solicitud.id)
    assert cancelacion == {
        "pedido": web.id,
        "titulo": "Logo",
        "solicitud": solicitud.id,
        "tipo": "cancelacion",
        "tipo_etiqueta": "Cancelación",
        "responde": "dario",
        "vence_en": cancelacion["vence_en"],
        "vencido": 0,
    }
    assert logo.id in {f["pedido"] for f in filas}


def test_a_deadline_past_the_clock_is_marked_due_until_tick_processes_it(almacen):
    pedido = _pedido(almacen)
    with almacen.escritura():
        almacen.guardar_reloj(pedido.fecha_entrega)
    (fila,) = _filas(almacen, "vista_plazos_pendientes")
    assert (fila["tipo"], fila["responde"], fila["vencido"]) == ("entrega", "beto", 1)


def test_the_requests_view_has_the_orders_title_and_spanish_labels(almacen):
    pedido = _pedido(almacen)
    solicitud = _prorroga(almacen, pedido)
    servicios.responder_disputa(almacen, solicitud.id, "ana", "rechazar", "No puedo esperar")
    (fila,) = _filas(almacen, "vista_solicitudes")
    assert fila["id"] == solicitud.id and fila["titulo"] == "Logo"
    assert (fila["tipo_etiqueta"], fila["estado_etiqueta"], fila["rol_etiqueta"]) == (
        "Prórroga",
        "Rechazada",
        "Freelancer",
    )
    assert (fila["pedido_estado"], fila["pedido_estado_etiqueta"]) == ("activo", "Activo")
    assert (fila["abierta_por"], fila["destinatario"], fila["resuelta_por"]) == ("beto", "ana", "ana")


def test_the_timeline_view_gives_an_orders_events_and_messages_in_order(almacen):
    pedido = _pedido(almacen)
    solicitud = _cancelacion_del_cliente(almacen, pedido)
    servicios.enviar_mensaje(almacen, pedido.id, "beto", "¿Seguro?")
    filas = [f for f in _filas(almacen, "vista_historial") if f["pedido"] == pedido.id]
    assert [f["en"] for f in filas] == sorted(f["en"] for f in filas)
    escrito = [(f["actor"], f["para"], f["texto"]) for f in filas if f["clase"] == "mensaje" and f["solicitud"] is None]
    assert escrito == [("beto", "ana", "¿Seguro?")]
    eventos = [(f["que"], f["actor"], f["texto"]) for f in filas if f["clase"] == "evento"]
    assert eventos == [
        ("Pedido creado", "ana", None),
        ("Solicitud abierta", "ana", None),
        ("Mensaje", "beto", "¿Seguro?"),
    ]
    (aviso,) = [f for f in filas if f["clase"] == "mensaje" and f["solicitud"] == solicitud.id]
    # What the client wrote is shown; the sentence around it is written when someone reads it.
    assert (aviso["actor"], aviso["para"], aviso["que"], aviso["texto"]) == (
        "ana",
        "beto",
        "Solicitud abierta",
        "Ya no lo necesito",
    )


def test_other_sqlite_tools_read_the_views(almacen):
    _pedido(almacen)
    ruta = str(almacen.ruta)
    assert set(sqlite_utils.Database(ruta).view_names()) >= set(VISTAS)
    for vista in VISTAS:
        assert list(sqlite_utils.Database(ruta)[vista].rows) == _filas(almacen, vista)
    # The sqlite3 shell of Python (no resolucion code loaded) reads them too.
    salida = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sqlite3; print(sqlite3.connect({ruta!r}).execute("
            "'SELECT count(*) FROM vista_plazos_pendientes').fetchone()[0])",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert salida.strip() == "1"
    conexion = sqlite3.connect(f"file:{ruta}?mode=ro", uri=True)
    assert conexion.execute("SELECT titulo FROM vista_historial").fetchone() == ("Logo",)
    conexion.close()
