"""The rules only `aceptacion-automatica` has (issue 13), pure: partial refunds and the
client's cancellation of a very late order, each at its edges."""

# ruff: noqa: F405 (names from the star import of tests.unidad.casos)

from dataclasses import replace
from datetime import timedelta

import pytest

from resolucion_cli import reglas, relato
from resolucion_cli.errores import EntradaInvalida, NoPermitido, RechazadoPorRegla
from resolucion_cli.modelo import EstadoDisputa, EstadoPedido, Hecho, Respuesta, Resultado, TipoDisputa
from resolucion_cli.reglas import ACEPTACION_AUTOMATICA, CLASICA, Solicitud
from tests.conftest import T0
from tests.unidad.casos import *  # noqa: F403 (the cases of casos.__all__)

UTC_ = T0.tzinfo


def reembolso(centavos: int | None = 40_00, **cambios) -> Solicitud:
    return Solicitud(TipoDisputa.REEMBOLSO_PARCIAL, reembolso_centavos=centavos, **cambios)


def ofrecer(p=None, centavos=40_00, ahora=T0, precio_original=None):
    return reglas.abrir(
        p or pedido(), FREELANCER, reembolso(centavos), ahora, ACEPTACION_AUTOMATICA, None, precio_original
    )


# --- partial refunds: who, where, how much ---------------------------------------------


def test_a_partial_refund_is_a_freelancer_request_answered_by_the_client_within_48_hours():
    decision = ofrecer()

    d = decision.disputa
    assert (d.tipo, d.abierta_por, d.destinatario, d.reembolso_centavos) == (
        TipoDisputa.REEMBOLSO_PARCIAL,
        FREELANCER,
        CLIENTE,
        40_00,
    )
    assert d.vence_en == T0 + timedelta(hours=48)
    assert d.politica == "aceptacion-automatica"
    assert decision.pedido.estado == EstadoPedido.EN_CONTROVERSIA
    (mensaje,) = decision.mensajes
    assert mensaje.para == CLIENTE and mensaje.datos["reembolso_centavos"] == 40_00


def test_the_classic_rules_have_no_partial_refunds_and_say_which_rules_do():
    with pytest.raises(RechazadoPorRegla) as error:
        reglas.abrir(pedido(), FREELANCER, reembolso(), T0, CLASICA)

    assert "«clasica»" in error.value.mensaje and "aceptacion-automatica" in error.value.mensaje


def test_a_client_may_not_offer_a_partial_refund_whatever_the_rules():
    for politica in (CLASICA, ACEPTACION_AUTOMATICA):
        with pytest.raises(NoPermitido) as error:
            reglas.abrir(pedido(), CLIENTE, reembolso(), T0, politica)
        assert "reembolso_parcial" not in error.value.mensaje.split("puedes abrir:")[1]


@pytest.mark.parametrize(("precio", "admite"), [(50_00, False), (50_01, True)])
def test_only_orders_over_50_dollars_admit_a_partial_refund(precio, admite):
    p = pedido(precio_centavos=precio)
    if admite:
        assert ofrecer(p, 5_00).disputa is not None
    else:
        with pytest.raises(RechazadoPorRegla) as error:
            ofrecer(p, 5_00)
        assert "US$ 50,00" in error.value.mensaje


def test_the_50_dollars_are_of_the_original_price_without_the_extras_accepted_since():
    p = pedido(precio_centavos=70_00)
    with pytest.raises(RechazadoPorRegla):
        ofrecer(p, 5_00, precio_original=45_00)


@pytest.mark.parametrize(("centavos", "cabe"), [(60_00, True), (60_01, False)])
def test_a_refund_is_at_most_60_percent_of_the_order_price(centavos, cabe):
    if cabe:
        assert ofrecer(pedido(), centavos).disputa.reembolso_centavos == centavos
    else:
        with pytest.raises(EntradaInvalida) as error:
            ofrecer(pedido(), centavos)
        assert "US$ 60,00" in error.value.mensaje


