"""Size independence: the queries behind the everyday commands never scan a big table.

Speed itself is measured by benchmarks/run.py, never asserted here. What is asserted is
the plan SQLite chooses for every statement the commands really run (captured with a
trace callback), which is what keeps them instant on a million orders.
"""

import re
import sqlite3
from datetime import timedelta

import pytest

from resolucion_cli import servicios
from resolucion_cli.almacen import Almacen
from tests.conftest import T0

# A plain "SCAN t" (no index) of any table or alias; the one-row clock table is exempt.
# `contadas` is the subquery of a capped count (`Almacen._contar`): its rows are only what its
# own searches found.
ESCANEO_COMPLETO = re.compile(r"^SCAN (?!reloj$|contadas$)\w+$")
# Sorting for ORDER BY means reading every matching row before the LIMIT can stop.
ORDEN_EN_MEMORIA = "USE TEMP B-TREE FOR ORDER BY"


@pytest.fixture(scope="module")
def mercado(tmp_path_factory):
    ruta = tmp_path_factory.mktemp("rendimiento") / "mercado.db"
    almacen = Almacen.abrir(ruta, T0)
    # No ANALYZE: the plans must be right on a file as `generar` or real use leaves it.
    servicios.generar(almacen, 3000, semilla=11)
    almacen.cerrar()
    return ruta


def _sentencias(ruta, accion) -> list[str]:
    almacen = Almacen.abrir(ruta, T0)
    vistas: list[str] = []
    almacen.conexion.set_trace_callback(vistas.append)
    try:
        accion(almacen)
    finally:
        almacen.conexion.set_trace_callback(None)
    consultas = [s for s in vistas if s.lstrip().upper().startswith(("SELECT", "UPDATE"))]
    planes = []
    for consulta in consultas:
        plan = [fila[3] for fila in almacen.conexion.execute(f"EXPLAIN QUERY PLAN {consulta}")]
        planes.append((consulta, plan))
    almacen.cerrar()
    return planes


def _un_cliente(ruta) -> str:
    with sqlite3.connect(ruta) as conexion:
        return conexion.execute("SELECT cliente FROM pedidos ORDER BY id LIMIT 1").fetchone()[0]


# Each command, and whether it is one user's view: then every table access must be a SEARCH
# by that user (an index walk filtered by user would read everyone's rows to find theirs).
COMANDOS = {
    "pedido ver": (lambda a, u: servicios.ver_pedido(a, 1, None), False),
    "pedido ver --como": (lambda a, u: servicios.ver_pedido(a, 1, u), False),
    "pedido listar --como": (lambda a, u: servicios.listar_pedidos(a, u, None, 50), True),
    "disputa listar --como --abiertas": (lambda a, u: servicios.listar_disputas(a, u, None, True, 50), True),
    "tick sin vencimientos": (lambda a, u: servicios.tick(a), False),
    "tick --como": (lambda a, u: servicios.tick(a, responde=u), True),
    "bandeja": (lambda a, u: servicios.bandeja(a, u), True),
    "tick --simular --avanzar 5d": (lambda a, u: servicios.tick(a, avanzar=timedelta(days=5), simular=True), False),
    # A limit of 1 cuts every list, so these also run the count behind "Faltan N …". (Without
    # --como the lists walk the table by id and stop at the limit, which this test cannot tell
    # from a scan; their counts are measured by benchmarks/run.py.)
    "pedido listar --como --limite 1": (lambda a, u: servicios.listar_pedidos(a, u, None, 1), True),
    "disputa listar --como --limite 1": (lambda a, u: servicios.listar_disputas(a, u, None, False, 1), True),
    "tick --limite 1": (lambda a, u: servicios.tick(a, limite=1), False),
    "tick --como --limite 1": (lambda a, u: servicios.tick(a, responde=u, limite=1), True),
    # What `disputa abrir` and `pedido entregar` look up before they write.
    "la solicitud abierta de un pedido": (lambda a, u: a.disputa_abierta(1), False),
}


@pytest.mark.parametrize("comando", list(COMANDOS))
def test_no_everyday_query_scans_a_whole_big_table(mercado, comando):
    usuario = _un_cliente(mercado)
    accion, por_usuario = COMANDOS[comando]
    planes = _sentencias(mercado, lambda almacen: accion(almacen, usuario))

    assert planes, "the command ran no query at all"
    for consulta, plan in planes:
        malos = [
            linea
            for linea in plan
            if ESCANEO_COMPLETO.match(linea)
            or linea == ORDEN_EN_MEMORIA
            or (por_usuario and linea.startswith("SCAN ") and "reloj" not in linea and linea != "SCAN contadas")
        ]
        assert not malos, f"{comando}: {consulta}\n{plan}"


