"""The pure rules (no database): opening a request, the order of errors, the opening message."""

# ruff: noqa: F405 (names from the star import of tests.unidad.casos)

from dataclasses import replace
from datetime import UTC, timedelta

import pytest

from resolucion_cli import reglas, relato
from resolucion_cli.errores import EntradaInvalida, NoPermitido, RechazadoPorRegla
from resolucion_cli.modelo import MOTIVOS, SISTEMA, EstadoDisputa, EstadoPedido, Respuesta, Rol, TipoDisputa
from resolucion_cli.reglas import Solicitud
from tests.conftest import T0
from tests.unidad.casos import *  # noqa: F403 (the cases of casos.__all__)

# --- opening: who, deadline, state ------------------------------------------------------


@pytest.mark.parametrize("caso", CASOS, ids=str)
@pytest.mark.parametrize("previo", ESTADOS_PREVIOS)
def test_the_party_the_table_names_opens_the_request_and_the_order_goes_into_dispute(caso, previo):
    decision = reglas.abrir(pedido(previo), caso.abre, caso.solicitud, T0)

    d = decision.disputa
    assert d.tipo == caso.solicitud.tipo
    assert d.estado == EstadoDisputa.ABIERTA
    assert d.abierta_por == caso.abre
    assert d.rol == (Rol.CLIENTE if caso.abre == CLIENTE else Rol.FREELANCER)
    assert d.destinatario == caso.responde
    assert d.creada_en == T0
    assert (d.respuesta, d.resuelta_en, d.resuelta_por) == (None, None, None)
    assert decision.pedido.estado == EstadoPedido.EN_CONTROVERSIA
    assert decision.pedido.estado_anterior == previo
    assert decision.pedido.fecha_entrega == ENTREGA
    assert decision.pedido.precio_centavos == PRECIO


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_the_request_keeps_what_the_opener_asked_for(caso):
    d = reglas.abrir(pedido(), caso.abre, caso.solicitud, T0).disputa

    s = caso.solicitud
    assert (d.motivo, d.comentario, d.nueva_fecha_entrega) == (s.motivo, s.comentario, s.nueva_fecha_entrega)
    assert (d.extras_centavos, d.extras_descripcion, d.extras_dias) == (
        s.extras_centavos,
        s.extras_descripcion,
        s.extras_dias,
    )


@pytest.mark.parametrize(
    ("caso", "horas"),
    [(ACTUALIZACION, 48), (CANCELACION_CLIENTE, 48), (CANCELACION_FREELANCER, 48), (PRORROGA, 96), (EXTRAS, 96)],
    ids=str,
)
def test_each_request_type_has_the_deadline_of_the_table(caso, horas):
    d = reglas.abrir(pedido(), caso.abre, caso.solicitud, T0).disputa

    assert d.vence_en == T0 + timedelta(hours=horas)
    assert reglas.PLAZOS[caso.solicitud.tipo] == timedelta(hours=horas)


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_someone_outside_the_order_may_not_open_any_request(caso):
    with pytest.raises(NoPermitido):
        reglas.abrir(pedido(), AJENO, caso.solicitud, T0)


@pytest.mark.parametrize(
    ("usuario", "solicitud"),
    [
        (FREELANCER, ACTUALIZACION.solicitud),
        (CLIENTE, PRORROGA.solicitud),
        (CLIENTE, EXTRAS.solicitud),
        (CLIENTE, Solicitud(TipoDisputa.PRORROGA, nueva_fecha_entrega=ENTREGA + timedelta(days=1))),
        (CLIENTE, Solicitud(TipoDisputa.EXTRAS, extras_centavos=100, extras_descripcion="x")),
        (FREELANCER, Solicitud(TipoDisputa.ACTUALIZACION)),
    ],
    ids=[
        "freelancer-actualizacion",
        "cliente-prorroga",
        "cliente-extras",
        "cliente-prorroga-sola",
        "cliente-extras-solos",
        "freelancer-actualizacion-sin-comentario",
    ],
)
def test_a_role_may_not_open_a_type_the_table_does_not_give_it(usuario, solicitud):
    with pytest.raises(NoPermitido):
        reglas.abrir(pedido(), usuario, solicitud, T0)


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_a_completed_order_is_refused_and_sent_to_customer_support(caso):
    with pytest.raises(RechazadoPorRegla) as error:
        reglas.abrir(pedido(EstadoPedido.COMPLETADO), caso.abre, caso.solicitud, T0)

    assert "Atención al cliente" in error.value.mensaje


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_a_cancelled_order_cannot_use_the_resolution_center(caso):
    with pytest.raises(RechazadoPorRegla):
        reglas.abrir(pedido(EstadoPedido.CANCELADO), caso.abre, caso.solicitud, T0)


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_an_order_has_at_most_one_open_request(caso):
    en_controversia, _ = abierta(ACTUALIZACION)

    with pytest.raises(RechazadoPorRegla) as error:
        reglas.abrir(en_controversia, caso.abre, caso.solicitud, T0 + timedelta(hours=1))

    assert "ya tiene una solicitud abierta" in error.value.mensaje


