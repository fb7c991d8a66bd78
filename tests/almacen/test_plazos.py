"""The storage layer: deadlines through the services."""

from datetime import UTC, datetime, timedelta

import pytest
from freezegun import freeze_time

from resolucion_cli import servicios
from resolucion_cli.almacen import Almacen
from resolucion_cli.errores import EntradaInvalida, RechazadoPorRegla
from resolucion_cli.modelo import SISTEMA, EstadoDisputa, EstadoPedido, Respuesta, Resultado, TipoDisputa
from resolucion_cli.reloj import ModoReloj
from tests.almacen.ayudantes import (
    HORA,
    _actualizacion,
    _cancelacion_del_cliente,
    _cancelacion_del_freelancer,
    _mover_reloj_a_escondidas,
    _pedido,
    _prorroga,
    _volcado,
)
from tests.conftest import T0

# --- 5. deadlines through the services ------------------------------------------------


@pytest.fixture
def cuatro_plazos(almacen):
    """Four requests opened so that id order and deadline order differ.

    #1 prorroga at T0 (due T0+96h); at T0+1h #2 a client's and #3 a freelancer's
    cancellation (both due T0+49h); at T0+2h #4 an update (due T0+50h).
    """
    pedidos = [_pedido(almacen) for _ in range(4)]
    d1 = _prorroga(almacen, pedidos[0])
    servicios.tick(almacen, avanzar=HORA)
    d2 = _cancelacion_del_cliente(almacen, pedidos[1])
    d3 = _cancelacion_del_freelancer(almacen, pedidos[2])
    servicios.tick(almacen, avanzar=HORA)
    d4 = _actualizacion(almacen, pedidos[3])
    return pedidos, [d1, d2, d3, d4]


def test_the_requests_have_the_deadlines_the_fixture_expects(almacen, cuatro_plazos):
    _, disputas = cuatro_plazos
    assert [d.id for d in disputas] == [1, 2, 3, 4]
    assert [d.vence_en - T0 for d in disputas] == [
        timedelta(hours=96),
        timedelta(hours=49),
        timedelta(hours=49),
        timedelta(hours=50),
    ]
    assert almacen.reloj()[0] == T0 + 2 * HORA


def test_tick_fires_due_requests_in_deadline_order_each_at_its_own_instant(almacen, cuatro_plazos):
    pedidos, disputas = cuatro_plazos
    nuevo = T0 + timedelta(hours=100)

    r = servicios.tick(almacen, hasta=nuevo)

    assert (r.reloj_anterior, r.reloj, r.simulado) == (T0 + 2 * HORA, nuevo, False)
    assert [(p.disputa, p.pedido, p.tipo, p.vence_en - T0, p.resultado) for p in r.procesados] == [
        (2, pedidos[1].id, TipoDisputa.CANCELACION, timedelta(hours=49), Resultado.PEDIDO_CANCELADO),
        (3, pedidos[2].id, TipoDisputa.CANCELACION, timedelta(hours=49), Resultado.PEDIDO_CANCELADO),
        (4, pedidos[3].id, TipoDisputa.ACTUALIZACION, timedelta(hours=50), Resultado.PEDIDO_RESTAURADO),
        (1, pedidos[0].id, TipoDisputa.PRORROGA, timedelta(hours=96), Resultado.SOLICITUD_REVOCADA),
    ]
    assert almacen.reloj()[0] == nuevo
    for original in disputas:
        guardada = almacen.disputa(original.id)
        assert guardada.estado == EstadoDisputa.VENCIDA
        assert guardada.resuelta_en == original.vence_en != nuevo
        assert guardada.resuelta_por == SISTEMA
        (evento,) = [e for e in almacen.eventos_de(original.pedido) if e.tipo == "disputa_vencida"]
        assert (evento.en, evento.actor, evento.disputa) == (original.vence_en, SISTEMA, original.id)
    for usuario in ("ana", "beto"):
        avisos = [m for m in almacen.mensajes_para(usuario) if m.de == SISTEMA]
        assert [(m.disputa, m.en) for m in avisos] == [(d.id, d.vence_en) for d in disputas[1:] + disputas[:1]]
    assert [almacen.pedido(p.id).estado for p in pedidos] == [
        EstadoPedido.ACTIVO,
        EstadoPedido.CANCELADO,
        EstadoPedido.CANCELADO,
        EstadoPedido.ACTIVO,
    ]
    # An unanswered extension changes nothing on the order.
    assert almacen.pedido(pedidos[0].id).fecha_entrega == pedidos[0].fecha_entrega


