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
    Hecho,
    Mensaje,
    Pedido,
    Plazo,
    Respuesta,
    Resultado,
    Rol,
    TipoDisputa,
    cambiar,
)
from .reloj import iso


@dataclass(frozen=True)
class Politica:
    """A rule set, as data: the request types it offers, their deadlines, what an unanswered
    request does, automatic completion and the client's cancellation of a very late order."""

    nombre: str
    plazos: Mapping[TipoDisputa, timedelta]
    # For each type it offers: the state an unanswered request ends in, and what it does to the order.
    al_vencer: Mapping[TipoDisputa, tuple[EstadoDisputa, Resultado]]
    # A delivered order the client leaves unanswered this long completes by itself.
    completar_tras: timedelta | None = None
    # This long past its delivery date, an order the freelancer has not delivered can be
    # cancelled by the client at once, without a request.
    cancelar_por_retraso: timedelta | None = None

    @property
    def tipos(self) -> frozenset[TipoDisputa]:
        """The request types this rule set offers."""
        return frozenset(self.al_vencer)

    def con_plazos(self, cambios: Mapping[TipoDisputa, timedelta]) -> "Politica":
        """The same rule set with some deadlines overridden (`init --plazo TIPO=DURACION`)."""
        return cambiar(self, plazos={**self.plazos, **cambios})


_CLASICAS_AL_VENCER = {
    TipoDisputa.ACTUALIZACION: (EstadoDisputa.VENCIDA, Resultado.PEDIDO_RESTAURADO),
    TipoDisputa.CANCELACION: (EstadoDisputa.VENCIDA, Resultado.PEDIDO_CANCELADO),
    TipoDisputa.PRORROGA: (EstadoDisputa.VENCIDA, Resultado.SOLICITUD_REVOCADA),
    TipoDisputa.EXTRAS: (EstadoDisputa.VENCIDA, Resultado.SOLICITUD_REVOCADA),
}
_CLASICOS_PLAZOS = {
    TipoDisputa.ACTUALIZACION: timedelta(hours=48),
    TipoDisputa.CANCELACION: timedelta(hours=48),
    TipoDisputa.PRORROGA: timedelta(hours=96),
    TipoDisputa.EXTRAS: timedelta(hours=96),
}
CLASICA = Politica(nombre="clasica", plazos=_CLASICOS_PLAZOS, al_vencer=_CLASICAS_AL_VENCER)
# The marketplace's current help pages (datos/fuentes.toml names the page of each rule): an
# unanswered cancellation, extension or partial refund is accepted after 48 h, an unanswered
# delivery completes, a very late order can be cancelled by the client alone. Where the pages are
# silent (extras) or agree with the classic page (update), the classic rule stays.
ACEPTACION_AUTOMATICA = Politica(
    nombre="aceptacion-automatica",
    plazos={
        **_CLASICOS_PLAZOS,
        TipoDisputa.PRORROGA: timedelta(hours=48),
        TipoDisputa.REEMBOLSO_PARCIAL: timedelta(hours=48),
    },
    al_vencer={
        **_CLASICAS_AL_VENCER,
        TipoDisputa.CANCELACION: (EstadoDisputa.ACEPTADA, Resultado.PEDIDO_CANCELADO),
        TipoDisputa.PRORROGA: (EstadoDisputa.ACEPTADA, Resultado.SOLICITUD_ACEPTADA),
        TipoDisputa.REEMBOLSO_PARCIAL: (EstadoDisputa.ACEPTADA, Resultado.SOLICITUD_ACEPTADA),
    },
    completar_tras=timedelta(days=3),
    cancelar_por_retraso=timedelta(hours=24),
)
POLITICAS = {p.nombre: p for p in (CLASICA, ACEPTACION_AUTOMATICA)}
# New completions can only appear this long after whatever produced them (tick relies on it).
MINIMO_COMPLETAR = min(p.completar_tras for p in POLITICAS.values() if p.completar_tras)
PLAZOS = CLASICA.plazos

# Partial refunds (the "Partial refunds" help page): only on orders over US$ 50, from US$ 5 up
# to 60 % of the order's original price (extras added later are not refundable).
REEMBOLSO_MINIMO_PEDIDO = 5_000
REEMBOLSO_MINIMO = 500
REEMBOLSO_MAXIMO_PORCENTAJE = 60

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
        TipoDisputa.REEMBOLSO_PARCIAL: "Ofrecer un reembolso parcial",
    },
}
# The client's cancellation of a very late order, which needs no answer.
CANCELAR_POR_RETRASO = "Cancelar el pedido, que lleva más de 24 horas de retraso (sin esperar respuesta)"

