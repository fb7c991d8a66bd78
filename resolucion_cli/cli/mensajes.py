"""What reaches each party: `mensaje` (what they write each other), `bandeja` and `pendientes`."""

import typer

from .. import entrada
from ..errores import EntradaInvalida
from . import lecturas
from .comun import (
    AYUDA,
    BASE,
    COMO,
    DB,
    JSON,
    NO_INTERACTIVO,
    PEDIDO,
    TZ,
    opcion,
    orden,
    registro,
)

app = typer.Typer()


@app.command("mensaje", **registro("Reloj y mensajes"))
def mensaje(
    pedido: PEDIDO,
    texto: opcion("El mensaje para la otra parte (hasta 2000 caracteres).", str | None, "--texto") = None,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Envía un mensaje a la otra parte del pedido, en cualquier estado del pedido.

    Llega a la bandeja de la otra parte y queda en la historia del pedido. En una
    terminal, sin --texto, pregunta el mensaje.

    Ejemplo: resolucion mensaje 3 --como ana --texto "¿Puedes enviarme un boceto hoy?"
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import servicios, vista

        numero = entrada.identificador(pedido, "pedido")
        escrito = entrada.mensaje(texto) if texto is not None else None
        como = ctx.exigir_como(lambda: servicios.pedido_de(ctx.almacen(), pedido_id=numero))
        if escrito is None:
            if not ctx.interactivo:
                raise EntradaInvalida("Falta la opción --texto: escribe el mensaje para la otra parte.")
            # A non-party is refused before being asked to write anything.
            para = servicios.para_quien(ctx.almacen(), numero, como)
            escrito = ctx.preguntas().texto(f"Mensaje para {para}", entrada.mensaje, True)
        ahora, enviado = servicios.enviar_mensaje(ctx.almacen(), numero, como, escrito)
        ctx.mostrar(
            lambda: {"mensaje": vista.mensaje_json(enviado, ctx.tz())},
            lambda c: c.print(
                vista.parrafo(
                    f"Mensaje enviado a {enviado.para} en el pedido #{enviado.pedido} "
                    f"({vista.legible(ahora, ctx.tz())}): «{escrito}»"
                )
            ),
        )


@app.command("bandeja", **registro("Reloj y mensajes"))
def bandeja(
    seguir: opcion(
        "Pantalla en vivo: cada mensaje nuevo aparece al momento. Ctrl-C para salir.", bool, "--seguir"
    ) = False,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Muestra los mensajes que recibió el usuario que actúa, del más antiguo al más nuevo.

    Con --seguir, la pantalla sigue abierta y muestra cada mensaje nuevo al llegar.

    Ejemplo: resolucion bandeja --como ana --seguir
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        if not seguir:
            ctx.mostrar(*lecturas.bandeja(ctx))
            return
        from .. import servicios, vista
        from . import vivo

        vivo.comprobar(ctx)
        como = ctx.exigir_como()

        def leer(consola, alto):
            ahora, mensajes = servicios.bandeja(ctx.almacen(), como)
            por_hacer = lecturas.por_hacer(ctx, como)
            return ahora, vivo.lo_que_cabe(
                consola,
                alto,
                len(mensajes),
                lambda desde: vista.pantalla_bandeja(como, mensajes[desde:], ctx.tz(), desde, por_hacer),
            )

        vivo.seguir(ctx, f"Siguiendo la bandeja de {como}", leer)


@app.command("pendientes", **registro("Reloj y mensajes"))
def pendientes(
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Lista lo que el usuario que actúa debe hacer ahora, el plazo más próximo primero.

    Cada solicitud que debe responder y cada entrega que debe hacer, con el número de pedido,
    el número de solicitud, el plazo y el comando exacto que lo hace.

    Ejemplo: resolucion pendientes --como nora
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        ctx.mostrar(*lecturas.pendientes(ctx))
