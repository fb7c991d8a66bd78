"""The pure rules (no database): answering, revoking, expiry, deadlines, delivering and whole stories."""

# ruff: noqa: F405 (names from the star import of tests.unidad.casos)

from dataclasses import replace
from datetime import UTC, timedelta

import pytest

from resolucion_cli import reglas, relato
from resolucion_cli.errores import EntradaInvalida, NoPermitido, RechazadoPorRegla
from resolucion_cli.modelo import (
    ETIQUETA_ESTADO,
    SISTEMA,
    EstadoDisputa,
    EstadoPedido,
    Respuesta,
    Resultado,
    TipoDisputa,
)
from tests.conftest import T0
from tests.unidad.casos import *  # noqa: F403 (the cases of casos.__all__)

# --- answering --------------------------------------------------------------------------

# (caso, respuesta) -> request state, order state, delivery date, price
RESULTADOS = [
    (ACTUALIZACION, Respuesta.ACTUALIZACION, EstadoDisputa.RESPONDIDA, None, ENTREGA, PRECIO),
    (CANCELACION_CLIENTE, Respuesta.ACEPTAR, EstadoDisputa.ACEPTADA, EstadoPedido.CANCELADO, ENTREGA, PRECIO),
    (CANCELACION_CLIENTE, Respuesta.RECHAZAR, EstadoDisputa.RECHAZADA, None, ENTREGA, PRECIO),
    (CANCELACION_FREELANCER, Respuesta.ACEPTAR, EstadoDisputa.ACEPTADA, EstadoPedido.CANCELADO, ENTREGA, PRECIO),
    (CANCELACION_FREELANCER, Respuesta.RECHAZAR, EstadoDisputa.RECHAZADA, None, ENTREGA, PRECIO),
    (PRORROGA, Respuesta.ACEPTAR, EstadoDisputa.ACEPTADA, None, ENTREGA + timedelta(days=3), PRECIO),
    (PRORROGA, Respuesta.RECHAZAR, EstadoDisputa.RECHAZADA, None, ENTREGA, PRECIO),
    (EXTRAS, Respuesta.ACEPTAR, EstadoDisputa.ACEPTADA, None, ENTREGA + timedelta(days=2), PRECIO + 25_00),
    (EXTRAS, Respuesta.RECHAZAR, EstadoDisputa.RECHAZADA, None, ENTREGA, PRECIO),
]


@pytest.mark.parametrize(
    ("caso", "respuesta", "estado_disputa", "estado_pedido", "entrega", "precio"),
    RESULTADOS,
    ids=[f"{c}-{r}" for c, r, *_ in RESULTADOS],
)
@pytest.mark.parametrize("previo", ESTADOS_PREVIOS)
def test_each_answer_has_the_outcome_of_the_table(
    caso, respuesta, estado_disputa, estado_pedido, entrega, precio, previo
):
    p, d = abierta(caso, previo)
    ahora = T0 + timedelta(hours=5)

    decision = reglas.responder(p, d, caso.responde, respuesta, "Texto de la respuesta", ahora)

    assert decision.disputa.estado == estado_disputa
    assert decision.disputa.resuelta_en == ahora
    assert decision.disputa.resuelta_por == caso.responde
    assert decision.disputa.respuesta == "Texto de la respuesta"
    # None: the order goes back to the state it had before the request
    assert decision.pedido.estado == (estado_pedido or previo)
    assert decision.pedido.estado_anterior is None
    assert decision.pedido.fecha_entrega == entrega
    assert decision.pedido.precio_centavos == precio
    assert decision.resultado is None


def test_accepted_extras_without_extra_days_change_only_the_price():
    p, d = abierta(replace(EXTRAS, solicitud=replace(EXTRAS.solicitud, extras_dias=None)))

    decision = reglas.responder(p, d, CLIENTE, Respuesta.ACEPTAR, None, T0 + timedelta(hours=1))

    assert decision.pedido.precio_centavos == PRECIO + 25_00
    assert decision.pedido.fecha_entrega == ENTREGA
    assert decision.pedido.estado == EstadoPedido.ACTIVO