# Which answers each type accepts (SPEC §3 "answer" column).
RESPUESTAS = {
    TipoDisputa.ACTUALIZACION: (Respuesta.ACTUALIZACION,),
    TipoDisputa.CANCELACION: (Respuesta.ACEPTAR, Respuesta.RECHAZAR),
    TipoDisputa.PRORROGA: (Respuesta.ACEPTAR, Respuesta.RECHAZAR),
    TipoDisputa.EXTRAS: (Respuesta.ACEPTAR, Respuesta.RECHAZAR),
    TipoDisputa.REEMBOLSO_PARCIAL: (Respuesta.ACEPTAR, Respuesta.RECHAZAR),
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
    reembolso_centavos: int | None = None


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


# --- facts ----------------------------------------------------------------------------
# Events and messages record what happened as plain data (instants as ISO UTC strings);
# `relato` writes the sentence in the reader's zone. `generador` builds its rows with these
# same functions, so a synthetic history reads like a real one.


def _sin_nulos(**datos) -> dict:
    return {clave: valor for clave, valor in datos.items() if valor is not None}


def datos_pedido_creado(titulo: str, freelancer: str, precio_centavos: int, fecha_entrega: datetime) -> dict:
    return {
        "titulo": titulo,
        "freelancer": freelancer,
        "precio_centavos": precio_centavos,
        "fecha_entrega": iso(fecha_entrega),
    }


def datos_solicitud(
    tipo: TipoDisputa,
    rol: Rol,
    motivo: str | None = None,
    nueva_fecha_entrega: datetime | None = None,
    extras_centavos: int | None = None,
    extras_descripcion: str | None = None,
    extras_dias: int | None = None,
    reembolso_centavos: int | None = None,
) -> dict:
    """What a request asked for: the part of every fact about it that names the request."""
    return _sin_nulos(
        tipo=str(tipo),
        rol=str(rol),
        motivo=motivo,
        nueva_fecha_entrega=iso(nueva_fecha_entrega) if nueva_fecha_entrega else None,
        extras_centavos=extras_centavos,
        extras_descripcion=extras_descripcion,
        extras_dias=extras_dias,
        reembolso_centavos=reembolso_centavos,
    )


def datos_efecto(
    pedido_estado: EstadoPedido,
    fecha_entrega: datetime | None = None,
    precio_centavos: int | None = None,
    reembolso_centavos: int | None = None,
) -> dict:
    """Where an ended request left the order: its state, and the date, price or refund that changed."""
    return _sin_nulos(
        pedido_estado=str(pedido_estado),
        fecha_entrega=iso(fecha_entrega) if fecha_entrega else None,
        precio_centavos=precio_centavos,
        reembolso_centavos=reembolso_centavos,
    )


def _efecto(antes: Pedido, despues: Pedido) -> dict:
    return datos_efecto(
        despues.estado,
        despues.fecha_entrega if despues.fecha_entrega != antes.fecha_entrega else None,
        despues.precio_centavos if despues.precio_centavos != antes.precio_centavos else None,
        despues.reembolso_centavos if despues.reembolso_centavos != antes.reembolso_centavos else None,
    )


def datos_contestada(tipo: TipoDisputa, rol: Rol, estado: EstadoDisputa, efecto: dict) -> dict:
    return {**datos_solicitud(tipo, rol), "estado": str(estado), **efecto}


def datos_vencida(tipo: TipoDisputa, rol: Rol, destinatario: str, resultado: Resultado, efecto: dict) -> dict:
    return {**datos_solicitud(tipo, rol), "destinatario": destinatario, "resultado": str(resultado), **efecto}


def _evento(pedido: int, en: datetime, actor: str, tipo: str, hecho: Hecho, datos: dict, disputa=None) -> Evento:
    return Evento(pedido, en, actor, tipo, "", disputa, hecho, datos)


def _mensaje(pedido: int, de: str, para: str, en: datetime, hecho: Hecho, datos: dict, disputa=None) -> Mensaje:
    return Mensaje(pedido, de, para, "", en, disputa, hecho=hecho, datos=datos)


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


def acciones_disponibles(
    pedido: Pedido,
    usuario: str,
    ahora: datetime,
    politica: Politica = CLASICA,
    abierta: Disputa | None = None,
    precio_original: int | None = None,
) -> dict[TipoDisputa, str]:
    """The request types the user may open on this order right now, with their menu labels:
    those of the rule set, a partial refund only where the order allows one, and the client's
    cancellation named for what it does on a very late order."""
    rol = exigir_parte(pedido, usuario)
    _exigir_centro_disponible(pedido, usuario, abierta)
    acciones = {tipo: etiqueta for tipo, etiqueta in ACCIONES[rol].items() if tipo in politica.tipos}
    if TipoDisputa.REEMBOLSO_PARCIAL in acciones and _sin_reembolso(pedido, precio_original) is not None:
        del acciones[TipoDisputa.REEMBOLSO_PARCIAL]
    if rol == Rol.CLIENTE and muy_atrasado(pedido, ahora, politica):
        acciones[TipoDisputa.CANCELACION] = CANCELAR_POR_RETRASO
    return acciones


def muy_atrasado(pedido: Pedido, ahora: datetime, politica: Politica) -> bool:
    """Undelivered, with no request open, and past its delivery date by the rule set's margin
    (24 h under `aceptacion-automatica`; never under `clasica`)."""
    margen = politica.cancelar_por_retraso
    return margen is not None and pedido.estado == EstadoPedido.ACTIVO and ahora >= pedido.fecha_entrega + margen


def _sin_reembolso(pedido: Pedido, precio_original: int | None) -> str | None:
    """Why this order cannot get a partial refund (None when it can)."""
    if (precio_original or pedido.precio_centavos) <= REEMBOLSO_MINIMO_PEDIDO:
        return (
            f"El pedido #{pedido.id} no admite reembolsos parciales: solo los pedidos de más de "
            f"{dinero(REEMBOLSO_MINIMO_PEDIDO)} (sin contar extras) los admiten."
        )
    return None


def reembolso_maximo(pedido: Pedido, precio_original: int | None = None) -> int:
    """60 % of the order's original price, in whole cents (rounded down)."""
    return (precio_original or pedido.precio_centavos) * REEMBOLSO_MAXIMO_PORCENTAJE // 100


# --- orders ---------------------------------------------------------------------------


def creado(pedido: Pedido) -> Evento:
    datos = datos_pedido_creado(pedido.titulo, pedido.freelancer, pedido.precio_centavos, pedido.fecha_entrega)
    return _evento(pedido.id, pedido.creado_en, pedido.cliente, "pedido_creado", Hecho.PEDIDO_CREADO, datos)


def entregar(
    pedido: Pedido, usuario: str, ahora: datetime, politica: Politica = CLASICA, abierta: Disputa | None = None
) -> tuple[Pedido, Evento]:
    if exigir_parte(pedido, usuario) != Rol.FREELANCER:
        raise NoPermitido(f"Solo el freelancer del pedido #{pedido.id} ({pedido.freelancer}) puede entregarlo.")
    if pedido.estado != EstadoPedido.ACTIVO:
        raise RechazadoPorRegla(_no_en_estado(pedido, usuario, "entregar", "activo", abierta))
    completar_en = ahora + politica.completar_tras if politica.completar_tras else None
    nuevo = cambiar(pedido, estado=EstadoPedido.ENTREGADO, completar_en=completar_en)
    datos = {"cliente": pedido.cliente, "completar_en": iso(completar_en)} if completar_en else {}
    return nuevo, _evento(pedido.id, ahora, usuario, "pedido_entregado", Hecho.PEDIDO_ENTREGADO, datos)


def completar(
    pedido: Pedido, usuario: str, ahora: datetime, politica: Politica = CLASICA, abierta: Disputa | None = None
) -> tuple[Pedido, Evento]:
    if exigir_parte(pedido, usuario) != Rol.CLIENTE:
        raise NoPermitido(f"Solo el cliente del pedido #{pedido.id} ({pedido.cliente}) puede aceptar la entrega.")
    if pedido.estado != EstadoPedido.ENTREGADO:
        raise RechazadoPorRegla(_no_en_estado(pedido, usuario, "completar", "entregado", abierta))
    nuevo = cambiar(pedido, estado=EstadoPedido.COMPLETADO, completar_en=None)
    return nuevo, _evento(pedido.id, ahora, usuario, "pedido_completado", Hecho.PEDIDO_COMPLETADO, {})


def completar_solo(pedido: Pedido) -> Decision:
    """A delivered order the client left unanswered completes by itself at `completar_en`."""
    en = pedido.completar_en
    nuevo = cambiar(pedido, estado=EstadoPedido.COMPLETADO, completar_en=None)
    hecho, datos = Hecho.PEDIDO_COMPLETADO_SOLO, {"cliente": pedido.cliente}
    return Decision(
        pedido=nuevo,
        disputa=None,
        eventos=(_evento(pedido.id, en, SISTEMA, "pedido_completado", hecho, datos),),
        mensajes=tuple(
            _mensaje(pedido.id, SISTEMA, para, en, hecho, datos) for para in (pedido.cliente, pedido.freelancer)
        ),
        resultado=Resultado.PEDIDO_COMPLETADO,
    )


def mensaje(pedido: Pedido, usuario: str, texto: str, ahora: datetime) -> tuple[Evento, Mensaje]:
    """A party writes to the other, whatever the order's state: it reaches their inbox and the history."""
    exigir_parte(pedido, usuario)
    para = otra_parte(pedido, usuario)
    datos = {"para": para, "mensaje": texto}
    return (
        _evento(pedido.id, ahora, usuario, "mensaje", Hecho.MENSAJE, datos),
        _mensaje(pedido.id, usuario, para, ahora, Hecho.MENSAJE, datos),
    )


def _no_en_estado(pedido: Pedido, usuario: str, accion: str, requerido: str, abierta: Disputa | None) -> str:
    actual = ETIQUETA_ESTADO[pedido.estado].lower()
    if pedido.estado == EstadoPedido.EN_CONTROVERSIA:
        que_hacer = _que_hacer_con(abierta, usuario)
        return f"No se puede {accion} el pedido #{pedido.id} mientras tiene una solicitud abierta{que_hacer}."
    return f"No se puede {accion} el pedido #{pedido.id}: está {actual} y debe estar {requerido}."


def _que_hacer_con(abierta: Disputa | None, usuario: str) -> str:
    """Which request is open and what this party can do about it: only its opener may revoke it."""
    if abierta is None:
        return ": espera a que se resuelva"
    if usuario == abierta.abierta_por:
        return (
            f", la tuya (#{abierta.id}): espera la respuesta de {abierta.destinatario} "
            f"o revócala con «resolucion disputa revocar {abierta.id}»"
        )
    return (
        f", la #{abierta.id} de {abierta.abierta_por}: respóndela con «resolucion disputa responder "
        f"{abierta.id}» o espera a que venza su plazo"
    )


# --- opening a request ----------------------------------------------------------------


def _exigir_centro_disponible(pedido: Pedido, usuario: str, abierta: Disputa | None) -> None:
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
            f"El pedido #{pedido.id} ya tiene una solicitud abierta{_que_hacer_con(abierta, usuario)}; "
            "solo puede haber una a la vez."
        )