def test_the_60_percent_is_of_the_original_price_and_rounds_down_to_the_cent():
    # US$ 100 now, of which US$ 30 are accepted extras: at most 60 % of US$ 70.
    with pytest.raises(EntradaInvalida):
        ofrecer(pedido(), 42_01, precio_original=70_00)
    assert ofrecer(pedido(), 42_00, precio_original=70_00).disputa is not None
    assert reglas.reembolso_maximo(pedido(precio_centavos=50_01)) == 30_00  # 3000.6 cents


def test_a_refund_without_an_amount_is_missing_input_and_an_amount_elsewhere_does_not_fit():
    with pytest.raises(EntradaInvalida, match="Falta --importe"):
        ofrecer(pedido(), None)
    with pytest.raises(EntradaInvalida, match="--importe solo se usa"):
        reglas.abrir(
            pedido(),
            FREELANCER,
            replace(EXTRAS.solicitud, reembolso_centavos=10_00),
            T0,
            ACEPTACION_AUTOMATICA,
        )


def test_a_rule_refusal_beats_an_amount_over_the_limit():
    # A US$ 40 order is not eligible at all: that is said, not that US$ 30 is over 60 %.
    with pytest.raises(RechazadoPorRegla):
        ofrecer(pedido(precio_centavos=40_00), 30_00)


@pytest.mark.parametrize("estado", [EstadoPedido.COMPLETADO, EstadoPedido.CANCELADO])
def test_a_closed_order_gets_no_partial_refund(estado):
    with pytest.raises(RechazadoPorRegla):
        ofrecer(pedido(estado))


# --- partial refunds: how they end -------------------------------------------------------


def _abierto(previo=EstadoPedido.ACTIVO, **cambios):
    p = pedido(previo, **cambios)
    decision = ofrecer(p)
    return decision.pedido, replace(decision.disputa, id=3)


@pytest.mark.parametrize("previo", ESTADOS_PREVIOS)
def test_an_accepted_refund_completes_the_order_and_records_the_refund(previo):
    p, d = _abierto(previo, completar_en=T0 + timedelta(days=3) if previo == EstadoPedido.ENTREGADO else None)

    decision = reglas.responder(p, d, CLIENTE, Respuesta.ACEPTAR, "Vale", T0 + timedelta(hours=1))

    assert decision.disputa.estado == EstadoDisputa.ACEPTADA
    assert decision.pedido.estado == EstadoPedido.COMPLETADO
    assert decision.pedido.reembolso_centavos == 40_00
    assert decision.pedido.precio_centavos == PRECIO
    assert decision.pedido.completar_en is None  # nothing is left to complete by itself
    assert decision.eventos[0].datos["reembolso_centavos"] == 40_00


@pytest.mark.parametrize("previo", ESTADOS_PREVIOS)
def test_a_rejected_or_revoked_refund_puts_the_order_back_without_a_refund(previo):
    p, d = _abierto(previo)
    rechazada = reglas.responder(p, d, CLIENTE, Respuesta.RECHAZAR, None, T0 + timedelta(hours=1))
    revocada = reglas.revocar(p, d, FREELANCER, None, T0 + timedelta(hours=1))

    for decision in (rechazada, revocada):
        assert decision.pedido.estado == previo
        assert decision.pedido.reembolso_centavos is None


def test_a_refund_is_answered_with_accept_or_reject_only():
    p, d = _abierto()
    with pytest.raises(EntradaInvalida):
        reglas.responder(p, d, CLIENTE, Respuesta.ACTUALIZACION, "texto", T0 + timedelta(hours=1))


def test_an_unanswered_refund_is_open_one_second_before_48_hours_and_accepted_at_them():
    p, d = _abierto()
    vence = T0 + timedelta(hours=48)

    assert reglas.esta_abierta(d, vence - UN_SEGUNDO)
    assert not reglas.esta_abierta(d, vence)
    with pytest.raises(RechazadoPorRegla):
        reglas.responder(p, d, CLIENTE, Respuesta.RECHAZAR, None, vence)
    decision = reglas.vencer(p, d)
    assert (decision.disputa.estado, decision.resultado) == (EstadoDisputa.ACEPTADA, Resultado.SOLICITUD_ACEPTADA)
    assert decision.disputa.resuelta_en == vence
    assert (decision.pedido.estado, decision.pedido.reembolso_centavos) == (EstadoPedido.COMPLETADO, 40_00)


