"""Firing from rows writes what firing through objects writes (issue 14).

`vencimientos.procesar` fires most requests straight from their rows, and goes through
`reglas.vencer` on objects only where the outcome needs more. The reference here is the loop
as it was before rows, every deadline decided on objects: the same `tick --avanzar 5d --json`
on two copies of one file, one through each, must leave every table identical, row for row and
column for column, and print the same bytes.
"""

import json
import sqlite3
from datetime import datetime, timedelta

import pytest

from resolucion_cli import reglas, vencimientos
from resolucion_cli.almacen import VENCIDA
from resolucion_cli.reloj import iso
from tests.conftest import SOLO_SQLITE, T0, T0_ISO, Cli

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

DISPUTA = VENCIDA.index("disputa")


def por_objetos(almacen, hasta, progreso, anotar=None):
    """The reference: the firing loop before rows, each deadline decided on objects."""
    lote = vencimientos.LOTE
    while True:
        filas = almacen.vencidas(hasta, lote)
        pares = almacen.con_pedido([fila[DISPUTA] for fila in filas])
        solicitudes = [(d.vence_en, d.id, p, d) for p, d in (pares[fila[DISPUTA]] for fila in filas)]
        entregas = [(p.completar_en, p.id, p, None) for p in almacen.por_completar(hasta, lote)]
        if not solicitudes and not entregas:
            return
        ronda = sorted(solicitudes + entregas, key=lambda x: (x[0], x[3] is None, x[1]))
        limite = ronda[0][0] + reglas.MINIMO_COMPLETAR
        for tanda in (solicitudes, entregas):
            if len(tanda) == lote:
                limite = min(limite, tanda[-1][0])
        decisiones = [
            reglas.vencer(p, d) if d is not None else reglas.completar_solo(p) for en, _, p, d in ronda if en <= limite
        ]
        almacen.aplicar(
            [d.pedido for d in decisiones],
            [d.disputa for d in decisiones],
            [e for d in decisiones for e in d.eventos],
            [m for d in decisiones for m in d.mensajes],
        )
        progreso.avanzar(len(decisiones))
        if anotar is not None:
            anotar.anotar(
                [
                    (d.disputa.id, d.pedido.id, d.disputa.tipo, iso(d.disputa.vence_en), d.resultado)
                    if d.disputa is not None
                    else (None, d.pedido.id, "aceptar_entrega", iso(d.eventos[0].en), d.resultado)
                    for d in decisiones
                ]
            )


def volcado(db) -> dict[str, list[tuple]]:
    """Every row of every table, all columns, in rowid order."""
    conexion = sqlite3.connect(db)
    try:
        tablas = [t for (t,) in conexion.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: conexion.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall() for t in tablas}
    finally:
        conexion.close()


def copia(cli: Cli, ruta) -> Cli:
    """The same file page for page (WAL included), for the reference run."""
    origen, destino = sqlite3.connect(cli.db), sqlite3.connect(ruta)
    origen.backup(destino)
    origen.close()
    destino.close()
    return Cli(ruta)


def por_los_dos_caminos(cli: Cli, tmp_path, monkeypatch, *orden) -> tuple:
    """Run `orden` on the file through rows, and on a copy through the objects: both outputs,
    both dumps, and the requests that the run through rows decided on objects."""
    referencia = copia(cli, tmp_path / "referencia.db")
    original, en_objetos = reglas.vencer, set()

    def vencer(pedido, disputa):
        if disputa.id > 0:  # not one of the stand-ins that decide a kind
            en_objetos.add(disputa.id)
        return original(pedido, disputa)

    with monkeypatch.context() as parche:
        parche.setattr(reglas, "vencer", vencer)
        por_filas = cli.run(*orden)
    with monkeypatch.context() as parche:
        parche.setattr(vencimientos, "procesar", por_objetos)
        objetos = referencia.run(*orden)
    assert por_filas.code == objetos.code == 0, (por_filas, objetos)
    return (por_filas.out, objetos.out), (volcado(cli.db), volcado(referencia.db)), en_objetos


