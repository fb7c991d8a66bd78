"""`resolucion disputa ...`: open, answer, revoke and list requests (controversias)."""

from typing import TYPE_CHECKING

import typer

from .. import entrada
from ..errores import Cancelado, EntradaInvalida

if TYPE_CHECKING:  # the rules are imported by the commands that use them
    from .. import reglas

from ..modelo import MOTIVOS, TipoDisputa
from . import lecturas
from .comun import (
    AYUDA,
    BASE,
    COMO,
    DB,
    JSON,
    NO_INTERACTIVO,
    PEDIDO,
    SOLICITUD,
    TZ,
    Contexto,
    grupo,
    opcion,
    orden,
    registro,
    requerir,
)

app = typer.Typer(
    help="Solicitudes del Centro de resoluciones: abrir, responder, revocar, listar.\n\n"
    "Ejemplo: resolucion disputa abrir 3 --como ana"
)


@app.callback(invoke_without_command=True)
def disputa(contexto: typer.Context, _ayuda: AYUDA = False) -> None:
    grupo(contexto)


def _mostrar_cambio(ctx: Contexto, verbo: str, ahora, disputa, pedido) -> None:
    from .. import vista

    ctx.mostrar(
        lambda: {
            "disputa": vista.disputa_json(disputa) if disputa is not None else None,
            "pedido": vista.pedido_json(pedido, ahora),
        },
        lambda c: vista.mostrar_cambio_disputa(c, verbo, disputa, pedido, ctx.tz()),
    )


