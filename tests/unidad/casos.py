"""The orders and requests the rule tests are built on: one `Caso` per type of request."""

from dataclasses import dataclass, replace
from datetime import timedelta

from resolucion_cli import reglas
from resolucion_cli.modelo import (
    Disputa,
    EstadoPedido,
    Pedido,
    Respuesta,
    Resultado,
    TipoDisputa,
)
from resolucion_cli.reglas import Solicitud
from tests.conftest import T0

# What the two halves of the rule tests (test_reglas_apertura, test_reglas_respuestas) share.
__all__ = [
    "CLIENTE", "FREELANCER", "AJENO", "PRECIO", "ENTREGA", "UN_SEGUNDO", "pedido", "Caso",
    "ACTUALIZACION", "CANCELACION_CLIENTE", "CANCELACION_FREELANCER", "PRORROGA", "EXTRAS",
    "CASOS", "TODAS_LAS_RESPUESTAS", "ESTADOS_PREVIOS", "abierta", "una_respuesta",
]  # fmt: skip

CLIENTE = "ana"
FREELANCER = "beto"
AJENO = "carla"
PRECIO = 100_00
ENTREGA = T0 + timedelta(days=7)
UN_SEGUNDO = timedelta(seconds=1)


def pedido(estado=EstadoPedido.ACTIVO, **cambios) -> Pedido:
    base = Pedido(
        id=7,
        titulo="Logo",
        cliente=CLIENTE,
        freelancer=FREELANCER,
        estado=estado,
        precio_centavos=PRECIO,
        fecha_entrega=ENTREGA,
        creado_en=T0 - timedelta(days=1),
    )
    return replace(base, **cambios)


@dataclass(frozen=True)
class Caso:
    """One row of SPEC §3 (cancelacion split by who opens it)."""

    nombre: str
    abre: str
    responde: str
    solicitud: Solicitud
    plazo: timedelta
    respuestas: tuple[Respuesta, ...]
    al_vencer: Resultado

    def __str__(self):
        return self.nombre


ACTUALIZACION = Caso(
    "actualizacion",
    CLIENTE,
    FREELANCER,
    Solicitud(TipoDisputa.ACTUALIZACION, comentario="¿Cómo va el logo?"),
    timedelta(hours=48),
    (Respuesta.ACTUALIZACION,),
    Resultado.PEDIDO_RESTAURADO,
)
CANCELACION_CLIENTE = Caso(
    "cancelacion_cliente",
    CLIENTE,
    FREELANCER,
    Solicitud(TipoDisputa.CANCELACION, comentario="Ya no necesito el logo"),
    timedelta(hours=48),
    (Respuesta.ACEPTAR, Respuesta.RECHAZAR),
    Resultado.PEDIDO_CANCELADO,
)
CANCELACION_FREELANCER = Caso(
    "cancelacion_freelancer",
    FREELANCER,
    CLIENTE,
    Solicitud(TipoDisputa.CANCELACION, motivo="no_puedo_completar", comentario="Me he quedado sin tiempo"),
    timedelta(hours=48),
    (Respuesta.ACEPTAR, Respuesta.RECHAZAR),
    Resultado.PEDIDO_CANCELADO,
)
PRORROGA = Caso(
    "prorroga",
    FREELANCER,
    CLIENTE,
    Solicitud(
        TipoDisputa.PRORROGA, comentario="Necesito unos días más", nueva_fecha_entrega=ENTREGA + timedelta(days=3)
    ),
    timedelta(hours=96),
    (Respuesta.ACEPTAR, Respuesta.RECHAZAR),
    Resultado.SOLICITUD_REVOCADA,
)
EXTRAS = Caso(
    "extras",
    FREELANCER,
    CLIENTE,
    Solicitud(
        TipoDisputa.EXTRAS,
        comentario="Te lo dejo en vectorial",
        extras_centavos=25_00,
        extras_descripcion="Versión vectorial",
        extras_dias=2,
    ),
    timedelta(hours=96),
    (Respuesta.ACEPTAR, Respuesta.RECHAZAR),
    Resultado.SOLICITUD_REVOCADA,
)
CASOS = [ACTUALIZACION, CANCELACION_CLIENTE, CANCELACION_FREELANCER, PRORROGA, EXTRAS]
TODAS_LAS_RESPUESTAS = [(caso, r) for caso in CASOS for r in caso.respuestas]
ESTADOS_PREVIOS = [EstadoPedido.ACTIVO, EstadoPedido.ENTREGADO]


def abierta(caso: Caso, previo=EstadoPedido.ACTIVO, ahora=T0) -> tuple[Pedido, Disputa]:
    """The order and the request right after `caso` was opened at `ahora` (the store gives id 11)."""
    decision = reglas.abrir(pedido(previo), caso.abre, caso.solicitud, ahora)
    return decision.pedido, replace(decision.disputa, id=11)


def una_respuesta(caso: Caso) -> Respuesta:
    return caso.respuestas[0]