def abrir(
    pedido: Pedido,
    usuario: str,
    solicitud: Solicitud,
    ahora: datetime,
    politica: Politica = CLASICA,
    abierta: Disputa | None = None,
    precio_original: int | None = None,
) -> Decision:
    """Open a request; the returned request has no id yet (the store assigns it).

    `precio_original` is the order's price without the extras accepted since (a partial refund
    is measured against it). A client's cancellation of a very late order, under a rule set
    that allows it, cancels at once: the decision then carries no request."""
    rol = exigir_parte(pedido, usuario)
    if solicitud.tipo not in ACCIONES[rol]:
        permitidas = ", ".join(t for t in ACCIONES[rol] if t in politica.tipos)
        raise NoPermitido(
            f"Un {rol} no puede abrir una solicitud de tipo «{solicitud.tipo}»; como {rol} puedes abrir: {permitidas}."
        )
    _exigir_centro_disponible(pedido, usuario, abierta)
    if solicitud.tipo not in politica.tipos:
        otras = ", ".join(p.nombre for p in POLITICAS.values() if solicitud.tipo in p.tipos)
        raise RechazadoPorRegla(
            f"Las reglas de esta base («{politica.nombre}») no tienen solicitudes de tipo «{solicitud.tipo}»; "
            f"las tienen las reglas «{otras}» (resolucion init --politica {otras})."
        )
    if solicitud.tipo == TipoDisputa.REEMBOLSO_PARCIAL and (motivo := _sin_reembolso(pedido, precio_original)):
        raise RechazadoPorRegla(motivo)
    _exigir_que_encaje(pedido, rol, solicitud, ahora, precio_original)
    if rol == Rol.CLIENTE and solicitud.tipo == TipoDisputa.CANCELACION and muy_atrasado(pedido, ahora, politica):
        return _cancelar_por_retraso(pedido, usuario, solicitud.comentario, ahora)

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
        reembolso_centavos=solicitud.reembolso_centavos,
    )
    nuevo = cambiar(pedido, estado=EstadoPedido.EN_CONTROVERSIA, estado_anterior=pedido.estado)
    datos = datos_solicitud(
        solicitud.tipo,
        rol,
        solicitud.motivo,
        solicitud.nueva_fecha_entrega,
        solicitud.extras_centavos,
        solicitud.extras_descripcion,
        solicitud.extras_dias,
        solicitud.reembolso_centavos,
    )
    mensaje = _sin_nulos(**datos, comentario=solicitud.comentario)
    return Decision(
        pedido=nuevo,
        disputa=disputa,
        eventos=(_evento(pedido.id, ahora, usuario, "disputa_abierta", Hecho.SOLICITUD_ABIERTA, datos),),
        mensajes=(_mensaje(pedido.id, usuario, destinatario, ahora, Hecho.SOLICITUD_ABIERTA, mensaje),),
    )