def test_tick_leaves_open_a_request_whose_deadline_is_one_second_away(almacen, cuatro_plazos):
    _, disputas = cuatro_plazos

    r = servicios.tick(almacen, hasta=T0 + timedelta(hours=49) - timedelta(seconds=1))
    assert list(r.procesados) == []
    assert almacen.disputa(2).estado == EstadoDisputa.ABIERTA

    r = servicios.tick(almacen, hasta=T0 + timedelta(hours=49))
    assert [p.disputa for p in r.procesados] == [2, 3]
    assert [almacen.disputa(d.id).estado for d in disputas] == [
        EstadoDisputa.VENCIDA if d.id in (2, 3) else EstadoDisputa.ABIERTA for d in disputas
    ]


def test_a_simulated_tick_reports_what_would_happen_and_changes_nothing(almacen, cuatro_plazos):
    antes = _volcado(almacen.conexion)

    r = servicios.tick(almacen, hasta=T0 + timedelta(hours=100), simular=True)

    assert r.simulado is True
    assert r.reloj == T0 + timedelta(hours=100)
    assert [p.disputa for p in r.procesados] == [2, 3, 4, 1]
    assert r.pendientes and all(p.disputa is None for p in r.pendientes)
    assert _volcado(almacen.conexion) == antes
    assert almacen.reloj()[0] == T0 + 2 * HORA
    assert not almacen.conexion.in_transaction


def test_tick_next_moves_to_the_nearest_request_deadline_and_fires_only_it(almacen, cuatro_plazos):
    r = servicios.tick(almacen, siguiente=True)

    assert r.reloj == T0 + timedelta(hours=49)
    assert [p.disputa for p in r.procesados] == [2, 3]
    assert almacen.reloj()[0] == T0 + timedelta(hours=49)
    assert [almacen.disputa(i).estado for i in (1, 4)] == [EstadoDisputa.ABIERTA] * 2
    assert [p.disputa for p in r.pendientes if p.disputa is not None] == [4, 1]

    assert [p.disputa for p in servicios.tick(almacen, siguiente=True).procesados] == [4]
    assert [p.disputa for p in servicios.tick(almacen, siguiente=True).procesados] == [1]
    assert almacen.reloj()[0] == T0 + timedelta(hours=96)


def test_tick_next_with_nothing_pending_is_refused_and_the_clock_stays(almacen):
    _pedido(almacen)  # a delivery deadline is not a request deadline
    antes = _volcado(almacen.conexion)

    with pytest.raises(RechazadoPorRegla) as error:
        servicios.tick(almacen, siguiente=True)

    assert error.value.codigo == 1
    assert almacen.reloj()[0] == T0
    assert _volcado(almacen.conexion) == antes


def test_moving_the_clock_backwards_is_bad_input_and_changes_nothing(almacen, cuatro_plazos):
    antes = _volcado(almacen.conexion)

    with pytest.raises(EntradaInvalida) as error:
        servicios.tick(almacen, hasta=T0 + 2 * HORA - timedelta(seconds=1))

    assert error.value.codigo == 2
    assert _volcado(almacen.conexion) == antes


def test_moving_the_clock_to_the_same_instant_is_a_no_op(almacen, cuatro_plazos):
    antes = _volcado(almacen.conexion)

    r = servicios.tick(almacen, hasta=T0 + 2 * HORA)

    assert (r.reloj_anterior, r.reloj, list(r.procesados)) == (T0 + 2 * HORA, T0 + 2 * HORA, [])
    assert _volcado(almacen.conexion) == antes


