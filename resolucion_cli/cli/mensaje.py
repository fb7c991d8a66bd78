"""`resolucion mensaje`: what the parties say to each other while they role-play an order."""

import typer

from .. import entrada
from ..errores import EntradaInvalida
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