def test_the_history_tells_the_refund_in_words():
    p, d = _abierto()
    abierta = ofrecer().eventos[0]
    vencida = reglas.vencer(p, d).eventos[0]

    assert (
        relato.detalle(abierta, UTC_)
        == "beto abrió una solicitud: Ofrecer un reembolso parcial (US$ 40,00 para el cliente)."
    )
    assert "el pedido queda completado con un reembolso de US$ 40,00 al cliente" in relato.detalle(vencida, UTC_)


# --- the other types keep their classic ending -----------------------------------------


def test_extras_are_withdrawn_after_96_hours_as_in_the_classic_rules():
    decision = reglas.abrir(pedido(), FREELANCER, EXTRAS.solicitud, T0, ACEPTACION_AUTOMATICA)
    d = replace(decision.disputa, id=4)

    assert d.vence_en == T0 + timedelta(hours=96)
    assert reglas.esta_abierta(d, d.vence_en - UN_SEGUNDO)
    vencida = reglas.vencer(decision.pedido, d)
    assert (vencida.disputa.estado, vencida.resultado) == (EstadoDisputa.VENCIDA, Resultado.SOLICITUD_REVOCADA)
    assert (vencida.pedido.precio_centavos, vencida.pedido.fecha_entrega) == (PRECIO, ENTREGA)


def test_an_extension_left_unanswered_for_48_hours_is_accepted_and_moves_the_delivery_date():
    decision = reglas.abrir(pedido(), FREELANCER, PRORROGA.solicitud, T0, ACEPTACION_AUTOMATICA)
    d = replace(decision.disputa, id=4)

    assert d.vence_en == T0 + timedelta(hours=48)
    assert reglas.esta_abierta(d, d.vence_en - UN_SEGUNDO)
    assert not reglas.esta_abierta(d, d.vence_en)
    vencida = reglas.vencer(decision.pedido, d)
    assert (vencida.disputa.estado, vencida.resultado) == (EstadoDisputa.ACEPTADA, Resultado.SOLICITUD_ACEPTADA)
    assert vencida.pedido.fecha_entrega == PRORROGA.solicitud.nueva_fecha_entrega


@pytest.mark.parametrize("caso", [CANCELACION_CLIENTE, CANCELACION_FREELANCER], ids=str)
def test_an_unanswered_cancellation_is_accepted_at_48_hours(caso):
    decision = reglas.abrir(pedido(), caso.abre, caso.solicitud, T0, ACEPTACION_AUTOMATICA)
    vencida = reglas.vencer(decision.pedido, replace(decision.disputa, id=5))

    assert vencida.disputa.resuelta_en == T0 + timedelta(hours=48)
    assert (vencida.disputa.estado, vencida.pedido.estado) == (EstadoDisputa.ACEPTADA, EstadoPedido.CANCELADO)


# --- the client's cancellation of a very late order ------------------------------------

MUY_TARDE = ENTREGA + timedelta(hours=24)


def _cancelar(ahora, p=None, politica=ACEPTACION_AUTOMATICA, quien=CLIENTE, solicitud=None):
    return reglas.abrir(p or pedido(), quien, solicitud or CANCELACION_CLIENTE.solicitud, ahora, politica)


def test_one_second_before_24_hours_late_a_cancellation_is_an_ordinary_request():
    decision = _cancelar(MUY_TARDE - UN_SEGUNDO)

    assert decision.disputa is not None
    assert decision.disputa.vence_en == MUY_TARDE - UN_SEGUNDO + timedelta(hours=48)
    assert decision.pedido.estado == EstadoPedido.EN_CONTROVERSIA


