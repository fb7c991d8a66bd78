"""`resolucion pedido ...`: create, list, view, deliver and complete orders."""

import typer

from .. import entrada
from ..modelo import EstadoPedido
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
    Contexto,
    grupo,
    opcion,
    orden,
    registro,
    requerir,
)

app = typer.Typer(help="Pedidos: crear, listar, ver, entregar y completar.\n\nEjemplo: resolucion pedido ver 3")


@app.callback(invoke_without_command=True)
def pedido(contexto: typer.Context, _ayuda: AYUDA = False) -> None:
    grupo(contexto)


@app.command("crear", **registro())
def crear(
    cliente: opcion("Usuario del cliente (comprador).", metavar="USUARIO") = None,
    freelancer: opcion("Usuario del freelancer (vendedor).", metavar="USUARIO") = None,
    titulo: opcion("Título del pedido (1 a 120 caracteres).") = None,
    precio: opcion("Precio: 120, 120,50, 1.234,50 o US$ 1.234,50.", str | None, "--precio", metavar="PRECIO") = None,
    entrega: opcion(
        "Fecha de entrega (2026-12-01T18:00) o plazo desde el reloj (7d, 48h).", metavar="FECHA|DURACIÓN"
    ) = None,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Crea un pedido en estado activo.

    Ejemplo: resolucion pedido crear --cliente ana --freelancer beto --titulo Logo --precio 120,50 --entrega 7d
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import servicios, vista
        from ..reloj import parsear_fecha_o_duracion

        requerir(cliente=cliente, freelancer=freelancer, titulo=titulo, precio=precio, entrega=entrega)
        datos = dict(
            cliente=entrada.usuario(cliente, "--cliente"),
            freelancer=entrada.usuario(freelancer, "--freelancer"),
            titulo=entrada.texto_corto(titulo, "--titulo"),
            precio_centavos=entrada.centavos(precio),
            entrega=parsear_fecha_o_duracion(entrega, ctx.tz(), "la fecha de entrega"),
        )
        ahora, pedido = servicios.crear_pedido(ctx.almacen(), **datos)
        ctx.mostrar(
            lambda: {"pedido": vista.pedido_json(pedido, ahora)},
            lambda c: vista.mostrar_pedido_corto(c, "creado", pedido, ctx.tz()),
        )


@app.command("listar", **registro())
def listar(
    estado: opcion(
        "Solo los pedidos en este estado (activo, entregado, en_controversia, completado, cancelado).",
        str | None,
        "--estado",
        metavar="ESTADO",
        valores=lambda: map(str, EstadoPedido),
    ) = None,
    limite: opcion("Cuántos pedidos mostrar como máximo, por id (50 si no se indica).", metavar="N") = None,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Lista los pedidos con su estado y su próximo plazo; con --como, solo los de ese usuario.

    Ejemplo: resolucion pedido listar --como ana --estado en_controversia
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        ctx.mostrar(*lecturas.listar_pedidos(ctx, estado, limite))


@app.command("ver", **registro())
def ver(
    pedido: PEDIDO,
    seguir: opcion(
        "Pantalla en vivo: se redibuja en cuanto otra terminal cambia la base (y cada segundo con el "
        "reloj real). Ctrl-C para salir.",
        bool,
        "--seguir",
    ) = False,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Muestra el pedido, su solicitud abierta con la cuenta atrás, sus solicitudes y su historial.

    Con --como, solo las partes del pedido pueden verlo. Con --seguir, la pantalla sigue abierta y
    muestra cada cambio al momento.

    Ejemplo: resolucion pedido ver 3 --como ana --seguir
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        if not seguir:
            ctx.mostrar(*lecturas.ver_pedido(ctx, pedido))
            return
        from .. import servicios, vista
        from . import vivo

        vivo.comprobar(ctx)
        numero = entrada.identificador(pedido, "pedido")

        def leer(_consola, _alto):
            datos = servicios.ver_pedido(ctx.almacen(), numero, ctx.como)
            return datos.reloj, vista.pantalla_pedido(datos, ctx.tz())

        vivo.seguir(ctx, f"Siguiendo el pedido #{numero}", leer)


def _cambiar(ctx: Contexto, pedido: str, accion, verbo: str) -> None:
    from .. import servicios, vista

    numero = entrada.identificador(pedido, "pedido")
    como = ctx.exigir_como(lambda: servicios.pedido_de(ctx.almacen(), pedido_id=numero))
    ahora, pedido = accion(ctx.almacen(), numero, como)
    ctx.mostrar(
        lambda: {"pedido": vista.pedido_json(pedido, ahora)},
        lambda c: vista.mostrar_pedido_corto(c, verbo, pedido, ctx.tz()),
    )


@app.command("entregar", **registro())
def entregar(
    pedido: PEDIDO,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """El freelancer entrega el pedido (activo → entregado).

    Ejemplo: resolucion pedido entregar 3 --como beto
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import servicios

        _cambiar(ctx, pedido, servicios.entregar, "entregado")


@app.command("completar", **registro())
def completar(
    pedido: PEDIDO,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """El cliente acepta la entrega (entregado → completado).

    Ejemplo: resolucion pedido completar 3 --como ana
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import servicios

        _cambiar(ctx, pedido, servicios.completar, "completado")