def _cancelar_por_retraso(pedido: Pedido, cliente: str, comentario: str | None, ahora: datetime) -> Decision:
    """The client cancels a very late order alone: no request, no waiting; the freelancer is told."""
    nuevo = cambiar(pedido, estado=EstadoPedido.CANCELADO)
    datos = {"fecha_entrega": iso(pedido.fecha_entrega), "freelancer": pedido.freelancer}
    hecho = Hecho.PEDIDO_CANCELADO_POR_RETRASO
    return Decision(
        pedido=nuevo,
        disputa=None,
        eventos=(_evento(pedido.id, ahora, cliente, "pedido_cancelado", hecho, datos),),
        mensajes=(
            _mensaje(pedido.id, cliente, pedido.freelancer, ahora, hecho, _sin_nulos(**datos, comentario=comentario)),
        ),
    )


def exigir_nueva_entrega(pedido: Pedido, fecha: datetime, ahora: datetime) -> datetime:
    """An extension must move the delivery date later than both the current one and the clock."""
    if fecha <= pedido.fecha_entrega:
        raise EntradaInvalida(
            "La nueva fecha de entrega debe ser posterior a la actual ({actual}).", actual=pedido.fecha_entrega
        )
    if fecha <= ahora:
        raise EntradaInvalida("La nueva fecha de entrega debe ser posterior al reloj actual ({reloj}).", reloj=ahora)
    return fecha