@app.command("abrir", **registro())
def abrir(
    pedido: PEDIDO,
    tipo: opcion(
        "actualizacion o cancelacion (cliente); cancelacion, prorroga, extras o reembolso_parcial (freelancer).",
        str | None,
        "--tipo",
        metavar="TIPO",
        valores=lambda: map(str, TipoDisputa),
    ) = None,
    motivo: opcion(
        "Motivo de la cancelación del freelancer (los seis motivos, arriba).",
        str | None,
        "--motivo",
        metavar="MOTIVO",
        valores=lambda: MOTIVOS,
    ) = None,
    comentario: opcion("Comentario para la otra parte (obligatorio en la cancelación del cliente).") = None,
    nueva_entrega: opcion(
        "Prórroga: la nueva fecha de entrega (posterior a la actual) o un plazo desde el reloj (40d).",
        # FECHA alone: a wider metavar squeezes --extras-descripcion out of Typer's table at 60 columns
        metavar="FECHA",
    ) = None,
    extras_precio: opcion("Extras: precio adicional (120, 120,50, 1.234,50).", metavar="PRECIO") = None,
    extras_descripcion: opcion("Extras: qué incluyen.") = None,
    extras_dias: opcion("Extras: días de entrega adicionales (opcional).", metavar="DÍAS") = None,
    importe: opcion(
        "Reembolso parcial: cuánto se devuelve al cliente (desde 5; como mucho el 60 % del precio original).",
        metavar="IMPORTE",
    ) = None,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Abre una solicitud en el Centro de resoluciones.

    La otra parte tiene 48 h (actualización, cancelación) o 96 h (prórroga, extras) para
    responder. Con las reglas aceptacion-automatica la prórroga es de 48 h, existe el reembolso
    parcial (48 h) y el cliente cancela sin esperar respuesta un pedido con más de 24 h de retraso.

    En una terminal, sin --tipo, muestra un menú con las acciones posibles y pregunta lo que falte.

    Motivos de la cancelación del freelancer (--motivo): cliente_no_responde, cliente_lo_pidio,
    fuera_de_alcance, no_puedo_completar, informacion_insuficiente u otro.

    Ejemplo: resolucion disputa abrir 3 --como ana --tipo cancelacion --comentario "Ya no lo necesito"
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import reglas, servicios

        numero = entrada.identificador(pedido, "pedido")
        if tipo is None and not ctx.interactivo:
            requerir(tipo=tipo)
        datos = dict(
            tipo=TipoDisputa(entrada.opcion_de(tipo, list(map(str, TipoDisputa)), "--tipo"))
            if tipo is not None
            else None,
            motivo=entrada.opcion_de(motivo, list(MOTIVOS), "--motivo") if motivo is not None else None,
            comentario=entrada.comentario(comentario),
            nueva_fecha_entrega=_fecha_nueva(ctx, nueva_entrega) if nueva_entrega is not None else None,
            extras_centavos=_precio_extras(extras_precio) if extras_precio is not None else None,
            extras_descripcion=_descripcion_extras(extras_descripcion) if extras_descripcion is not None else None,
            extras_dias=_dias_extras(extras_dias) if extras_dias is not None else None,
            reembolso_centavos=_importe_reembolso(importe) if importe is not None else None,
        )
        como = ctx.exigir_como(lambda: servicios.pedido_de(ctx.almacen(), pedido_id=numero))
        solicitud = _preguntar_solicitud(ctx, numero, como, datos) if tipo is None else reglas.Solicitud(**datos)
        ahora, disputa, pedido_actual = servicios.abrir_disputa(ctx.almacen(), numero, como, solicitud)
        _mostrar_cambio(ctx, "abierta", ahora, disputa, pedido_actual)


def _fecha_nueva(ctx: Contexto, texto: str):
    """A date, or a duration the service counts from the clock, as `--entrega` takes."""
    from ..reloj import parsear_fecha_o_duracion

    return parsear_fecha_o_duracion(texto, ctx.tz(), "la nueva fecha de entrega")


def _precio_extras(texto: str) -> int:
    return entrada.centavos(texto, "--extras-precio")


def _descripcion_extras(texto: str) -> str:
    return entrada.texto_corto(texto, "--extras-descripcion", entrada.MAX_COMENTARIO)


def _dias_extras(texto: str) -> int:
    return entrada.entero(texto, "--extras-dias", 1, entrada.MAX_EXTRAS_DIAS)


def _importe_reembolso(texto: str) -> int:
    """Malformed or under the minimum is bad input before anything is read; the maximum
    depends on the order, and `reglas` checks it."""
    from ..reglas import importe_de_reembolso

    return importe_de_reembolso(entrada.centavos(texto, "--importe"), "--importe")


def _preguntar_solicitud(ctx: Contexto, numero: int, como: str, datos: dict) -> "reglas.Solicitud":
    """The menu of SPEC §5: choose an action, give what it needs, confirm."""
    from .. import reglas, servicios, vista
    from ..modelo import ETIQUETA_ESTADO, Rol
    from ..reloj import contar_desde, legible

    ahora, pedido, acciones = servicios.acciones(ctx.almacen(), numero, como)
    rol = reglas.rol_de(pedido, como)
    p = ctx.preguntas()
    p.mostrar(
        f"Pedido #{pedido.id} · {pedido.titulo} · {ETIQUETA_ESTADO[pedido.estado]} · actúas como {rol} ({como})",
        "bold",
    )
    tipo = p.elegir("¿Qué quieres hacer?", list(acciones.items()))
    datos = dict(datos, tipo=tipo)
    cancela_freelancer = tipo == TipoDisputa.CANCELACION and rol == Rol.FREELANCER
    if cancela_freelancer and datos["motivo"] is None:
        datos["motivo"] = p.elegir("¿Por qué quieres cancelar?", list(MOTIVOS.items()))
    if tipo == TipoDisputa.PRORROGA and datos["nueva_fecha_entrega"] is None:
        p.mostrar(f"La entrega está fijada para el {legible(pedido.fecha_entrega, ctx.tz())}.")
        datos["nueva_fecha_entrega"] = p.texto(
            "Nueva fecha de entrega (por ejemplo 2026-12-01 18:00)",
            lambda t: reglas.exigir_nueva_entrega(pedido, contar_desde(_fecha_nueva(ctx, t), ahora), ahora),
            True,
        )
    if tipo == TipoDisputa.EXTRAS:
        if datos["extras_centavos"] is None:
            datos["extras_centavos"] = p.texto("Precio de los extras (por ejemplo 25 o 25,50)", _precio_extras, True)
        if datos["extras_descripcion"] is None:
            datos["extras_descripcion"] = p.texto("¿Qué incluyen los extras?", _descripcion_extras, True)
        if datos["extras_dias"] is None:
            datos["extras_dias"] = p.texto("Días de entrega adicionales", _dias_extras, False)
    if tipo == TipoDisputa.REEMBOLSO_PARCIAL and datos["reembolso_centavos"] is None:
        original = servicios.precio_original(ctx.almacen(), pedido)
        maximo = reglas.dinero(reglas.reembolso_maximo(pedido, original))
        datos["reembolso_centavos"] = p.texto(
            f"¿Cuánto devuelves al cliente? (de {reglas.dinero(reglas.REEMBOLSO_MINIMO)} a {maximo})",
            lambda t: reglas.exigir_importe_reembolso(pedido, _importe_reembolso(t), original),
            True,
        )
    if datos["comentario"] is None:
        obligatorio = (tipo == TipoDisputa.CANCELACION and rol == Rol.CLIENTE) or datos["motivo"] == "otro"
        destinatario = reglas.otra_parte(pedido, como)
        datos["comentario"] = p.texto(f"Comentario para {destinatario}", entrada.comentario, obligatorio)
    # The summary shows the date a duration given with --nueva-entrega comes to.
    datos["nueva_fecha_entrega"] = contar_desde(datos["nueva_fecha_entrega"], ahora)
    solicitud = reglas.Solicitud(**datos)
    p.mostrar("Resumen", "bold")
    p.mostrar(f"  Pedido #{pedido.id}: {acciones[tipo]}")
    for linea in vista.detalle_solicitud(solicitud, ctx.tz()).splitlines():
        p.mostrar(f"  {linea}")
    if not p.confirmar():
        raise Cancelado()
    return solicitud


@app.command("responder", **registro())
def responder(
    solicitud: SOLICITUD,
    aceptar: opcion("Aceptar la solicitud (cancelación, prórroga, extras).", bool, "--aceptar") = False,
    rechazar: opcion("Rechazar la solicitud (cancelación, prórroga, extras).", bool, "--rechazar") = False,
    actualizacion: opcion("Enviar la actualización que pidió el cliente.") = None,
    comentario: opcion("Comentario para quien abrió la solicitud.") = None,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Responde a una solicitud de la otra parte.

    En una terminal, sin respuesta, muestra la solicitud y pregunta la respuesta que admite.

    Ejemplo: resolucion disputa responder 7 --como beto --rechazar --comentario "Lo entrego mañana"
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import servicios
        from ..modelo import Respuesta

        numero = entrada.identificador(solicitud, "solicitud")
        dadas = [
            r
            for r, dada in (
                (Respuesta.ACEPTAR, aceptar),
                (Respuesta.RECHAZAR, rechazar),
                (Respuesta.ACTUALIZACION, actualizacion is not None),
            )
            if dada
        ]
        if not dadas and not ctx.interactivo:
            raise EntradaInvalida("Falta la respuesta: usa --aceptar, --rechazar o --actualizacion TEXTO.")
        if len(dadas) > 1:
            raise EntradaInvalida("Da una sola respuesta: --aceptar, --rechazar o --actualizacion TEXTO.")
        if actualizacion is not None and comentario is not None:
            raise EntradaInvalida("La actualización ya es el texto de la respuesta: no uses también --comentario.")
        texto = entrada.comentario(comentario)
        if actualizacion is not None:
            texto = entrada.comentario(actualizacion, "--actualizacion")
            if texto is None:
                raise EntradaInvalida("--actualizacion no puede estar vacía: escribe cómo va el pedido.")
        como = ctx.exigir_como(lambda: servicios.pedido_de(ctx.almacen(), disputa_id=numero))
        if dadas:
            respuesta = dadas[0]
        else:
            respuesta, texto = _preguntar_respuesta(ctx, numero, como, texto)
        ahora, disputa, pedido = servicios.responder_disputa(ctx.almacen(), numero, como, respuesta, texto)
        verbo = "respondida" if respuesta == Respuesta.ACTUALIZACION else str(disputa.estado)
        _mostrar_cambio(ctx, verbo, ahora, disputa, pedido)


def _preguntar_respuesta(ctx: Contexto, numero: int, como: str, comentario: str | None):
    """Show the request and ask for an answer its type allows, then confirm."""
    from .. import servicios, vista
    from ..modelo import Respuesta

    ahora, disputa, _ = servicios.disputa_por_responder(ctx.almacen(), numero, como)
    if disputa.tipo == TipoDisputa.ACTUALIZACION and comentario is not None:
        raise EntradaInvalida("La actualización ya es el texto de la respuesta: no uses también --comentario.")
    p = ctx.preguntas()
    p.consola.print(vista.ficha_disputa(disputa, ahora, ctx.tz()))
    if disputa.tipo == TipoDisputa.ACTUALIZACION:
        respuesta = Respuesta.ACTUALIZACION
        texto = p.texto(f"Tu actualización para {disputa.abierta_por}", _texto_actualizacion, True)
    else:
        respuesta = p.elegir(
            "¿Qué respondes?",
            [(Respuesta.ACEPTAR, "Aceptar la solicitud"), (Respuesta.RECHAZAR, "Rechazar la solicitud")],
        )
        texto = comentario or p.texto(f"Comentario para {disputa.abierta_por}", entrada.comentario, False)
    que = {
        Respuesta.ACTUALIZACION: "Enviar la actualización",
        Respuesta.ACEPTAR: "Aceptar",
        Respuesta.RECHAZAR: "Rechazar",
    }[respuesta]
    _resumir_y_confirmar(p, que, disputa, "Texto", texto)
    return respuesta, texto


def _resumir_y_confirmar(p, que: str, disputa, rotulo: str, texto: str | None) -> None:
    """The summary of an action on a request, then ¿Continuar?; a no changes nothing (exit 1)."""
    from .. import reglas

    p.mostrar("Resumen", "bold")
    p.mostrar(f"  {que}: solicitud #{disputa.id}, {reglas.etiqueta_accion(disputa.tipo, disputa.rol)}")
    if texto:
        p.mostrar(f"  {rotulo}: {texto}")
    if not p.confirmar():
        raise Cancelado()


def _texto_actualizacion(texto: str) -> str:
    return entrada.comentario(texto, "La actualización")


@app.command("revocar", **registro())
def revocar(
    solicitud: SOLICITUD,
    comentario: opcion("Comentario para la otra parte.") = None,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Quien abrió la solicitud la retira; el pedido vuelve a su estado anterior.

    En una terminal muestra la solicitud, pregunta un comentario si falta y pide confirmación.

    Ejemplo: resolucion disputa revocar 7 --como ana --comentario "Ya está resuelto"
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import servicios

        numero = entrada.identificador(solicitud, "solicitud")
        texto = entrada.comentario(comentario)
        como = ctx.exigir_como(lambda: servicios.pedido_de(ctx.almacen(), disputa_id=numero))
        if ctx.interactivo:
            texto = _confirmar_revocacion(ctx, numero, como, texto)
        ahora, disputa, pedido = servicios.revocar_disputa(ctx.almacen(), numero, como, texto)
        _mostrar_cambio(ctx, "revocada", ahora, disputa, pedido)


def _confirmar_revocacion(ctx: Contexto, numero: int, como: str, comentario: str | None) -> str | None:
    """Show the request, ask for a comment if none was given, then confirm (SPEC §5)."""
    from .. import servicios, vista

    ahora, disputa, _ = servicios.disputa_por_revocar(ctx.almacen(), numero, como)
    p = ctx.preguntas()
    p.consola.print(vista.ficha_disputa(disputa, ahora, ctx.tz()))
    if comentario is None:
        comentario = p.texto(f"Comentario para {disputa.destinatario}", entrada.comentario, False)
    _resumir_y_confirmar(p, "Revocar", disputa, "Comentario", comentario)
    return comentario


@app.command("listar", **registro())
def listar(
    pedido: opcion("Solo las solicitudes de este pedido.", str | None, "--pedido", metavar="PEDIDO") = None,
    abiertas: opcion("Solo las abiertas.", bool, "--abiertas") = False,
    limite: opcion("Cuántas mostrar como máximo, por id (50 si no se indica).", metavar="N") = None,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Lista las solicitudes; con --como, solo las que el usuario abrió o debe responder.

    Ejemplo: resolucion disputa listar --como beto --abiertas
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        ctx.mostrar(*lecturas.listar_disputas(ctx, pedido, abiertas, limite))