@pytest.mark.parametrize(("caso", "respuesta"), TODAS_LAS_RESPUESTAS, ids=lambda v: str(v))
def test_an_answer_sends_the_opener_a_message_with_its_text(caso, respuesta):
    p, d = abierta(caso)
    ahora = T0 + timedelta(hours=5)

    decision = reglas.responder(p, d, caso.responde, respuesta, "Ya casi está", ahora)

    (mensaje,) = decision.mensajes
    assert (mensaje.de, mensaje.para, mensaje.en, mensaje.disputa) == (caso.responde, caso.abre, ahora, 11)
    assert "Ya casi está" in relato.texto(mensaje, UTC)
    (evento,) = decision.eventos
    assert (evento.actor, evento.en, evento.disputa) == (caso.responde, ahora, 11)


@pytest.mark.parametrize("caso", [c for c in CASOS if c is not ACTUALIZACION], ids=str)
def test_an_answer_without_a_comment_leaves_the_response_empty(caso):
    p, d = abierta(caso)

    decision = reglas.responder(p, d, caso.responde, Respuesta.RECHAZAR, None, T0 + timedelta(hours=1))

    assert decision.disputa.respuesta is None
    assert "Comentario" not in relato.texto(decision.mensajes[0], UTC)


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_the_opener_may_not_answer_their_own_request(caso):
    p, d = abierta(caso)

    with pytest.raises(NoPermitido):
        reglas.responder(p, d, caso.abre, una_respuesta(caso), "x", T0 + timedelta(hours=1))


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_someone_outside_the_order_may_not_answer(caso):
    p, d = abierta(caso)

    with pytest.raises(NoPermitido):
        reglas.responder(p, d, AJENO, una_respuesta(caso), "x", T0 + timedelta(hours=1))


@pytest.mark.parametrize("respuesta", [Respuesta.ACEPTAR, Respuesta.RECHAZAR])
def test_an_update_request_is_answered_only_with_an_update(respuesta):
    p, d = abierta(ACTUALIZACION)

    with pytest.raises(EntradaInvalida) as error:
        reglas.responder(p, d, FREELANCER, respuesta, None, T0 + timedelta(hours=1))

    assert "--actualizacion" in error.value.mensaje


@pytest.mark.parametrize("caso", [CANCELACION_CLIENTE, CANCELACION_FREELANCER, PRORROGA, EXTRAS], ids=str)
def test_an_update_is_not_an_answer_to_an_accept_or_reject_request(caso):
    p, d = abierta(caso)

    with pytest.raises(EntradaInvalida) as error:
        reglas.responder(p, d, caso.responde, Respuesta.ACTUALIZACION, "Va bien", T0 + timedelta(hours=1))

    assert "--aceptar" in error.value.mensaje


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_a_request_already_answered_cannot_be_answered_again(caso):
    p, d = abierta(caso)
    hecho = reglas.responder(p, d, caso.responde, caso.respuestas[-1], "x", T0 + timedelta(hours=1))

    with pytest.raises(RechazadoPorRegla):
        reglas.responder(hecho.pedido, hecho.disputa, caso.responde, caso.respuestas[-1], "x", T0 + timedelta(hours=2))
    with pytest.raises(RechazadoPorRegla):
        reglas.revocar(hecho.pedido, hecho.disputa, caso.abre, None, T0 + timedelta(hours=2))


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_only_the_other_party_may_answer_and_only_while_the_request_is_open(caso):
    p, d = abierta(caso)

    reglas.exigir_destinatario(p, d, caso.responde, d.vence_en - UN_SEGUNDO)  # no error
    with pytest.raises(NoPermitido):
        reglas.exigir_destinatario(p, d, caso.abre, d.vence_en - UN_SEGUNDO)
    with pytest.raises(NoPermitido):
        reglas.exigir_destinatario(p, d, AJENO, d.vence_en)
    with pytest.raises(RechazadoPorRegla):
        reglas.exigir_destinatario(p, d, caso.responde, d.vence_en)


# --- revoking ---------------------------------------------------------------------------