def _exigir_que_encaje(pedido: Pedido, rol: Rol, s: Solicitud, ahora: datetime, precio_original: int | None) -> None:
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
    if s.reembolso_centavos is not None and s.tipo != TipoDisputa.REEMBOLSO_PARCIAL:
        raise EntradaInvalida("--importe solo se usa al ofrecer un reembolso parcial (--tipo reembolso_parcial).")
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
    if s.tipo == TipoDisputa.REEMBOLSO_PARCIAL:
        exigir_importe_reembolso(pedido, s.reembolso_centavos, precio_original)


def importe_de_reembolso(centavos: int, opcion: str) -> int:
    """A refund under US$ 5 is malformed input, refused before the order is read (SPEC §7)."""
    if centavos < REEMBOLSO_MINIMO:
        raise EntradaInvalida(f"{opcion}: un reembolso parcial es de al menos {dinero(REEMBOLSO_MINIMO)}.")
    return centavos


def exigir_importe_reembolso(pedido: Pedido, importe: int | None, precio_original: int | None = None) -> int:
    """A partial refund is at most 60 % of the order's original price (its minimum, US$ 5, is
    checked with the rest of the malformed input, before the order is read)."""
    maximo = reembolso_maximo(pedido, precio_original)
    if importe is None:
        raise EntradaInvalida(
            f"Falta --importe: indica cuánto devuelves al cliente (de {dinero(REEMBOLSO_MINIMO)} a {dinero(maximo)})."
        )
    if importe > maximo:
        raise EntradaInvalida(
            f"El reembolso parcial ({dinero(importe)}) supera el máximo del pedido #{pedido.id}: "
            f"{dinero(maximo)}, el {REEMBOLSO_MAXIMO_PORCENTAJE} % de su precio original."
        )
    return importe


# --- answering, revoking, expiring ----------------------------------------------------


