"""The domain objects: orders, requests, events, messages and deadlines.

Plain frozen dataclasses with aware UTC datetimes; they import nothing from storage or UI.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

SISTEMA = "sistema"


def cambiar(objeto, **cambios):
    """A copy with some fields changed: `dataclasses.replace` without its per-call field
    introspection, which dominated a tick firing thousands of deadlines."""
    return type(objeto)(**{**vars(objeto), **cambios})


class EstadoPedido(StrEnum):
    ACTIVO = "activo"
    ENTREGADO = "entregado"
    EN_CONTROVERSIA = "en_controversia"
    COMPLETADO = "completado"
    CANCELADO = "cancelado"


# The most a `--limite` may ask for; the lists' default is 50.
LIMITE_MAXIMO = 10_000

# The short name of what a deadline is about, as lists show it (a request type or the delivery).
TIPO_CORTO = {
    "actualizacion": "Actualización",
    "cancelacion": "Cancelación",
    "prorroga": "Prórroga",
    "extras": "Extras",
    "reembolso_parcial": "Reembolso parcial",
    "entrega": "Entrega",
    "aceptar_entrega": "Aceptar la entrega",
}

ETIQUETA_ESTADO = {
    EstadoPedido.ACTIVO: "Activo",
    EstadoPedido.ENTREGADO: "Entregado",
    EstadoPedido.EN_CONTROVERSIA: "En controversia",
    EstadoPedido.COMPLETADO: "Completado",
    EstadoPedido.CANCELADO: "Cancelado de mutuo acuerdo",
}


class EstadoDisputa(StrEnum):
    ABIERTA = "abierta"
    RESPONDIDA = "respondida"
    ACEPTADA = "aceptada"
    RECHAZADA = "rechazada"
    REVOCADA = "revocada"
    VENCIDA = "vencida"


ETIQUETA_ESTADO_DISPUTA = {
    EstadoDisputa.ABIERTA: "Abierta",
    EstadoDisputa.RESPONDIDA: "Respondida",
    EstadoDisputa.ACEPTADA: "Aceptada",
    EstadoDisputa.RECHAZADA: "Rechazada",
    EstadoDisputa.REVOCADA: "Revocada",
    EstadoDisputa.VENCIDA: "Vencida",
}


class TipoDisputa(StrEnum):
    ACTUALIZACION = "actualizacion"
    CANCELACION = "cancelacion"
    PRORROGA = "prorroga"
    EXTRAS = "extras"
    # Only under the rule set `aceptacion-automatica`.
    REEMBOLSO_PARCIAL = "reembolso_parcial"


class Rol(StrEnum):
    CLIENTE = "cliente"
    FREELANCER = "freelancer"


class Resultado(StrEnum):
    """What an expired request did to its order (the `resultado` of a processed deadline)."""

    PEDIDO_RESTAURADO = "pedido_restaurado"
    PEDIDO_CANCELADO = "pedido_cancelado"
    SOLICITUD_REVOCADA = "solicitud_revocada"
    # Only under the rule set `aceptacion-automatica`:
    SOLICITUD_ACEPTADA = "solicitud_aceptada"
    PEDIDO_COMPLETADO = "pedido_completado"


class Respuesta(StrEnum):
    ACEPTAR = "aceptar"
    RECHAZAR = "rechazar"
    ACTUALIZACION = "actualizacion"


MOTIVOS = {
    "cliente_no_responde": "El cliente no responde",
    "cliente_lo_pidio": "El cliente me pidió cancelar",
    "fuera_de_alcance": "El cliente pidió trabajo fuera del alcance del pedido",
    "no_puedo_completar": "No puedo completar el pedido",
    "informacion_insuficiente": "El cliente no envió la información necesaria",
    "otro": "Otro motivo",
}


@dataclass(frozen=True)
class Pedido:
    id: int
    titulo: str
    cliente: str
    freelancer: str
    estado: EstadoPedido
    precio_centavos: int
    fecha_entrega: datetime
    creado_en: datetime
    # The state to go back to when the open request ends; set only while en_controversia.
    estado_anterior: EstadoPedido | None = None
    # When a delivered order completes by itself if the client does not answer (rule sets
    # with automatic completion only); None otherwise.
    completar_en: datetime | None = None
    # What an accepted partial refund gave back to the client; the freelancer keeps the rest.
    reembolso_centavos: int | None = None


@dataclass(frozen=True)
class Disputa:
    id: int | None
    pedido: int
    tipo: TipoDisputa
    estado: EstadoDisputa
    abierta_por: str
    rol: Rol
    destinatario: str
    creada_en: datetime
    vence_en: datetime
    motivo: str | None = None
    comentario: str | None = None
    respuesta: str | None = None
    resuelta_en: datetime | None = None
    resuelta_por: str | None = None
    nueva_fecha_entrega: datetime | None = None
    extras_centavos: int | None = None
    extras_descripcion: str | None = None
    extras_dias: int | None = None
    # The rule set it was opened under: it decides how the request ends, whatever changes later.
    politica: str = "clasica"
    # The amount a partial refund offers (type `reembolso_parcial` only).
    reembolso_centavos: int | None = None


class Hecho(StrEnum):
    """What an event or a message records; `relato` writes its sentence when someone reads it."""

    PEDIDO_CREADO = "pedido_creado"
    PEDIDO_ENTREGADO = "pedido_entregado"
    PEDIDO_COMPLETADO = "pedido_completado"
    PEDIDO_COMPLETADO_SOLO = "pedido_completado_solo"
    # The client cancelled a very late order without the freelancer's consent.
    PEDIDO_CANCELADO_POR_RETRASO = "pedido_cancelado_por_retraso"
    SOLICITUD_ABIERTA = "solicitud_abierta"
    SOLICITUD_CONTESTADA = "solicitud_contestada"
    SOLICITUD_REVOCADA = "solicitud_revocada"
    SOLICITUD_VENCIDA = "solicitud_vencida"
    MENSAJE = "mensaje"


@dataclass(frozen=True)
class Evento:
    pedido: int
    en: datetime
    actor: str
    tipo: str
    # The sentence stored by versions before facts; empty when `hecho` says what happened.
    detalle: str
    disputa: int | None = None
    hecho: Hecho | None = None
    # The fact's own data: handles, amounts, and instants as ISO UTC strings.
    datos: dict | None = None


@dataclass(frozen=True)
class Mensaje:
    pedido: int
    de: str
    para: str
    # As `Evento.detalle`: the stored sentence of older rows, empty when `hecho` is set.
    texto: str
    en: datetime
    disputa: int | None = None
    id: int | None = None
    hecho: Hecho | None = None
    datos: dict | None = None


@dataclass(frozen=True)
class Plazo:
    """Something someone must do by `vence_en`: answer a request, or deliver (`tipo` "entrega")."""

    pedido: int
    disputa: int | None
    tipo: str
    vence_en: datetime
    responde: str