@pytest.mark.parametrize("caso", CASOS, ids=str)
@pytest.mark.parametrize("previo", ESTADOS_PREVIOS)
def test_the_opener_revokes_and_the_order_returns_to_its_previous_state(caso, previo):
    p, d = abierta(caso, previo)
    ahora = T0 + timedelta(hours=3)

    decision = reglas.revocar(p, d, caso.abre, "Ya no hace falta", ahora)

    assert decision.disputa.estado == EstadoDisputa.REVOCADA
    assert decision.disputa.resuelta_por == caso.abre
    assert decision.disputa.resuelta_en == ahora
    assert decision.pedido.estado == previo
    assert decision.pedido.estado_anterior is None
    assert decision.pedido.fecha_entrega == ENTREGA
    assert decision.pedido.precio_centavos == PRECIO


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_revoking_sends_the_comment_to_the_other_party(caso):
    p, d = abierta(caso)
    ahora = T0 + timedelta(hours=3)

    decision = reglas.revocar(p, d, caso.abre, "Lo hablamos por chat", ahora)

    (mensaje,) = decision.mensajes
    assert (mensaje.de, mensaje.para, mensaje.en, mensaje.disputa) == (caso.abre, caso.responde, ahora, 11)
    assert "Lo hablamos por chat" in relato.texto(mensaje, UTC)


def test_revoking_without_a_comment_sends_a_notice_without_one():
    p, d = abierta(PRORROGA)

    (mensaje,) = reglas.revocar(p, d, FREELANCER, None, T0 + timedelta(hours=3)).mensajes

    assert mensaje.para == CLIENTE
    assert "Comentario" not in relato.texto(mensaje, UTC)


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_only_the_opener_may_revoke(caso):
    p, d = abierta(caso)

    with pytest.raises(NoPermitido):
        reglas.revocar(p, d, caso.responde, None, T0 + timedelta(hours=1))
    with pytest.raises(NoPermitido):
        reglas.revocar(p, d, AJENO, None, T0 + timedelta(hours=1))


# --- expiry -----------------------------------------------------------------------------

# caso -> order state after expiry (None: its previous state)
VENCIMIENTOS = [
    (ACTUALIZACION, Resultado.PEDIDO_RESTAURADO, None),
    (CANCELACION_CLIENTE, Resultado.PEDIDO_CANCELADO, EstadoPedido.CANCELADO),
    (CANCELACION_FREELANCER, Resultado.PEDIDO_CANCELADO, EstadoPedido.CANCELADO),
    (PRORROGA, Resultado.SOLICITUD_REVOCADA, None),
    (EXTRAS, Resultado.SOLICITUD_REVOCADA, None),
]


@pytest.mark.parametrize(("caso", "resultado", "estado_pedido"), VENCIMIENTOS, ids=[str(v[0]) for v in VENCIMIENTOS])
@pytest.mark.parametrize("previo", ESTADOS_PREVIOS)
def test_an_unanswered_request_expires_with_the_outcome_of_the_table(caso, resultado, estado_pedido, previo):
    p, d = abierta(caso, previo)

    decision = reglas.vencer(p, d)

    assert decision.resultado == resultado
    assert decision.disputa.estado == EstadoDisputa.VENCIDA
    assert decision.disputa.resuelta_por == SISTEMA
    assert decision.disputa.resuelta_en == d.vence_en
    assert decision.pedido.estado == (estado_pedido or previo)
    assert decision.pedido.estado_anterior is None
    # neither the delivery date nor the price changes on expiry
    assert decision.pedido.fecha_entrega == ENTREGA
    assert decision.pedido.precio_centavos == PRECIO


def test_unanswered_cancellation_cancels_the_order():
    p, d = abierta(CANCELACION_CLIENTE)

    decision = reglas.vencer(p, d)

    assert decision.pedido.estado == EstadoPedido.CANCELADO
    assert ETIQUETA_ESTADO[decision.pedido.estado] == "Cancelado de mutuo acuerdo"
    assert "Cancelado de mutuo acuerdo" in relato.texto(decision.mensajes[0], UTC)


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_expiry_sends_a_notice_from_sistema_to_both_parties(caso):
    p, d = abierta(caso)

    decision = reglas.vencer(p, d)

    assert sorted(m.para for m in decision.mensajes) == sorted([CLIENTE, FREELANCER])
    for mensaje in decision.mensajes:
        assert (mensaje.de, mensaje.en, mensaje.disputa, mensaje.pedido) == (SISTEMA, d.vence_en, 11, 7)
    (evento,) = decision.eventos
    assert (evento.actor, evento.en, evento.tipo) == (SISTEMA, d.vence_en, "disputa_vencida")