# --- opening: options that must fit the type ---------------------------------------------


@pytest.mark.parametrize(
    ("usuario", "solicitud"),
    [
        (CLIENTE, Solicitud(TipoDisputa.ACTUALIZACION, motivo="otro", comentario="x")),
        (CLIENTE, Solicitud(TipoDisputa.CANCELACION, motivo="cliente_no_responde", comentario="x")),
        (FREELANCER, replace(PRORROGA.solicitud, motivo="no_puedo_completar")),
        (FREELANCER, replace(EXTRAS.solicitud, motivo="no_puedo_completar")),
    ],
    ids=["actualizacion", "cancelacion-cliente", "prorroga", "extras"],
)
def test_a_reason_is_only_for_a_freelancer_cancellation(usuario, solicitud):
    with pytest.raises(EntradaInvalida) as error:
        reglas.abrir(pedido(), usuario, solicitud, T0)

    assert "--motivo" in error.value.mensaje


@pytest.mark.parametrize("caso", [ACTUALIZACION, CANCELACION_CLIENTE, CANCELACION_FREELANCER, EXTRAS], ids=str)
def test_a_new_delivery_date_is_only_for_an_extension(caso):
    solicitud = replace(caso.solicitud, nueva_fecha_entrega=ENTREGA + timedelta(days=3))

    with pytest.raises(EntradaInvalida) as error:
        reglas.abrir(pedido(), caso.abre, solicitud, T0)

    assert "--nueva-entrega" in error.value.mensaje


@pytest.mark.parametrize("caso", [ACTUALIZACION, CANCELACION_CLIENTE, CANCELACION_FREELANCER, PRORROGA], ids=str)
@pytest.mark.parametrize(
    "extra",
    [{"extras_centavos": 500}, {"extras_descripcion": "Más colores"}, {"extras_dias": 2}],
    ids=["precio", "descripcion", "dias"],
)
def test_extras_fields_are_only_for_an_extras_offer(caso, extra):
    solicitud = replace(caso.solicitud, **extra)

    with pytest.raises(EntradaInvalida) as error:
        reglas.abrir(pedido(), caso.abre, solicitud, T0)

    assert "--extras" in error.value.mensaje


@pytest.mark.parametrize("comentario", [None, ""], ids=["none", "empty"])
def test_a_client_cancellation_requires_a_comment(comentario):
    solicitud = Solicitud(TipoDisputa.CANCELACION, comentario=comentario)

    with pytest.raises(EntradaInvalida) as error:
        reglas.abrir(pedido(), CLIENTE, solicitud, T0)

    assert "--comentario" in error.value.mensaje


def test_a_freelancer_cancellation_requires_a_reason():
    with pytest.raises(EntradaInvalida) as error:
        reglas.abrir(pedido(), FREELANCER, Solicitud(TipoDisputa.CANCELACION, comentario="x"), T0)

    assert "--motivo" in error.value.mensaje


@pytest.mark.parametrize("motivo", [m for m in MOTIVOS if m != "otro"])
def test_a_freelancer_cancellation_with_a_listed_reason_needs_no_comment(motivo):
    decision = reglas.abrir(pedido(), FREELANCER, Solicitud(TipoDisputa.CANCELACION, motivo=motivo), T0)

    assert decision.disputa.motivo == motivo
    assert decision.disputa.comentario is None
    assert MOTIVOS[motivo] in relato.texto(decision.mensajes[0], UTC)


@pytest.mark.parametrize("comentario", [None, ""], ids=["none", "empty"])
def test_the_reason_otro_requires_a_comment(comentario):
    with pytest.raises(EntradaInvalida):
        reglas.abrir(pedido(), FREELANCER, Solicitud(TipoDisputa.CANCELACION, motivo="otro", comentario=comentario), T0)