def test_the_due_deadline_lookup_walks_the_open_requests_index(mercado):
    planes = _sentencias(mercado, lambda almacen: servicios.tick(almacen, simular=True, hasta=T0.replace(year=2027)))
    busqueda = [plan for consulta, plan in planes if "d.vence_en <=" in consulta]

    assert busqueda, "the due lookup did not run"
    assert any("disputas_abiertas_por_vence_en" in linea for linea in busqueda[0]), busqueda[0]


def test_a_json_read_command_imports_neither_rich_nor_pendulum_nor_sqlite_utils(mercado):
    import subprocess
    import sys

    r = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "resolucion_cli",
            "pedido",
            "ver",
            "1",
            "--json",
            "--db",
            str(mercado),
        ],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "RESOLUCION_TZ": "UTC"},
    )
    assert r.returncode == 0, r.stderr[-2000:]
    importados = {linea.rsplit("|", 1)[-1].strip() for linea in r.stderr.splitlines() if "|" in linea}
    assert "resolucion_cli.servicios" in importados  # the trace really covers the command
    for pesado in ("rich", "pendulum", "sqlite_utils", "pydantic"):
        assert not any(m == pesado or m.startswith(pesado + ".") for m in importados), pesado


# Every index of the schema and the statement that needs it: the command that runs it and a
# piece of its SQL. An index no statement uses would only cost writes (a tick writes into each
# one for every deadline it fires), so the schema holds exactly these.
INDICES = {
    "disputas_abiertas_por_vence_en": (
        "pedido ver",
        "SELECT 1 FROM disputas WHERE estado = 'abierta' AND vence_en <=",
    ),
    "disputas_abiertas_por_destinatario": ("tick --como", "FROM disputas WHERE estado = 'abierta' AND destinatario ="),
    "disputas_por_pedido": ("la solicitud abierta de un pedido", "SELECT * FROM disputas WHERE pedido = 1 AND estado"),
    "disputas_por_abierta_por": ("disputa listar --como --abiertas", "SELECT id FROM disputas WHERE abierta_por ="),
    "disputas_por_destinatario": ("disputa listar --como --abiertas", "SELECT id FROM disputas WHERE destinatario ="),
    "pedidos_por_cliente": ("pedido listar --como", "SELECT id FROM pedidos WHERE cliente ="),
    "pedidos_por_freelancer": ("pedido listar --como", "SELECT id FROM pedidos WHERE freelancer ="),
    "pedidos_entrega_pendiente": ("tick sin vencimientos", "'entrega', fecha_entrega, freelancer FROM pedidos WHERE"),
    "pedidos_entrega_por_freelancer": ("tick --como", "'entrega', fecha_entrega, freelancer FROM pedidos WHERE"),
    "pedidos_por_completar": (
        "tick --simular --avanzar 5d",
        "FROM pedidos WHERE (estado = 'entregado' AND completar_en",
    ),
    "pedidos_por_completar_por_cliente": ("tick --como", "'aceptar_entrega', completar_en, cliente FROM pedidos"),
    "eventos_por_pedido": ("pedido ver", "SELECT * FROM eventos WHERE pedido ="),
    "mensajes_por_para": ("bandeja", "SELECT * FROM mensajes WHERE para ="),
}


def test_the_schema_has_exactly_the_indexes_a_statement_needs(mercado):
    with sqlite3.connect(mercado) as conexion:
        esquema = {
            fila[0]
            for fila in conexion.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'"
            )
        }
    assert esquema == set(INDICES)


@pytest.mark.parametrize("indice", list(INDICES))
def test_each_index_is_used_by_the_statement_it_is_named_with(mercado, indice):
    comando, fragmento = INDICES[indice]
    usuario = _un_cliente(mercado)
    accion, _ = COMANDOS[comando]
    planes = [(c, p) for c, p in _sentencias(mercado, lambda almacen: accion(almacen, usuario)) if fragmento in c]

    assert planes, f"{comando} ran no statement with «{fragmento}»"
    assert any(indice in linea for _, plan in planes for linea in plan), planes