def test_expiry_happens_at_the_deadline_whatever_the_clock_says():
    p, d = abierta(PRORROGA, ahora=T0 + timedelta(minutes=17, seconds=3))

    decision = reglas.vencer(p, d)

    assert decision.disputa.resuelta_en == T0 + timedelta(hours=96, minutes=17, seconds=3)


# --- deadline edges ---------------------------------------------------------------------

BORDES = [(-1, True), (0, False), (1, False)]
BORDE_IDS = ["vence_en-1s", "vence_en", "vence_en+1s"]


@pytest.mark.parametrize("caso", CASOS, ids=str)
@pytest.mark.parametrize(("segundos", "abierta_aun"), BORDES, ids=BORDE_IDS)
def test_a_request_can_be_answered_only_before_its_deadline(caso, segundos, abierta_aun):
    p, d = abierta(caso)
    ahora = d.vence_en + timedelta(seconds=segundos)

    if abierta_aun:
        decision = reglas.responder(p, d, caso.responde, una_respuesta(caso), "x", ahora)
        assert decision.disputa.estado != EstadoDisputa.ABIERTA
        assert decision.disputa.resuelta_en == ahora
    else:
        with pytest.raises(RechazadoPorRegla):
            reglas.responder(p, d, caso.responde, una_respuesta(caso), "x", ahora)


@pytest.mark.parametrize("caso", CASOS, ids=str)
@pytest.mark.parametrize(("segundos", "abierta_aun"), BORDES, ids=BORDE_IDS)
def test_a_request_can_be_revoked_only_before_its_deadline(caso, segundos, abierta_aun):
    p, d = abierta(caso)
    ahora = d.vence_en + timedelta(seconds=segundos)

    if abierta_aun:
        assert reglas.revocar(p, d, caso.abre, None, ahora).disputa.estado == EstadoDisputa.REVOCADA
    else:
        with pytest.raises(RechazadoPorRegla):
            reglas.revocar(p, d, caso.abre, None, ahora)


@pytest.mark.parametrize("caso", CASOS, ids=str)
@pytest.mark.parametrize(("segundos", "abierta_aun"), BORDES, ids=BORDE_IDS)
def test_a_request_is_open_strictly_before_its_deadline_and_expired_from_it(caso, segundos, abierta_aun):
    _, d = abierta(caso)
    ahora = d.vence_en + timedelta(seconds=segundos)

    assert reglas.esta_abierta(d, ahora) is abierta_aun


@pytest.mark.parametrize(
    "estado",
    [
        EstadoDisputa.RESPONDIDA,
        EstadoDisputa.ACEPTADA,
        EstadoDisputa.RECHAZADA,
        EstadoDisputa.REVOCADA,
        EstadoDisputa.VENCIDA,
    ],
)
def test_a_closed_request_is_never_open(estado):
    _, d = abierta(CANCELACION_CLIENTE)
    cerrada = replace(d, estado=estado)

    for ahora in (T0, d.vence_en - UN_SEGUNDO, d.vence_en, d.vence_en + UN_SEGUNDO):
        assert reglas.esta_abierta(cerrada, ahora) is False


# --- atrasado ---------------------------------------------------------------------------


@pytest.mark.parametrize(("segundos", "esperado"), [(-1, False), (0, True), (1, True)], ids=["-1s", "0", "+1s"])
def test_an_active_order_is_late_from_its_delivery_date_on(segundos, esperado):
    ahora = ENTREGA + timedelta(seconds=segundos)

    assert reglas.atrasado(pedido(), ahora) is esperado


@pytest.mark.parametrize(("segundos", "esperado"), [(-1, False), (0, True), (1, True)], ids=["-1s", "0", "+1s"])
def test_an_order_in_dispute_from_active_is_late_from_its_delivery_date_on(segundos, esperado):
    en_controversia, _ = abierta(ACTUALIZACION)

    assert reglas.atrasado(en_controversia, ENTREGA + timedelta(seconds=segundos)) is esperado