def test_the_reason_otro_with_a_comment_is_accepted():
    solicitud = Solicitud(TipoDisputa.CANCELACION, motivo="otro", comentario="Me mudo")

    decision = reglas.abrir(pedido(), FREELANCER, solicitud, T0)

    assert decision.disputa.motivo == "otro"
    assert decision.disputa.comentario == "Me mudo"


def test_the_freelancer_reasons_are_the_fixed_list_of_the_spec():
    assert MOTIVOS == {
        "cliente_no_responde": "El cliente no responde",
        "cliente_lo_pidio": "El cliente me pidió cancelar",
        "fuera_de_alcance": "El cliente pidió trabajo fuera del alcance del pedido",
        "no_puedo_completar": "No puedo completar el pedido",
        "informacion_insuficiente": "El cliente no envió la información necesaria",
        "otro": "Otro motivo",
    }


def test_an_extension_requires_a_new_date():
    with pytest.raises(EntradaInvalida) as error:
        reglas.abrir(pedido(), FREELANCER, Solicitud(TipoDisputa.PRORROGA), T0)

    assert "--nueva-entrega" in error.value.mensaje


@pytest.mark.parametrize(
    "nueva", [ENTREGA, ENTREGA - UN_SEGUNDO, ENTREGA - timedelta(days=3)], ids=["same", "1s-before", "3d-before"]
)
def test_an_extension_must_be_later_than_the_current_delivery_date(nueva):
    with pytest.raises(EntradaInvalida):
        reglas.abrir(pedido(), FREELANCER, Solicitud(TipoDisputa.PRORROGA, nueva_fecha_entrega=nueva), T0)


@pytest.mark.parametrize("nueva", [T0 - UN_SEGUNDO, T0], ids=["before-clock", "at-clock"])
def test_an_extension_must_be_later_than_the_clock(nueva):
    late = pedido(fecha_entrega=T0 - timedelta(days=2))

    with pytest.raises(EntradaInvalida):
        reglas.abrir(late, FREELANCER, Solicitud(TipoDisputa.PRORROGA, nueva_fecha_entrega=nueva), T0)


def test_an_extension_one_second_after_the_clock_on_a_late_order_is_accepted():
    late = pedido(fecha_entrega=T0 - timedelta(days=2))

    d = reglas.abrir(late, FREELANCER, Solicitud(TipoDisputa.PRORROGA, nueva_fecha_entrega=T0 + UN_SEGUNDO), T0).disputa

    assert d.nueva_fecha_entrega == T0 + UN_SEGUNDO


def test_an_extension_one_second_after_the_delivery_date_is_accepted():
    d = reglas.abrir(
        pedido(), FREELANCER, Solicitud(TipoDisputa.PRORROGA, nueva_fecha_entrega=ENTREGA + UN_SEGUNDO), T0
    )

    assert d.disputa.nueva_fecha_entrega == ENTREGA + UN_SEGUNDO


@pytest.mark.parametrize(
    "cambios",
    [{"extras_centavos": None}, {"extras_descripcion": None}, {"extras_descripcion": ""}],
    ids=["no-price", "no-description", "empty-description"],
)
def test_an_extras_offer_requires_a_price_and_a_description(cambios):
    with pytest.raises(EntradaInvalida):
        reglas.abrir(pedido(), FREELANCER, replace(EXTRAS.solicitud, **cambios), T0)


def test_extra_days_are_optional_in_an_extras_offer():
    d = reglas.abrir(pedido(), FREELANCER, replace(EXTRAS.solicitud, extras_dias=None), T0).disputa

    assert d.extras_dias is None
    assert d.extras_centavos == 25_00


# --- the order of errors (SPEC §7) ----------------------------------------------------


@pytest.mark.parametrize("estado", [EstadoPedido.COMPLETADO, EstadoPedido.CANCELADO, EstadoPedido.EN_CONTROVERSIA])
def test_a_non_party_on_a_closed_or_busy_order_is_told_it_is_not_allowed(estado):
    with pytest.raises(NoPermitido):
        reglas.abrir(pedido(estado), AJENO, CANCELACION_CLIENTE.solicitud, T0)