def test_reading_an_order_first_processes_what_fell_due(almacen):
    pedido = _pedido(almacen)
    disputa = _cancelacion_del_cliente(almacen, pedido)

    _mover_reloj_a_escondidas(almacen, disputa.vence_en - timedelta(seconds=1))
    vista = servicios.ver_pedido(almacen, pedido.id, None)
    assert vista.pedido.estado == EstadoPedido.EN_CONTROVERSIA
    assert [p.disputa for p in vista.plazos if p.disputa] == [disputa.id]

    _mover_reloj_a_escondidas(almacen, disputa.vence_en)
    vista = servicios.ver_pedido(almacen, pedido.id, None)
    assert vista.reloj == disputa.vence_en
    assert vista.pedido.estado == EstadoPedido.CANCELADO
    assert [(d.estado, d.resuelta_en) for d in vista.disputas] == [(EstadoDisputa.VENCIDA, disputa.vence_en)]
    assert [p for p in vista.plazos if p.disputa] == []
    assert vista.eventos[-1].tipo == "disputa_vencida"
    # The expiry was written, not just shown.
    assert almacen.disputa(disputa.id).estado == EstadoDisputa.VENCIDA


def test_answering_a_request_at_its_deadline_is_refused_because_it_already_expired(almacen):
    pedido = _pedido(almacen)
    disputa = _cancelacion_del_cliente(almacen, pedido)
    _mover_reloj_a_escondidas(almacen, disputa.vence_en)

    with pytest.raises(RechazadoPorRegla):
        servicios.responder_disputa(almacen, disputa.id, "beto", Respuesta.RECHAZAR, None)

    # The refusal undid the expiry too; the next command processes it again.
    assert almacen.disputa(disputa.id).estado == EstadoDisputa.ABIERTA
    assert servicios.ver_pedido(almacen, pedido.id, None).pedido.estado == EstadoPedido.CANCELADO


def test_the_real_clock_mode_fires_the_deadlines_the_wall_clock_passed(tmp_path):
    ruta = tmp_path / "real.db"
    with freeze_time("2026-03-02T09:00:00Z"):
        a = Almacen.abrir(ruta, T0, ModoReloj.REAL)
        pedido = _pedido(a)
        disputa = _cancelacion_del_cliente(a, pedido)
    try:
        assert disputa.vence_en == datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
        with freeze_time("2026-03-03T09:00:00Z"):
            assert servicios.ver_pedido(a, pedido.id, None).pedido.estado == EstadoPedido.EN_CONTROVERSIA

        with freeze_time("2026-03-05T09:00:00Z"):
            vista = servicios.ver_pedido(a, pedido.id, None)

        assert vista.reloj == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
        assert vista.pedido.estado == EstadoPedido.CANCELADO
        assert vista.disputas[0].resuelta_en == disputa.vence_en
        assert a.reloj()[1] == ModoReloj.REAL
    finally:
        a.cerrar()


def test_the_real_clock_mode_never_goes_back_from_a_clock_pushed_ahead(tmp_path):
    ruta = tmp_path / "real.db"
    adelante = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
    with freeze_time("2026-03-05T09:00:00Z"):
        a = Almacen.abrir(ruta, T0, ModoReloj.REAL)
        try:
            pedido = _pedido(a)
            assert pedido.creado_en == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
            r = servicios.tick(a, hasta=adelante)
            assert (r.reloj_anterior, r.reloj) == (datetime(2026, 3, 5, 9, 0, tzinfo=UTC), adelante)
            assert servicios.ver_pedido(a, pedido.id, None).reloj == adelante
            with pytest.raises(EntradaInvalida):
                servicios.tick(a, hasta=datetime(2026, 3, 20, tzinfo=UTC))
        finally:
            a.cerrar()
