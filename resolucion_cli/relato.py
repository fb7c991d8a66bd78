"""The sentences people read about what happened, written when they read them.

Events and messages store facts (`modelo.Hecho` and its `datos`); this module turns a fact
into Spanish in the reader's zone, so the same delivery reads the same day and hour on
every screen of that reader. Rows stored before facts existed keep their own sentence.
"""

from datetime import tzinfo

from .modelo import ETIQUETA_ESTADO, MOTIVOS, EstadoDisputa, EstadoPedido, Evento, Hecho, Mensaje, Resultado
from .reglas import dinero, etiqueta_accion
from .reloj import cantidad, desde_iso, legible


def detalle(evento: Evento, tz: tzinfo) -> str:
    """The history line of an event, in `tz`."""
    if evento.hecho is None:
        return evento.detalle
    frase = _FRASES[evento.hecho](evento.actor, evento.datos or {}, tz)
    # The other sentences open with a handle, which keeps its lowercase.
    return frase[:1].upper() + frase[1:] if evento.hecho == Hecho.SOLICITUD_VENCIDA else frase


def texto(mensaje: Mensaje, tz: tzinfo) -> str:
    """A message as its recipient reads it, in `tz`: which order, what happened, what was written."""
    if mensaje.hecho is None:
        return mensaje.texto
    datos = mensaje.datos or {}
    if mensaje.hecho == Hecho.SOLICITUD_ABIERTA:
        frase = f"{mensaje.de} te envió una solicitud: {_solicitud(datos, tz)}."
    elif mensaje.hecho == Hecho.MENSAJE:
        frase = f"{mensaje.de} te escribió: «{datos['mensaje']}»"
    else:
        frase = _FRASES[mensaje.hecho](mensaje.de, datos, tz)
    return f"Pedido #{mensaje.pedido}: {frase}{_escrito(datos)}"


def momento(valor: str, tz: tzinfo) -> str:
    """A stored instant (ISO UTC) as the reader's clock shows it."""
    return legible(desde_iso(valor), tz)


def _escrito(datos: dict) -> str:
    """What a party wrote along with the fact, quoted after it."""
    if "texto" in datos:
        etiqueta = "Actualización" if datos.get("estado") == EstadoDisputa.RESPONDIDA else "Comentario"
        return f" {etiqueta}: {datos['texto']}"
    if "comentario" in datos:
        return f" Comentario: {datos['comentario']}"
    return ""


def _accion(datos: dict) -> str:
    return etiqueta_accion(datos["tipo"], datos["rol"])


def _solicitud(datos: dict, tz: tzinfo) -> str:
    """The request's menu label and what it asks for."""
    accion = _accion(datos)
    if "motivo" in datos:
        return f"{accion} (motivo: {MOTIVOS[datos['motivo']]})"
    if "nueva_fecha_entrega" in datos:
        return f"{accion} (nueva entrega: {momento(datos['nueva_fecha_entrega'], tz)})"
    if "extras_centavos" in datos:
        dias = datos.get("extras_dias")
        plazo = f", con {dias_mas(dias)}" if dias else ""
        return f"{accion} ({datos['extras_descripcion']}: {dinero(datos['extras_centavos'])}{plazo})"
    if "reembolso_centavos" in datos:
        return f"{accion} ({dinero(datos['reembolso_centavos'])} para el cliente)"
    return accion


def reembolso(pedido) -> str | None:
    """An accepted partial refund as people read it on an order: who gets what (None without one)."""
    if pedido.reembolso_centavos is None:
        return None
    queda = dinero(pedido.precio_centavos - pedido.reembolso_centavos)
    return f"{dinero(pedido.reembolso_centavos)} al cliente; {pedido.freelancer} se queda {queda}"


def dias_mas(dias: int) -> str:
    """The days extras add to the delivery date: '1 día más de plazo', '3 días más de plazo'."""
    return f"{cantidad(dias, 'día', 'días')} más de plazo"


def _efecto(datos: dict, tz: tzinfo) -> str:
    """Where an ended request left the order."""
    if datos["pedido_estado"] == EstadoPedido.CANCELADO:
        partes = ["el pedido queda cancelado de mutuo acuerdo"]
    elif "reembolso_centavos" in datos:
        partes = [f"el pedido queda completado con un reembolso de {dinero(datos['reembolso_centavos'])} al cliente"]
    else:
        partes = [f"el pedido vuelve a «{ETIQUETA_ESTADO[EstadoPedido(datos['pedido_estado'])]}»"]
    if "fecha_entrega" in datos:
        partes.append(f"nueva entrega {momento(datos['fecha_entrega'], tz)}")
    if "precio_centavos" in datos:
        partes.append(f"nuevo precio {dinero(datos['precio_centavos'])}")
    return ", ".join(partes)


