"""Size independence: the queries behind the everyday commands never scan a big table.

Speed itself is measured by benchmarks/run.py, never asserted here. What is asserted is
the plan SQLite chooses for every statement the commands really run (captured with a
trace callback), which is what keeps them instant on a million orders.
"""

import re
import sqlite3

import pytest
from conftest import T0

from resolucion_cli import servicios
from resolucion_cli.almacen import Almacen

# A plain "SCAN t" (no index) of any table or alias; the one-row clock table is exempt.
ESCANEO_COMPLETO = re.compile(r"^SCAN (?!reloj$)\w+$")


@pytest.fixture(scope="module")
def mercado(tmp_path_factory):
    ruta = tmp_path_factory.mktemp("rendimiento") / "mercado.db"
    almacen = Almacen.abrir(ruta, T0)
    servicios.generar(almacen, 3000, semilla=11)
    almacen.conexion.execute("ANALYZE")
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


COMANDOS = {
    "pedido ver": lambda a, u: servicios.ver_pedido(a, 1, None),
    "pedido ver --como": lambda a, u: servicios.ver_pedido(a, 1, u),
    "pedido listar --como": lambda a, u: servicios.listar_pedidos(a, u, None, 50),
    "disputa listar --como --abiertas": lambda a, u: servicios.listar_disputas(a, u, None, True, 50),
    "tick sin vencimientos": lambda a, u: servicios.tick(a),
    "tick --como": lambda a, u: servicios.tick(a, responde=u),
    "bandeja": lambda a, u: servicios.bandeja(a, u),
    "tick --simular --avanzar 5d": lambda a, u: servicios.tick(
        a, avanzar=__import__("datetime").timedelta(days=5), simular=True
    ),
}


@pytest.mark.parametrize("comando", list(COMANDOS))
def test_no_everyday_query_scans_a_whole_big_table(mercado, comando):
    usuario = _un_cliente(mercado)
    planes = _sentencias(mercado, lambda almacen: COMANDOS[comando](almacen, usuario))

    assert planes, "the command ran no query at all"
    for consulta, plan in planes:
        escaneos = [linea for linea in plan if ESCANEO_COMPLETO.match(linea)]
        assert not escaneos, f"{comando}: {consulta}\n{plan}"


def test_the_due_deadline_lookup_walks_the_open_requests_index(mercado):
    planes = _sentencias(mercado, lambda almacen: servicios.tick(almacen, simular=True, hasta=T0.replace(year=2027)))
    busqueda = [plan for consulta, plan in planes if "d.vence_en <=" in consulta]

    assert busqueda, "the due lookup did not run"
    assert any("disputas_abiertas_por_vence_en" in linea for linea in busqueda[0]), busqueda[0]