def _exigir_abierta(disputa: Disputa, ahora: datetime) -> None:
    if esta_abierta(disputa, ahora):
        return
    if disputa.estado == EstadoDisputa.ABIERTA or disputa.resuelta_por == SISTEMA:
        raise RechazadoPorRegla(
            f"La solicitud #{disputa.id} ya no está abierta: su plazo venció el {{vence_en}}.",
            vence_en=disputa.vence_en,
        )
    quien = disputa.resuelta_por or "alguien"
    raise RechazadoPorRegla(
        f"La solicitud #{disputa.id} ya no está abierta: {quien} {_CERRADA_POR[disputa.estado]} el {{resuelta_en}}.",
        resuelta_en=disputa.resuelta_en or disputa.creada_en,
    )


# How a party closed a request, for the sentence that refuses to act on it again.
_CERRADA_POR = {
    EstadoDisputa.RESPONDIDA: "envió la actualización",
    EstadoDisputa.ACEPTADA: "la aceptó",
    EstadoDisputa.RECHAZADA: "la rechazó",
    EstadoDisputa.REVOCADA: "la revocó",
}


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
        estado = EstadoDisputa.RESPONDIDA
    elif respuesta == Respuesta.RECHAZAR:
        estado = EstadoDisputa.RECHAZADA
    else:
        estado = EstadoDisputa.ACEPTADA
        cambios = _al_aceptar(pedido, disputa)
    nuevo, cerrada = _cerrar(pedido, disputa, estado, usuario, ahora, cambios)
    cerrada = cambiar(cerrada, respuesta=texto)
    datos = datos_contestada(disputa.tipo, disputa.rol, estado, _efecto(pedido, nuevo))
    hecho = Hecho.SOLICITUD_CONTESTADA
    return Decision(
        pedido=nuevo,
        disputa=cerrada,
        eventos=(_evento(pedido.id, ahora, usuario, f"disputa_{estado}", hecho, datos, disputa.id),),
        mensajes=(
            _mensaje(
                pedido.id, usuario, disputa.abierta_por, ahora, hecho, _sin_nulos(**datos, texto=texto), disputa.id
            ),
        ),
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
    if disputa.tipo == TipoDisputa.REEMBOLSO_PARCIAL:
        # The pages: the order is completed with a partial refund; nothing is owed any more.
        return {
            "estado": EstadoPedido.COMPLETADO,
            "reembolso_centavos": disputa.reembolso_centavos,
            "completar_en": None,
        }
    if disputa.tipo == TipoDisputa.PRORROGA:
        return {"fecha_entrega": disputa.nueva_fecha_entrega}
    return {
        "precio_centavos": pedido.precio_centavos + disputa.extras_centavos,
        "fecha_entrega": pedido.fecha_entrega + timedelta(days=disputa.extras_dias or 0),
    }


def revocar(pedido: Pedido, disputa: Disputa, usuario: str, comentario: str | None, ahora: datetime) -> Decision:
    exigir_parte(pedido, usuario)
    if usuario != disputa.abierta_por:
        raise NoPermitido(
            f"Solo quien abrió la solicitud #{disputa.id} ({disputa.abierta_por}) puede revocarla; "
            "tú puedes responderla."
        )
    _exigir_abierta(disputa, ahora)
    nuevo, cerrada = _cerrar(pedido, disputa, EstadoDisputa.REVOCADA, usuario, ahora, {})
    datos = {**datos_solicitud(disputa.tipo, disputa.rol), **_efecto(pedido, nuevo)}
    hecho = Hecho.SOLICITUD_REVOCADA
    return Decision(
        pedido=nuevo,
        disputa=cerrada,
        eventos=(_evento(pedido.id, ahora, usuario, "disputa_revocada", hecho, datos, disputa.id),),
        mensajes=(
            _mensaje(
                pedido.id,
                usuario,
                disputa.destinatario,
                ahora,
                hecho,
                _sin_nulos(**datos, comentario=comentario),
                disputa.id,
            ),
        ),
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
    datos = datos_vencida(disputa.tipo, disputa.rol, disputa.destinatario, resultado, _efecto(pedido, nuevo))
    hecho = Hecho.SOLICITUD_VENCIDA
    return Decision(
        pedido=nuevo,
        disputa=cerrada,
        eventos=(_evento(pedido.id, en, SISTEMA, f"disputa_{final}", hecho, datos, disputa.id),),
        mensajes=tuple(
            _mensaje(pedido.id, SISTEMA, para, en, hecho, datos, disputa.id)
            for para in (pedido.cliente, pedido.freelancer)
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