def _creado(actor: str, datos: dict, tz: tzinfo) -> str:
    return (
        f"{actor} encargó «{datos['titulo']}» a {datos['freelancer']} por {dinero(datos['precio_centavos'])}, "
        f"con entrega el {momento(datos['fecha_entrega'], tz)}."
    )


def _entregado(actor: str, datos: dict, tz: tzinfo) -> str:
    if "completar_en" not in datos:
        return f"{actor} entregó el pedido."
    return (
        f"{actor} entregó el pedido. Si {datos['cliente']} no responde, "
        f"se completará solo el {momento(datos['completar_en'], tz)}."
    )


def _completado(actor: str, datos: dict, tz: tzinfo) -> str:
    return f"{actor} aceptó la entrega: pedido completado."


def _completado_solo(actor: str, datos: dict, tz: tzinfo) -> str:
    return f"{datos['cliente']} no respondió a la entrega a tiempo: el pedido se completó automáticamente."


def _cancelado_por_retraso(actor: str, datos: dict, tz: tzinfo) -> str:
    return (
        f"{actor} canceló el pedido sin esperar respuesta: {datos['freelancer']} no lo entregó y la entrega "
        f"vencía el {momento(datos['fecha_entrega'], tz)}, hace más de 24 horas. Cancelado de mutuo acuerdo."
    )


def _abierta(actor: str, datos: dict, tz: tzinfo) -> str:
    return f"{actor} abrió una solicitud: {_solicitud(datos, tz)}."


_CONTESTADA = {
    EstadoDisputa.RESPONDIDA: "envió la actualización de",
    EstadoDisputa.ACEPTADA: "aceptó la solicitud",
    EstadoDisputa.RECHAZADA: "rechazó la solicitud",
}


def _contestada(actor: str, datos: dict, tz: tzinfo) -> str:
    return f"{actor} {_CONTESTADA[datos['estado']]} «{_accion(datos)}»: {_efecto(datos, tz)}."


def _revocada(actor: str, datos: dict, tz: tzinfo) -> str:
    return f"{actor} revocó su solicitud «{_accion(datos)}»: {_efecto(datos, tz)}."


def _vencida(actor: str, datos: dict, tz: tzinfo) -> str:
    resultado = datos["resultado"]
    if resultado == Resultado.PEDIDO_CANCELADO:
        consecuencia = "el pedido se canceló automáticamente: Cancelado de mutuo acuerdo"
    elif resultado == Resultado.SOLICITUD_REVOCADA:
        # The stored result keeps its JSON name (SPEC §6); on screen an expiry is never a revocation.
        consecuencia = "la solicitud venció: ni la fecha de entrega ni el precio cambian"
    elif resultado == Resultado.SOLICITUD_ACEPTADA:
        consecuencia = f"la solicitud se aceptó automáticamente: {_efecto(datos, tz)}"
    else:
        consecuencia = f"la solicitud venció y {_efecto(datos, tz)}"
    return f"venció el plazo de «{_accion(datos)}» ({datos['destinatario']} no respondió a tiempo): {consecuencia}."


def _escribio(actor: str, datos: dict, tz: tzinfo) -> str:
    return f"{actor} escribió a {datos['para']}: «{datos['mensaje']}»"


_FRASES = {
    Hecho.PEDIDO_CREADO: _creado,
    Hecho.PEDIDO_ENTREGADO: _entregado,
    Hecho.PEDIDO_COMPLETADO: _completado,
    Hecho.PEDIDO_COMPLETADO_SOLO: _completado_solo,
    Hecho.PEDIDO_CANCELADO_POR_RETRASO: _cancelado_por_retraso,
    Hecho.SOLICITUD_ABIERTA: _abierta,
    Hecho.SOLICITUD_CONTESTADA: _contestada,
    Hecho.SOLICITUD_REVOCADA: _revocada,
    Hecho.SOLICITUD_VENCIDA: _vencida,
    Hecho.MENSAJE: _escribio,
}