def todas_las_solicitudes(cli: Cli) -> set[int]:
    """Every type the rule set in force offers, opened by each role that may, on an active
    order and on a delivered one; and a delivered order nobody answers. Returns the requests
    whose expiry needs the order's data: an automatic acceptance that moves the date or
    records a refund, and any request on a delivered order whose completion restarts."""
    extras = ("--extras-precio", "25", "--extras-descripcion", "Versión vectorial", "--extras-dias", "2")
    aperturas = [
        ("ana", "actualizacion", ()),
        ("ana", "cancelacion", ("--comentario", "Ya no lo necesito")),
        ("beto", "cancelacion", ("--motivo", "no_puedo_completar")),
        ("beto", "prorroga", ("--nueva-entrega", "20d")),
        ("beto", "extras", extras),
    ]
    automatica = cli.ok("init")["politica"] == "aceptacion-automatica"
    if automatica:
        aperturas.append(("beto", "reembolso_parcial", ("--importe", "40")))
    con_datos = set()
    for entregado in (False, True):
        for como, tipo, opciones in aperturas:
            pedido = cli.pedido()["id"]
            if entregado:
                cli.ok("pedido", "entregar", pedido, "--como", "beto")
            disputa = cli.abrir(pedido, como, tipo, *opciones)["id"]
            if automatica and (entregado or tipo in ("prorroga", "reembolso_parcial")):
                con_datos.add(disputa)
        cli.ok("tick", "--avanzar", "1h")  # deadlines at other instants than the last group's
    cli.ok("pedido", "entregar", cli.pedido()["id"], "--como", "beto")
    return con_datos


def generadas_con_datos(db, hasta: str) -> set[int]:
    """The generated requests due by `hasta` whose expiry needs their order's data: under
    `aceptacion-automatica`, an extension or a refund accepted by silence, and any request on
    a delivered order (its completion countdown restarts)."""
    with sqlite3.connect(db) as conexion:
        filas = conexion.execute(
            "SELECT d.id FROM disputas d JOIN pedidos p ON p.id = d.pedido WHERE d.estado = 'abierta' "
            "AND d.vence_en <= ? AND d.politica = 'aceptacion-automatica' "
            "AND (d.tipo IN ('prorroga', 'reembolso_parcial') OR p.estado_anterior = 'entregado')",
            [hasta],
        )
        return {fila[0] for fila in filas}


def _en(**tiempo) -> str:
    return iso(T0 + timedelta(**tiempo))


@SOLO_SQLITE
def test_every_type_under_both_rule_sets_fires_from_rows_as_through_objects(cli, tmp_path, monkeypatch):
    con_datos = todas_las_solicitudes(cli)
    cli.ok("init", "--politica", "aceptacion-automatica")
    con_datos |= todas_las_solicitudes(cli)

    pantallas, _, _ = por_los_dos_caminos(cli, tmp_path, monkeypatch, "tick", "--avanzar", "5d", "--simular")
    salidas, (filas, objetos), en_objetos = por_los_dos_caminos(
        cli, tmp_path, monkeypatch, "tick", "--avanzar", "5d", "--json"
    )

    sin_cabecera = [p.split("\n", 1)[1] for p in pantallas]  # the first line names each file
    assert sin_cabecera[0] == sin_cabecera[1]
    assert "Plazos vencidos" in pantallas[0]
    assert salidas[0] == salidas[1]
    assert filas == objetos
    procesados = json.loads(salidas[0])["procesados"]
    hechos = {(x["tipo"], x["resultado"]) for x in procesados}
    assert {("prorroga", "solicitud_aceptada"), ("prorroga", "solicitud_revocada")} <= hechos
    assert {("cancelacion", "pedido_cancelado"), ("reembolso_parcial", "solicitud_aceptada")} <= hechos
    # The delivered order nobody answered completes 3 days after its delivery (at 4 h), and the
    # one whose request expired at 3 h + 48 h restarts its 3 days from there.
    completados = {x["vence_en"] for x in procesados if x["tipo"] == "aceptar_entrega"}
    assert {_en(days=3, hours=4), _en(days=5, hours=3)} <= completados
    # The objects decided only what rows cannot: everything else went through rows.
    assert en_objetos == con_datos


@pytest.mark.parametrize("politica", sorted(reglas.POLITICAS))
def test_a_generated_marketplace_fires_from_rows_as_through_objects(tmp_path, monkeypatch, politica):
    cli = Cli(tmp_path / "mercado.db")
    cli.ok("init", "--reloj", T0_ISO, "--politica", politica)
    # More due than one round takes (`LOTE`), so that rounds follow one another.
    assert cli.ok("generar", "--pedidos", 6500, "--semilla", 3)["disputas_abiertas"] > vencimientos.LOTE
    con_datos = todas_las_solicitudes(cli)
    reloj = datetime.fromisoformat(cli.ok("tick", "--simular")["reloj"].replace("Z", "+00:00"))
    generadas = generadas_con_datos(cli.db, iso(reloj + timedelta(days=5)))
    assert (politica == "aceptacion-automatica") == bool(generadas - con_datos)
    con_datos |= generadas

    salidas, (filas, objetos), en_objetos = por_los_dos_caminos(
        cli, tmp_path, monkeypatch, "tick", "--avanzar", "5d", "--json"
    )

    assert salidas[0] == salidas[1]
    assert filas == objetos
    assert len(json.loads(salidas[0])["procesados"]) > vencimientos.LOTE
    assert en_objetos == con_datos
