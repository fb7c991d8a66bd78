"""Every rule of the Resolution Center (SPEC §1–§3), as pure functions.

Each function takes the order, the request, the acting user and `ahora` (the database
clock) and returns a `Decision`: the order and request after the change, and the events
and messages it produces. Nothing here reads a clock, a file or the terminal.

Checks run in the order of SPEC §7: not allowed (4), then refused by a rule (1), then
input that does not fit the request type (2). Malformed input and missing rows are
caught before these functions are called.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from .errores import EntradaInvalida, NoPermitido, RechazadoPorRegla
from .modelo import (
    ETIQUETA_ESTADO,
    MOTIVOS,
    SISTEMA,
    Disputa,
    EstadoDisputa,
    EstadoPedido,
    Evento,
    Mensaje,
    Pedido,
    Plazo,
    Respuesta,
    Resultado,
    Rol,
    TipoDisputa,
    cambiar,
)
from .reloj import cantidad


@dataclass(frozen=True)
class Politica:
    """A rule set, as data: deadlines, what an unanswered request does, automatic completion."""

    nombre: str
    plazos: Mapping[TipoDisputa, timedelta]
    # For each type: the state an unanswered request ends in, and what it does to the order.
    al_vencer: Mapping[TipoDisputa, tuple[EstadoDisputa, Resultado]]
    # A delivered order the client leaves unanswered this long completes by itself.
    completar_tras: timedelta | None = None

    def con_plazos(self, cambios: Mapping[TipoDisputa, timedelta]) -> "Politica":
        """The same rule set with some deadlines overridden (`init --plazo TIPO=DURACION`)."""
        return cambiar(self, plazos={**self.plazos, **cambios})


CLASICA = Politica(
    nombre="clasica",
    plazos={
        TipoDisputa.ACTUALIZACION: timedelta(hours=48),
        TipoDisputa.CANCELACION: timedelta(hours=48),
        TipoDisputa.PRORROGA: timedelta(hours=96),
        TipoDisputa.EXTRAS: timedelta(hours=96),
    },
    al_vencer={
        TipoDisputa.ACTUALIZACION: (EstadoDisputa.VENCIDA, Resultado.PEDIDO_RESTAURADO),
        TipoDisputa.CANCELACION: (EstadoDisputa.VENCIDA, Resultado.PEDIDO_CANCELADO),
        TipoDisputa.PRORROGA: (EstadoDisputa.VENCIDA, Resultado.SOLICITUD_REVOCADA),
        TipoDisputa.EXTRAS: (EstadoDisputa.VENCIDA, Resultado.SOLICITUD_REVOCADA),
    },
)
ACEPTACION_AUTOMATICA = Politica(
    nombre="aceptacion-automatica",
    plazos={tipo: timedelta(hours=48) for tipo in TipoDisputa},
    al_vencer={
        TipoDisputa.ACTUALIZACION: (EstadoDisputa.VENCIDA, Resultado.PEDIDO_RESTAURADO),
        TipoDisputa.CANCELACION: (EstadoDisputa.ACEPTADA, Resultado.PEDIDO_CANCELADO),
        TipoDisputa.PRORROGA: (EstadoDisputa.ACEPTADA, Resultado.SOLICITUD_ACEPTADA),
        TipoDisputa.EXTRAS: (EstadoDisputa.ACEPTADA, Resultado.SOLICITUD_ACEPTADA),
    },
    completar_tras=timedelta(days=3),
)
POLITICAS = {p.nombre: p for p in (CLASICA, ACEPTACION_AUTOMATICA)}
# New completions can only appear this long after whatever produced them (tick relies on it).
MINIMO_COMPLETAR = min(p.completar_tras for p in POLITICAS.values() if p.completar_tras)
PLAZOS = CLASICA.plazos

# The labels of SPEC §1, in the order the menus show them.
ACCIONES = {
    Rol.CLIENTE: {
        TipoDisputa.ACTUALIZACION: "Obtener una actualización del pedido",
        TipoDisputa.CANCELACION: "Solicitar que se cancele el pedido",
    },
    Rol.FREELANCER: {
        TipoDisputa.CANCELACION: "Solicitar a tu cliente que cancele el pedido",
        TipoDisputa.PRORROGA: "Solicitar una prórroga de la fecha de entrega",
        TipoDisputa.EXTRAS: "Ofrecer extras",
    },
}

# Which answers each type accepts (SPEC §3 "answer" column).
RESPUESTAS = {
    TipoDisputa.ACTUALIZACION: (Respuesta.ACTUALIZACION,),
    TipoDisputa.CANCELACION: (Respuesta.ACEPTAR, Respuesta.RECHAZAR),
    TipoDisputa.PRORROGA: (Respuesta.ACEPTAR, Respuesta.RECHAZAR),
    TipoDisputa.EXTRAS: (Respuesta.ACEPTAR, Respuesta.RECHAZAR),
}


@dataclass(frozen=True)
class Solicitud:
    """What the opener asks for; the fields that do not apply to `tipo` stay None."""

    tipo: TipoDisputa
    motivo: str | None = None
    comentario: str | None = None
    # A duration (`--nueva-entrega 7d`) until the service counts it from the clock.
    nueva_fecha_entrega: datetime | timedelta | None = None
    extras_centavos: int | None = None
    extras_descripcion: str | None = None
    extras_dias: int | None = None


@dataclass(frozen=True)
class Decision:
    pedido: Pedido
    disputa: Disputa | None
    eventos: tuple[Evento, ...]
    mensajes: tuple[Mensaje, ...]
    resultado: Resultado | None = None


def dinero(centavos: int) -> str:
    """Cents as the Spanish-formatted amount people read: 1234567 -> 'US$ 12.345,67'."""
    unidades, resto = divmod(centavos, 100)
    return f"US$ {unidades:,}".replace(",", ".") + f",{resto:02d}"


def rol_de(pedido: Pedido, usuario: str) -> Rol | None:
    if usuario == pedido.cliente:
        return Rol.CLIENTE
    if usuario == pedido.freelancer:
        return Rol.FREELANCER
    return None


def otra_parte(pedido: Pedido, usuario: str) -> str:
    return pedido.freelancer if usuario == pedido.cliente else pedido.cliente


def exigir_parte(pedido: Pedido, usuario: str) -> Rol:
    rol = rol_de(pedido, usuario)
    if rol is None:
        raise NoPermitido(
            f"«{usuario}» no es parte del pedido #{pedido.id}: solo {pedido.cliente} (cliente) y "
            f"{pedido.freelancer} (freelancer) pueden actuar en él."
        )
    return rol


def atrasado(pedido: Pedido, ahora: datetime) -> bool:
    """Late: delivery still owed (active, or in dispute from active) and its date reached."""
    return entrega_pendiente(pedido) and pedido.fecha_entrega <= ahora


def entrega_pendiente(pedido: Pedido) -> bool:
    return pedido.estado == EstadoPedido.ACTIVO or (
        pedido.estado == EstadoPedido.EN_CONTROVERSIA and pedido.estado_anterior == EstadoPedido.ACTIVO
    )


def esta_abierta(disputa: Disputa, ahora: datetime) -> bool:
    """Open while the clock is before `vence_en`; at `vence_en` exactly it has expired."""
    return disputa.estado == EstadoDisputa.ABIERTA and ahora < disputa.vence_en


def etiqueta_accion(tipo: TipoDisputa, rol: Rol) -> str:
    return ACCIONES[rol][tipo]


def acciones_disponibles(pedido: Pedido, usuario: str) -> dict[TipoDisputa, str]:
    """The request types the user may open on this order right now, with their menu labels."""
    rol = exigir_parte(pedido, usuario)
    _exigir_centro_disponible(pedido)
    return dict(ACCIONES[rol])


# --- orders ---------------------------------------------------------------------------


def entregar(pedido: Pedido, usuario: str, ahora: datetime, politica: Politica = CLASICA) -> tuple[Pedido, Evento]:
    if exigir_parte(pedido, usuario) != Rol.FREELANCER:
        raise NoPermitido(f"Solo el freelancer del pedido #{pedido.id} ({pedido.freelancer}) puede entregarlo.")
    if pedido.estado != EstadoPedido.ACTIVO:
        raise RechazadoPorRegla(_no_en_estado(pedido, "entregar", "activo"))
    completar_en = ahora + politica.completar_tras if politica.completar_tras else None
    nuevo = cambiar(pedido, estado=EstadoPedido.ENTREGADO, completar_en=completar_en)
    detalle = f"{usuario} entregó el pedido."
    if completar_en:
        detalle += f" Si {pedido.cliente} no responde, se completará solo el {completar_en:%Y-%m-%d %H:%M} UTC."
    return nuevo, Evento(pedido.id, ahora, usuario, "pedido_entregado", detalle)


def completar(pedido: Pedido, usuario: str, ahora: datetime, politica: Politica = CLASICA) -> tuple[Pedido, Evento]:
    if exigir_parte(pedido, usuario) != Rol.CLIENTE:
        raise NoPermitido(f"Solo el cliente del pedido #{pedido.id} ({pedido.cliente}) puede aceptar la entrega.")
    if pedido.estado != EstadoPedido.ENTREGADO:
        raise RechazadoPorRegla(_no_en_estado(pedido, "completar", "entregado"))
    nuevo = cambiar(pedido, estado=EstadoPedido.COMPLETADO, completar_en=None)
    return nuevo, Evento(
        pedido.id, ahora, usuario, "pedido_completado", f"{usuario} aceptó la entrega: pedido completado."
    )


def completar_solo(pedido: Pedido) -> Decision:
    """A delivered order the client left unanswered completes by itself at `completar_en`."""
    en = pedido.completar_en
    nuevo = cambiar(pedido, estado=EstadoPedido.COMPLETADO, completar_en=None)
    texto = (
        f"Pedido #{pedido.id}: {pedido.cliente} no respondió a la entrega a tiempo; "
        "el pedido se completó automáticamente."
    )
    return Decision(
        pedido=nuevo,
        disputa=None,
        eventos=(Evento(pedido.id, en, SISTEMA, "pedido_completado", texto),),
        mensajes=tuple(Mensaje(pedido.id, SISTEMA, para, texto, en) for para in (pedido.cliente, pedido.freelancer)),
        resultado=Resultado.PEDIDO_COMPLETADO,
    )


def _no_en_estado(pedido: Pedido, accion: str, requerido: str) -> str:
    actual = ETIQUETA_ESTADO[pedido.estado].lower()
    if pedido.estado == EstadoPedido.EN_CONTROVERSIA:
        return (
            f"No se puede {accion} el pedido #{pedido.id} mientras tiene una solicitud abierta: "
            "espera a que se resuelva o revócala."
        )
    return f"No se puede {accion} el pedido #{pedido.id}: está {actual} y debe estar {requerido}."


# --- opening a request ----------------------------------------------------------------


def _exigir_centro_disponible(pedido: Pedido) -> None:
    if pedido.estado == EstadoPedido.COMPLETADO:
        raise RechazadoPorRegla(
            f"El pedido #{pedido.id} está completado y ya no puede usar el Centro de resoluciones: "
            "para cancelarlo, contacta con Atención al cliente."
        )
    if pedido.estado == EstadoPedido.CANCELADO:
        raise RechazadoPorRegla(
            f"El pedido #{pedido.id} está cancelado de mutuo acuerdo y ya no puede usar el Centro de resoluciones."
        )
    if pedido.estado == EstadoPedido.EN_CONTROVERSIA:
        raise RechazadoPorRegla(
            f"El pedido #{pedido.id} ya tiene una solicitud abierta: espera a que se resuelva o, si es "
            "tuya, revócala antes de abrir otra."
        )


def abrir(
    pedido: Pedido, usuario: str, solicitud: Solicitud, ahora: datetime, politica: Politica = CLASICA
) -> Decision:
    """Open a request; the returned request has no id yet (the store assigns it)."""
    rol = exigir_parte(pedido, usuario)
    if solicitud.tipo not in ACCIONES[rol]:
        permitidas = ", ".join(ACCIONES[rol])
        raise NoPermitido(
            f"Un {rol} no puede abrir una solicitud de tipo «{solicitud.tipo}»; como {rol} puedes abrir: {permitidas}."
        )
    _exigir_centro_disponible(pedido)
    _exigir_que_encaje(pedido, rol, solicitud, ahora)

    destinatario = otra_parte(pedido, usuario)
    disputa = Disputa(
        id=None,
        pedido=pedido.id,
        tipo=solicitud.tipo,
        estado=EstadoDisputa.ABIERTA,
        abierta_por=usuario,
        rol=rol,
        destinatario=destinatario,
        creada_en=ahora,
        vence_en=ahora + politica.plazos[solicitud.tipo],
        motivo=solicitud.motivo,
        comentario=solicitud.comentario,
        nueva_fecha_entrega=solicitud.nueva_fecha_entrega,
        extras_centavos=solicitud.extras_centavos,
        extras_descripcion=solicitud.extras_descripcion,
        extras_dias=solicitud.extras_dias,
        politica=politica.nombre,
    )
    nuevo = cambiar(pedido, estado=EstadoPedido.EN_CONTROVERSIA, estado_anterior=pedido.estado)
    accion = etiqueta_accion(solicitud.tipo, rol)
    detalle = f"{usuario} abrió una solicitud: {accion}{_detalle_solicitud(disputa)}."
    texto = f"{usuario} te envió una solicitud en el pedido #{pedido.id}: {accion}{_detalle_solicitud(disputa)}."
    if solicitud.comentario:
        texto += f" Comentario: {solicitud.comentario}"
    return Decision(
        pedido=nuevo,
        disputa=disputa,
        eventos=(Evento(pedido.id, ahora, usuario, "disputa_abierta", detalle),),
        mensajes=(Mensaje(pedido.id, usuario, destinatario, texto, ahora),),
    )


def _detalle_solicitud(d: Disputa) -> str:
    if d.motivo:
        return f" (motivo: {MOTIVOS[d.motivo]})"
    if d.nueva_fecha_entrega:
        return f" (nueva entrega: {d.nueva_fecha_entrega:%Y-%m-%d %H:%M} UTC)"
    if d.extras_centavos is not None:
        dias = f", +{cantidad(d.extras_dias, 'día', 'días')}" if d.extras_dias else ""
        return f" ({d.extras_descripcion}: {dinero(d.extras_centavos)}{dias})"
    return ""


def exigir_nueva_entrega(pedido: Pedido, fecha: datetime, ahora: datetime) -> datetime:
    """An extension must move the delivery date later than both the current one and the clock."""
    if fecha <= pedido.fecha_entrega:
        raise EntradaInvalida(
            f"La nueva fecha de entrega debe ser posterior a la actual ({pedido.fecha_entrega:%Y-%m-%d %H:%M} UTC)."
        )
    if fecha <= ahora:
        raise EntradaInvalida("La nueva fecha de entrega debe ser posterior al reloj actual.")
    return fecha


def _exigir_que_encaje(pedido: Pedido, rol: Rol, s: Solicitud, ahora: datetime) -> None:
    """The options given must be exactly those the type takes (SPEC §1, §3): else exit 2."""
    freelancer_cancela = s.tipo == TipoDisputa.CANCELACION and rol == Rol.FREELANCER
    if s.motivo is not None and not freelancer_cancela:
        raise EntradaInvalida("--motivo solo se usa cuando el freelancer solicita la cancelación.")
    if s.nueva_fecha_entrega is not None and s.tipo != TipoDisputa.PRORROGA:
        raise EntradaInvalida("--nueva-entrega solo se usa en una solicitud de prórroga (--tipo prorroga).")
    extras_dados = (s.extras_centavos, s.extras_descripcion, s.extras_dias)
    if s.tipo != TipoDisputa.EXTRAS and any(v is not None for v in extras_dados):
        raise EntradaInvalida(
            "--extras-precio, --extras-descripcion y --extras-dias solo se usan al ofrecer extras (--tipo extras)."
        )
    if freelancer_cancela:
        if s.motivo is None:
            opciones = ", ".join(MOTIVOS)
            raise EntradaInvalida(f"Falta --motivo: el freelancer debe elegir un motivo ({opciones}).")
        if s.motivo == "otro" and not s.comentario:
            raise EntradaInvalida("Con --motivo otro el comentario es obligatorio: explica el motivo con --comentario.")
    if s.tipo == TipoDisputa.CANCELACION and rol == Rol.CLIENTE and not s.comentario:
        raise EntradaInvalida("Para solicitar la cancelación explica el motivo con --comentario (es obligatorio).")
    if s.tipo == TipoDisputa.PRORROGA:
        if s.nueva_fecha_entrega is None:
            raise EntradaInvalida("Falta --nueva-entrega: indica la fecha de entrega que propones.")
        exigir_nueva_entrega(pedido, s.nueva_fecha_entrega, ahora)
    if s.tipo == TipoDisputa.EXTRAS:
        if s.extras_centavos is None:
            raise EntradaInvalida("Falta --extras-precio: indica el precio de los extras (mayor que 0).")
        if not s.extras_descripcion:
            raise EntradaInvalida("Falta --extras-descripcion: describe qué incluyen los extras.")


# --- answering, revoking, expiring ----------------------------------------------------


def _exigir_abierta(disputa: Disputa, ahora: datetime) -> None:
    if esta_abierta(disputa, ahora):
        return
    if disputa.estado in (EstadoDisputa.ABIERTA, EstadoDisputa.VENCIDA):
        raise RechazadoPorRegla(
            f"La solicitud #{disputa.id} ya no está abierta: su plazo venció el {disputa.vence_en:%Y-%m-%d %H:%M} UTC."
        )
    quien = disputa.resuelta_por or "alguien"
    raise RechazadoPorRegla(f"La solicitud #{disputa.id} ya no está abierta: {quien} la dejó {disputa.estado} antes.")


def _cerrar(
    pedido: Pedido, disputa: Disputa, final: EstadoDisputa, por: str, en: datetime, cambios: dict
) -> tuple[Pedido, Disputa]:
    """End the request and put the order back where it was, then apply `cambios` to it."""
    cerrada = cambiar(disputa, estado=final, resuelta_en=en, resuelta_por=por)
    restaurado = cambiar(pedido, estado=pedido.estado_anterior or pedido.estado, estado_anterior=None)
    if restaurado.estado == EstadoPedido.ENTREGADO and pedido.completar_en is not None:
        # A request was the client's answer to the delivery: its countdown starts again.
        tras = POLITICAS[disputa.politica].completar_tras
        restaurado = cambiar(restaurado, completar_en=en + tras if tras else None)
    return cambiar(restaurado, **cambios), cerrada


def responder(
    pedido: Pedido, disputa: Disputa, usuario: str, respuesta: Respuesta, texto: str | None, ahora: datetime
) -> Decision:
    """Answer a request: `texto` is the update (actualizacion) or the optional comment."""
    exigir_destinatario(pedido, disputa, usuario, ahora)
    if respuesta not in RESPUESTAS[disputa.tipo]:
        if disputa.tipo == TipoDisputa.ACTUALIZACION:
            raise EntradaInvalida(
                "Una solicitud de actualización se responde enviando la actualización con --actualizacion TEXTO."
            )
        raise EntradaInvalida(f"Una solicitud de tipo «{disputa.tipo}» se responde con --aceptar o --rechazar.")
    cambios: dict = {}
    if respuesta == Respuesta.ACTUALIZACION:
        estado, verbo = EstadoDisputa.RESPONDIDA, "envió la actualización"
    elif respuesta == Respuesta.RECHAZAR:
        estado, verbo = EstadoDisputa.RECHAZADA, "rechazó la solicitud"
    else:
        estado, verbo = EstadoDisputa.ACEPTADA, "aceptó la solicitud"
        cambios = _al_aceptar(pedido, disputa)
    nuevo, cerrada = _cerrar(pedido, disputa, estado, usuario, ahora, cambios)
    cerrada = cambiar(cerrada, respuesta=texto)
    accion = etiqueta_accion(disputa.tipo, disputa.rol)
    detalle = f"{usuario} {verbo} «{accion}»{_efecto(pedido, nuevo)}."
    mensaje = f"{usuario} {verbo} «{accion}» del pedido #{pedido.id}{_efecto(pedido, nuevo)}."
    if texto:
        mensaje += f" {'Actualización' if respuesta == Respuesta.ACTUALIZACION else 'Comentario'}: {texto}"
    return Decision(
        pedido=nuevo,
        disputa=cerrada,
        eventos=(Evento(pedido.id, ahora, usuario, f"disputa_{estado}", detalle, disputa.id),),
        mensajes=(Mensaje(pedido.id, usuario, disputa.abierta_por, mensaje, ahora, disputa.id),),
    )


def exigir_destinatario(pedido: Pedido, disputa: Disputa, usuario: str, ahora: datetime) -> None:
    """Only the other party may answer, and only while the request is open."""
    exigir_parte(pedido, usuario)
    if usuario != disputa.destinatario:
        raise NoPermitido(
            f"La solicitud #{disputa.id} la abriste tú: solo {disputa.destinatario} puede responderla "
            "(tú puedes revocarla)."
        )
    _exigir_abierta(disputa, ahora)


def _al_aceptar(pedido: Pedido, disputa: Disputa) -> dict:
    if disputa.tipo == TipoDisputa.CANCELACION:
        return {"estado": EstadoPedido.CANCELADO}
    if disputa.tipo == TipoDisputa.PRORROGA:
        return {"fecha_entrega": disputa.nueva_fecha_entrega}
    return {
        "precio_centavos": pedido.precio_centavos + disputa.extras_centavos,
        "fecha_entrega": pedido.fecha_entrega + timedelta(days=disputa.extras_dias or 0),
    }


def _efecto(antes: Pedido, despues: Pedido) -> str:
    partes = []
    if despues.estado == EstadoPedido.CANCELADO:
        partes.append("el pedido queda cancelado de mutuo acuerdo")
    else:
        partes.append(f"el pedido vuelve a «{ETIQUETA_ESTADO[despues.estado]}»")
    if despues.fecha_entrega != antes.fecha_entrega:
        partes.append(f"nueva entrega {despues.fecha_entrega:%Y-%m-%d %H:%M} UTC")
    if despues.precio_centavos != antes.precio_centavos:
        partes.append(f"nuevo precio {dinero(despues.precio_centavos)}")
    return ": " + ", ".join(partes)


def revocar(pedido: Pedido, disputa: Disputa, usuario: str, comentario: str | None, ahora: datetime) -> Decision:
    exigir_parte(pedido, usuario)
    if usuario != disputa.abierta_por:
        raise NoPermitido(
            f"Solo quien abrió la solicitud #{disputa.id} ({disputa.abierta_por}) puede revocarla; "
            "tú puedes responderla."
        )
    _exigir_abierta(disputa, ahora)
    nuevo, cerrada = _cerrar(pedido, disputa, EstadoDisputa.REVOCADA, usuario, ahora, {})
    accion = etiqueta_accion(disputa.tipo, disputa.rol)
    detalle = f"{usuario} revocó su solicitud «{accion}»{_efecto(pedido, nuevo)}."
    texto = f"{usuario} revocó su solicitud «{accion}» del pedido #{pedido.id}{_efecto(pedido, nuevo)}."
    if comentario:
        texto += f" Comentario: {comentario}"
    return Decision(
        pedido=nuevo,
        disputa=cerrada,
        eventos=(Evento(pedido.id, ahora, usuario, "disputa_revocada", detalle, disputa.id),),
        mensajes=(Mensaje(pedido.id, usuario, disputa.destinatario, texto, ahora, disputa.id),),
    )


def vencer(pedido: Pedido, disputa: Disputa) -> Decision:
    """The request's deadline passed unanswered; everything happens at `vence_en` itself."""
    en = disputa.vence_en
    final, resultado = POLITICAS[disputa.politica].al_vencer[disputa.tipo]
    if resultado == Resultado.PEDIDO_CANCELADO:
        cambios = {"estado": EstadoPedido.CANCELADO}
    elif resultado == Resultado.SOLICITUD_ACEPTADA:
        cambios = _al_aceptar(pedido, disputa)
    else:
        cambios = {}
    nuevo, cerrada = _cerrar(pedido, disputa, final, SISTEMA, en, cambios)
    accion = etiqueta_accion(disputa.tipo, disputa.rol)
    sin_respuesta = f"{disputa.destinatario} no respondió a tiempo"
    if resultado == Resultado.PEDIDO_CANCELADO:
        consecuencia = "el pedido se canceló automáticamente: Cancelado de mutuo acuerdo"
    elif resultado == Resultado.SOLICITUD_REVOCADA:
        consecuencia = "la solicitud quedó revocada y ni la fecha de entrega ni el precio cambian"
    elif resultado == Resultado.SOLICITUD_ACEPTADA:
        consecuencia = f"la solicitud se aceptó automáticamente{_efecto(pedido, nuevo)}"
    else:
        consecuencia = f"la solicitud se cerró y el pedido vuelve a «{ETIQUETA_ESTADO[nuevo.estado]}»"
    detalle = f"Venció el plazo de «{accion}» ({sin_respuesta}): {consecuencia}."
    texto = f"Pedido #{pedido.id}: venció el plazo de «{accion}» ({sin_respuesta}): {consecuencia}."
    return Decision(
        pedido=nuevo,
        disputa=cerrada,
        eventos=(Evento(pedido.id, en, SISTEMA, f"disputa_{final}", detalle, disputa.id),),
        mensajes=tuple(
            Mensaje(pedido.id, SISTEMA, para, texto, en, disputa.id) for para in (pedido.cliente, pedido.freelancer)
        ),
        resultado=resultado,
    )


def plazos(pedido: Pedido, abierta: Disputa | None) -> list[Plazo]:
    """The deadlines still running on an order: its open request and the delivery owed."""
    lista = []
    if abierta is not None:
        lista.append(Plazo(pedido.id, abierta.id, str(abierta.tipo), abierta.vence_en, abierta.destinatario))
    if entrega_pendiente(pedido):
        lista.append(Plazo(pedido.id, None, "entrega", pedido.fecha_entrega, pedido.freelancer))
    if pedido.estado == EstadoPedido.ENTREGADO and pedido.completar_en is not None:
        lista.append(Plazo(pedido.id, None, "aceptar_entrega", pedido.completar_en, pedido.cliente))
    return sorted(lista, key=lambda p: p.vence_en)
