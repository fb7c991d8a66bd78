"""`resolucion disputa ...`: open, answer, revoke and list requests (controversias)."""

import typer

from .. import entrada
from ..errores import EntradaInvalida
from .comun import Contexto, argumento, comando, opcion, requerir

app = typer.Typer(
    help="Solicitudes del Centro de resoluciones: abrir, responder, revocar, listar.", no_args_is_help=True
)


def _mostrar_cambio(ctx: Contexto, verbo: str, ahora, disputa, pedido) -> None:
    from .. import vista

    ctx.mostrar(
        lambda: {"disputa": vista.disputa_json(disputa), "pedido": vista.pedido_json(pedido, ahora)},
        lambda c: vista.mostrar_cambio_disputa(c, verbo, disputa, pedido, ctx.tz()),
    )


@comando(app, "abrir")
def abrir(
    ctx: Contexto,
    pedido: argumento("Número del pedido."),
    tipo: opcion(
        "actualizacion o cancelacion (cliente); cancelacion, prorroga o extras (freelancer)."
    ) = None,
    motivo: opcion(
        "Motivo de la cancelación del freelancer: cliente_no_responde, cliente_lo_pidio, fuera_de_alcance, "
        "no_puedo_completar, informacion_insuficiente u otro."
    ) = None,
    comentario: opcion("Comentario para la otra parte (obligatorio en la cancelación del cliente).") = None,
    nueva_entrega: opcion("Prórroga: la nueva fecha de entrega (posterior a la actual).") = None,
    extras_precio: opcion("Extras: precio adicional (120, 120,50).") = None,
    extras_descripcion: opcion("Extras: qué incluyen.") = None,
    extras_dias: opcion("Extras: días de entrega adicionales (opcional).") = None,
) -> None:
    """Abre una solicitud en el Centro de resoluciones. La otra parte tiene 48 h (actualización,
    cancelación) o 96 h (prórroga, extras) para responder.

    Ejemplo: resolucion disputa abrir 3 --como ana --tipo cancelacion --comentario "Ya no lo necesito"
    """
    from .. import reglas, servicios
    from ..modelo import MOTIVOS, TipoDisputa
    from ..reloj import parsear_fecha

    numero = entrada.identificador(pedido, "pedido")
    requerir(tipo=tipo)
    como = ctx.exigir_como()
    solicitud = reglas.Solicitud(
        tipo=TipoDisputa(entrada.opcion_de(tipo, list(map(str, TipoDisputa)), "--tipo")),
        motivo=entrada.opcion_de(motivo, list(MOTIVOS), "--motivo") if motivo is not None else None,
        comentario=entrada.comentario(comentario),
        nueva_fecha_entrega=(
            parsear_fecha(nueva_entrega, ctx.tz(), "la nueva fecha de entrega")
            if nueva_entrega is not None
            else None
        ),
        extras_centavos=entrada.centavos(extras_precio, "--extras-precio")
        if extras_precio is not None
        else None,
        extras_descripcion=(
            entrada.texto_corto(extras_descripcion, "--extras-descripcion", entrada.MAX_COMENTARIO)
            if extras_descripcion is not None
            else None
        ),
        extras_dias=(
            entrada.entero(extras_dias, "--extras-dias", 1, entrada.MAX_EXTRAS_DIAS)
            if extras_dias is not None
            else None
        ),
    )
    ahora, disputa, pedido_actual = servicios.abrir_disputa(ctx.almacen(), numero, como, solicitud)
    _mostrar_cambio(ctx, "abierta", ahora, disputa, pedido_actual)


@comando(app, "responder")
def responder(
    ctx: Contexto,
    id: argumento("Número de la solicitud."),
    aceptar: opcion("Aceptar la solicitud (cancelación, prórroga, extras).", bool, "--aceptar") = False,
    rechazar: opcion("Rechazar la solicitud (cancelación, prórroga, extras).", bool, "--rechazar") = False,
    actualizacion: opcion("Enviar la actualización que pidió el cliente.") = None,
    comentario: opcion("Comentario para quien abrió la solicitud.") = None,
) -> None:
    """Responde a una solicitud de la otra parte.

    Ejemplo: resolucion disputa responder 7 --como beto --rechazar --comentario "Lo entrego mañana"
    """
    from .. import servicios
    from ..modelo import Respuesta

    numero = entrada.identificador(id, "solicitud")
    dadas = [
        r
        for r, dada in (
            (Respuesta.ACEPTAR, aceptar),
            (Respuesta.RECHAZAR, rechazar),
            (Respuesta.ACTUALIZACION, actualizacion is not None),
        )
        if dada
    ]
    if not dadas:
        raise EntradaInvalida("Falta la respuesta: usa --aceptar, --rechazar o --actualizacion TEXTO.")
    if len(dadas) > 1:
        raise EntradaInvalida("Da una sola respuesta: --aceptar, --rechazar o --actualizacion TEXTO.")
    respuesta = dadas[0]
    if respuesta == Respuesta.ACTUALIZACION:
        if comentario is not None:
            raise EntradaInvalida(
                "La actualización ya es el texto de la respuesta: no uses también --comentario."
            )
        texto = entrada.comentario(actualizacion, "--actualizacion")
        if texto is None:
            raise EntradaInvalida("--actualizacion no puede estar vacía: escribe cómo va el pedido.")
    else:
        texto = entrada.comentario(comentario)
    como = ctx.exigir_como()
    ahora, disputa, pedido = servicios.responder_disputa(ctx.almacen(), numero, como, respuesta, texto)
    _mostrar_cambio(
        ctx,
        "respondida" if respuesta == Respuesta.ACTUALIZACION else str(disputa.estado),
        ahora,
        disputa,
        pedido,
    )


@comando(app, "revocar")
def revocar(
    ctx: Contexto,
    id: argumento("Número de la solicitud."),
    comentario: opcion("Comentario para la otra parte.") = None,
) -> None:
    """Quien abrió la solicitud la retira; el pedido vuelve a su estado anterior.

    Ejemplo: resolucion disputa revocar 7 --como ana --comentario "Ya está resuelto"
    """
    from .. import servicios

    numero = entrada.identificador(id, "solicitud")
    texto = entrada.comentario(comentario)
    como = ctx.exigir_como()
    ahora, disputa, pedido = servicios.revocar_disputa(ctx.almacen(), numero, como, texto)
    _mostrar_cambio(ctx, "revocada", ahora, disputa, pedido)


@comando(app, "listar")
def listar(
    ctx: Contexto,
    pedido: opcion("Solo las solicitudes de este pedido.") = None,
    abiertas: opcion("Solo las abiertas.", bool, "--abiertas") = False,
    limite: opcion("Cuántas mostrar como máximo, por id (50 si no se indica).") = None,
) -> None:
    """Lista las solicitudes; con --como, solo las que el usuario abrió o debe responder.

    Ejemplo: resolucion disputa listar --como beto --abiertas
    """
    from .. import servicios, vista

    numero = entrada.identificador(pedido, "pedido") if pedido is not None else None
    cuantas = entrada.entero(limite, "--limite", 1, 10_000) if limite is not None else 50
    ahora, disputas = servicios.listar_disputas(ctx.almacen(), ctx.como, numero, abiertas, cuantas)
    ctx.mostrar(
        lambda: {"disputas": [vista.disputa_json(d) for d in disputas]},
        lambda c: vista.mostrar_disputas(c, disputas, ahora, ctx.tz()),
    )