@pytest.mark.parametrize(
    "p",
    [
        pedido(EstadoPedido.ENTREGADO),
        pedido(EstadoPedido.COMPLETADO),
        pedido(EstadoPedido.CANCELADO),
        pedido(EstadoPedido.EN_CONTROVERSIA, estado_anterior=EstadoPedido.ENTREGADO),
    ],
    ids=["entregado", "completado", "cancelado", "en_controversia-from-entregado"],
)
def test_an_order_that_owes_no_delivery_is_never_late(p):
    assert reglas.atrasado(p, ENTREGA + timedelta(days=30)) is False


# --- plazos -----------------------------------------------------------------------------


def test_an_active_order_without_a_request_has_only_its_delivery_deadline():
    (plazo,) = reglas.plazos(pedido(), None)

    assert (plazo.pedido, plazo.disputa, plazo.tipo, plazo.vence_en, plazo.responde) == (
        7,
        None,
        "entrega",
        ENTREGA,
        FREELANCER,
    )


def test_a_late_active_order_still_lists_its_delivery_deadline():
    late = pedido(fecha_entrega=T0 - timedelta(days=1))

    assert [p.tipo for p in reglas.plazos(late, None)] == ["entrega"]


@pytest.mark.parametrize("estado", [EstadoPedido.ENTREGADO, EstadoPedido.COMPLETADO, EstadoPedido.CANCELADO])
def test_an_order_owing_no_delivery_and_no_request_has_no_deadlines(estado):
    assert reglas.plazos(pedido(estado), None) == []


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_a_request_deadline_is_listed_with_who_must_answer_soonest_first(caso):
    p, d = abierta(caso)

    plazos = reglas.plazos(p, d)

    # the request's deadline (48 h / 96 h) comes before the delivery in 7 days
    assert [(x.tipo, x.disputa, x.vence_en, x.responde) for x in plazos] == [
        (str(caso.solicitud.tipo), 11, d.vence_en, caso.responde),
        ("entrega", None, ENTREGA, FREELANCER),
    ]


def test_deadlines_are_sorted_when_the_delivery_comes_first():
    p = pedido(fecha_entrega=T0 + timedelta(hours=10))
    decision = reglas.abrir(p, CLIENTE, ACTUALIZACION.solicitud, T0)
    d = replace(decision.disputa, id=11)

    assert [x.tipo for x in reglas.plazos(decision.pedido, d)] == ["entrega", "actualizacion"]


def test_a_request_on_a_delivered_order_is_the_only_deadline():
    p, d = abierta(CANCELACION_CLIENTE, EstadoPedido.ENTREGADO)

    assert [(x.tipo, x.responde) for x in reglas.plazos(p, d)] == [("cancelacion", FREELANCER)]


# --- entregar / completar ---------------------------------------------------------------


def test_the_freelancer_delivers_an_active_order():
    nuevo, evento = reglas.entregar(pedido(), FREELANCER, T0)

    assert nuevo.estado == EstadoPedido.ENTREGADO
    assert (evento.pedido, evento.actor, evento.en) == (7, FREELANCER, T0)


@pytest.mark.parametrize("usuario", [CLIENTE, AJENO])
@pytest.mark.parametrize("estado", [EstadoPedido.ACTIVO, EstadoPedido.COMPLETADO])
def test_only_the_freelancer_may_deliver(usuario, estado):
    with pytest.raises(NoPermitido):
        reglas.entregar(pedido(estado), usuario, T0)


@pytest.mark.parametrize(
    "p",
    [
        pedido(EstadoPedido.ENTREGADO),
        pedido(EstadoPedido.COMPLETADO),
        pedido(EstadoPedido.CANCELADO),
        pedido(EstadoPedido.EN_CONTROVERSIA, estado_anterior=EstadoPedido.ACTIVO),
    ],
    ids=["entregado", "completado", "cancelado", "en_controversia"],
)
def test_only_an_active_order_can_be_delivered(p):
    with pytest.raises(RechazadoPorRegla):
        reglas.entregar(p, FREELANCER, T0)