def test_a_non_party_with_options_that_do_not_fit_is_told_it_is_not_allowed_first():
    bad = Solicitud(TipoDisputa.ACTUALIZACION, motivo="otro", nueva_fecha_entrega=ENTREGA, extras_centavos=1)

    with pytest.raises(NoPermitido):
        reglas.abrir(pedido(EstadoPedido.COMPLETADO), AJENO, bad, T0)


def test_a_role_opening_a_type_it_lacks_on_a_completed_order_is_not_allowed_before_the_rule():
    with pytest.raises(NoPermitido):
        reglas.abrir(pedido(EstadoPedido.COMPLETADO), CLIENTE, PRORROGA.solicitud, T0)


@pytest.mark.parametrize("estado", [EstadoPedido.COMPLETADO, EstadoPedido.CANCELADO, EstadoPedido.EN_CONTROVERSIA])
@pytest.mark.parametrize(
    ("usuario", "solicitud"),
    [
        (CLIENTE, Solicitud(TipoDisputa.CANCELACION)),  # comment missing
        (CLIENTE, Solicitud(TipoDisputa.ACTUALIZACION, motivo="otro")),  # option that does not fit
        (FREELANCER, Solicitud(TipoDisputa.PRORROGA, nueva_fecha_entrega=T0 - timedelta(days=30))),
        (FREELANCER, Solicitud(TipoDisputa.EXTRAS)),
    ],
    ids=["no-comment", "motivo-on-update", "past-extension", "no-extras"],
)
def test_a_rule_refusal_beats_input_that_does_not_fit_the_type(estado, usuario, solicitud):
    with pytest.raises(RechazadoPorRegla):
        reglas.abrir(pedido(estado), usuario, solicitud, T0)


def test_a_non_party_answering_an_expired_request_with_a_wrong_answer_is_not_allowed():
    p, d = abierta(ACTUALIZACION)

    with pytest.raises(NoPermitido):
        reglas.responder(p, d, AJENO, Respuesta.ACEPTAR, None, d.vence_en + UN_SEGUNDO)


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_the_opener_answering_their_own_expired_request_is_not_allowed(caso):
    p, d = abierta(caso)

    with pytest.raises(NoPermitido):
        reglas.responder(p, d, caso.abre, Respuesta.RECHAZAR, None, d.vence_en)


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_a_wrong_answer_to_an_expired_request_is_refused_by_the_rule_first(caso):
    p, d = abierta(caso)
    equivocada = Respuesta.ACEPTAR if caso is ACTUALIZACION else Respuesta.ACTUALIZACION

    with pytest.raises(RechazadoPorRegla):
        reglas.responder(p, d, caso.responde, equivocada, "x", d.vence_en)


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_the_other_party_revoking_an_expired_request_is_not_allowed(caso):
    p, d = abierta(caso)

    with pytest.raises(NoPermitido):
        reglas.revocar(p, d, caso.responde, None, d.vence_en + UN_SEGUNDO)
    with pytest.raises(NoPermitido):
        reglas.revocar(p, d, AJENO, None, d.vence_en + UN_SEGUNDO)


# --- the opening message ----------------------------------------------------------------


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_opening_sends_the_other_party_one_message_with_the_comment(caso):
    decision = reglas.abrir(pedido(), caso.abre, caso.solicitud, T0)

    (mensaje,) = decision.mensajes
    assert (mensaje.pedido, mensaje.de, mensaje.para, mensaje.en) == (7, caso.abre, caso.responde, T0)
    assert caso.solicitud.comentario in relato.texto(mensaje, UTC)
    assert SISTEMA not in (mensaje.de, mensaje.para)


def test_opening_without_a_comment_sends_a_message_without_one():
    decision = reglas.abrir(pedido(), CLIENTE, Solicitud(TipoDisputa.ACTUALIZACION), T0)

    (mensaje,) = decision.mensajes
    assert mensaje.para == FREELANCER
    assert "Comentario" not in relato.texto(mensaje, UTC)
    assert "Obtener una actualización del pedido" in relato.texto(mensaje, UTC)


@pytest.mark.parametrize("caso", CASOS, ids=str)
def test_opening_records_an_event_by_the_opener(caso):
    decision = reglas.abrir(pedido(), caso.abre, caso.solicitud, T0)

    (evento,) = decision.eventos
    assert (evento.pedido, evento.actor, evento.en, evento.tipo) == (7, caso.abre, T0, "disputa_abierta")