@pytest.mark.parametrize("despues", [timedelta(0), UN_SEGUNDO, timedelta(days=30)])
def test_from_24_hours_late_the_client_cancels_at_once(despues):
    ahora = MUY_TARDE + despues
    decision = _cancelar(ahora)

    assert decision.disputa is None
    assert decision.pedido.estado == EstadoPedido.CANCELADO
    assert decision.pedido.estado_anterior is None
    (evento,) = decision.eventos
    assert (evento.en, evento.actor, evento.tipo, evento.hecho) == (
        ahora,
        CLIENTE,
        "pedido_cancelado",
        Hecho.PEDIDO_CANCELADO_POR_RETRASO,
    )
    (aviso,) = decision.mensajes
    assert (aviso.de, aviso.para, aviso.en) == (CLIENTE, FREELANCER, ahora)
    texto = relato.texto(aviso, UTC_)
    assert "ana canceló el pedido sin esperar respuesta" in texto
    assert texto.endswith("Comentario: Ya no necesito el logo")


def test_a_very_late_cancellation_still_needs_the_clients_comment():
    with pytest.raises(EntradaInvalida):
        _cancelar(MUY_TARDE, solicitud=Solicitud(TipoDisputa.CANCELACION))


@pytest.mark.parametrize(
    "situacion",
    ["clasica", "freelancer", "entregado", "en_controversia"],
)
def test_only_the_client_of_an_undelivered_order_under_these_rules_cancels_at_once(situacion):
    ahora = MUY_TARDE + timedelta(days=1)
    if situacion == "clasica":
        decision = _cancelar(ahora, politica=CLASICA)
        assert decision.disputa is not None
    elif situacion == "freelancer":
        decision = _cancelar(ahora, quien=FREELANCER, solicitud=CANCELACION_FREELANCER.solicitud)
        assert decision.disputa is not None
    elif situacion == "entregado":
        decision = _cancelar(ahora, p=pedido(EstadoPedido.ENTREGADO))
        assert decision.disputa is not None and decision.pedido.estado == EstadoPedido.EN_CONTROVERSIA
    else:
        p, _ = abierta(ACTUALIZACION)
        with pytest.raises(RechazadoPorRegla, match="ya tiene una solicitud abierta"):
            _cancelar(ahora, p=p)


def test_lateness_counts_from_the_delivery_date_an_accepted_extension_set():
    movida = pedido(fecha_entrega=ENTREGA + timedelta(days=3))
    assert _cancelar(MUY_TARDE + timedelta(days=1), p=movida).disputa is not None
    assert _cancelar(MUY_TARDE + timedelta(days=3), p=movida).disputa is None


def test_the_client_menu_names_the_cancellation_for_what_it_does_from_24_hours_late():
    antes = reglas.acciones_disponibles(pedido(), CLIENTE, MUY_TARDE - UN_SEGUNDO, ACEPTACION_AUTOMATICA)
    despues = reglas.acciones_disponibles(pedido(), CLIENTE, MUY_TARDE, ACEPTACION_AUTOMATICA)

    assert antes[TipoDisputa.CANCELACION] == "Solicitar que se cancele el pedido"
    assert despues[TipoDisputa.CANCELACION] == reglas.CANCELAR_POR_RETRASO
    clasica = reglas.acciones_disponibles(pedido(), CLIENTE, MUY_TARDE, CLASICA)
    assert clasica[TipoDisputa.CANCELACION] == "Solicitar que se cancele el pedido"


def test_the_freelancer_menu_offers_a_refund_only_where_the_rules_and_the_order_allow_one():
    automatica = reglas.acciones_disponibles(pedido(), FREELANCER, T0, ACEPTACION_AUTOMATICA)
    barato = reglas.acciones_disponibles(pedido(precio_centavos=50_00), FREELANCER, T0, ACEPTACION_AUTOMATICA)
    clasica = reglas.acciones_disponibles(pedido(), FREELANCER, T0, CLASICA)

    assert automatica[TipoDisputa.REEMBOLSO_PARCIAL] == "Ofrecer un reembolso parcial"
    assert TipoDisputa.REEMBOLSO_PARCIAL not in barato
    assert TipoDisputa.REEMBOLSO_PARCIAL not in clasica