def test_the_client_completes_a_delivered_order():
    nuevo, evento = reglas.completar(pedido(EstadoPedido.ENTREGADO), CLIENTE, T0)

    assert nuevo.estado == EstadoPedido.COMPLETADO
    assert (evento.pedido, evento.actor, evento.en) == (7, CLIENTE, T0)


@pytest.mark.parametrize("usuario", [FREELANCER, AJENO])
@pytest.mark.parametrize("estado", [EstadoPedido.ENTREGADO, EstadoPedido.CANCELADO])
def test_only_the_client_may_complete(usuario, estado):
    with pytest.raises(NoPermitido):
        reglas.completar(pedido(estado), usuario, T0)


@pytest.mark.parametrize(
    "p",
    [
        pedido(EstadoPedido.ACTIVO),
        pedido(EstadoPedido.COMPLETADO),
        pedido(EstadoPedido.CANCELADO),
        pedido(EstadoPedido.EN_CONTROVERSIA, estado_anterior=EstadoPedido.ENTREGADO),
    ],
    ids=["activo", "completado", "cancelado", "en_controversia"],
)
def test_only_a_delivered_order_can_be_completed(p):
    with pytest.raises(RechazadoPorRegla):
        reglas.completar(p, CLIENTE, T0)


# --- acciones_disponibles ---------------------------------------------------------------


def test_the_client_is_offered_an_update_or_a_cancellation():
    acciones = reglas.acciones_disponibles(pedido(), CLIENTE, T0)

    assert list(acciones.items()) == [
        (TipoDisputa.ACTUALIZACION, "Obtener una actualización del pedido"),
        (TipoDisputa.CANCELACION, "Solicitar que se cancele el pedido"),
    ]


def test_the_freelancer_is_offered_a_cancellation_an_extension_or_extras():
    acciones = reglas.acciones_disponibles(pedido(EstadoPedido.ENTREGADO), FREELANCER, T0)

    assert list(acciones.items()) == [
        (TipoDisputa.CANCELACION, "Solicitar a tu cliente que cancele el pedido"),
        (TipoDisputa.PRORROGA, "Solicitar una prórroga de la fecha de entrega"),
        (TipoDisputa.EXTRAS, "Ofrecer extras"),
    ]


def test_someone_outside_the_order_is_offered_nothing():
    with pytest.raises(NoPermitido):
        reglas.acciones_disponibles(pedido(EstadoPedido.COMPLETADO), AJENO, T0)


def test_no_action_is_offered_on_a_completed_order_and_support_is_named():
    with pytest.raises(RechazadoPorRegla) as error:
        reglas.acciones_disponibles(pedido(EstadoPedido.COMPLETADO), CLIENTE, T0)

    assert "Atención al cliente" in error.value.mensaje


@pytest.mark.parametrize("usuario", [CLIENTE, FREELANCER])
def test_no_action_is_offered_on_a_cancelled_order_or_one_in_dispute(usuario):
    with pytest.raises(RechazadoPorRegla):
        reglas.acciones_disponibles(pedido(EstadoPedido.CANCELADO), usuario, T0)
    with pytest.raises(RechazadoPorRegla):
        reglas.acciones_disponibles(abierta(ACTUALIZACION)[0], usuario, T0)


# --- whole stories ----------------------------------------------------------------------


@pytest.mark.parametrize("previo", ESTADOS_PREVIOS)
def test_an_order_remembers_its_state_across_two_requests_in_a_row(previo):
    p, d = abierta(ACTUALIZACION, previo)
    p = reglas.responder(p, d, FREELANCER, Respuesta.ACTUALIZACION, "Listo al 80 %", T0 + timedelta(hours=1)).pedido
    segunda = reglas.abrir(p, FREELANCER, PRORROGA.solicitud, T0 + timedelta(hours=2))

    assert segunda.pedido.estado_anterior == previo
    final = reglas.vencer(segunda.pedido, replace(segunda.disputa, id=12))
    assert final.pedido.estado == previo
    assert final.pedido.fecha_entrega == ENTREGA


def test_money_reads_in_spanish_format():
    assert reglas.dinero(1234567) == "US$ 12.345,67"
    assert reglas.dinero(5) == "US$ 0,05"
