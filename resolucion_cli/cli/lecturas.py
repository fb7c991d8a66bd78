"""What the everyday read commands do, shared by their Typer commands and the fast path (`rapido`).

Each takes the context and the option values as typed, parses them with `entrada`, calls one
service, and returns the two ways to show its answer that `Contexto.mostrar` takes: the JSON
object and the Rich screen, both built only when shown. Free of Typer, so the fast path
answers with the very code the commands run.
"""

from collections.abc import Callable

from .. import entrada
from ..modelo import EstadoPedido
from .contexto import Contexto
from .progreso import progreso

Respuesta = tuple[Callable[[], dict], Callable]


def _limite(texto: str | None) -> int:
    from ..modelo import LIMITE_MAXIMO

    return entrada.entero(texto, "--limite", 1, LIMITE_MAXIMO) if texto is not None else 50


def ver_pedido(ctx: Contexto, pedido: str) -> Respuesta:
    from .. import servicios, vista

    datos = servicios.ver_pedido(ctx.almacen(), entrada.identificador(pedido, "pedido"), ctx.como)
    return (
        lambda: {
            "reloj": vista.iso(datos.reloj),
            "pedido": vista.pedido_json(datos.pedido, datos.reloj),
            "disputas": [vista.disputa_json(d) for d in datos.disputas],
            "eventos": [vista.evento_json(e, ctx.tz()) for e in datos.eventos],
            "plazos": [vista.plazo_json(p) for p in datos.plazos],
        },
        lambda c: vista.mostrar_pedido(c, datos, ctx.tz()),
    )


def listar_pedidos(ctx: Contexto, estado: str | None = None, limite: str | None = None) -> Respuesta:
    from .. import servicios, vista

    filtro = entrada.opcion_de(estado, list(map(str, EstadoPedido)), "--estado") if estado is not None else None
    cuantos = _limite(limite)
    ahora, pedidos, proximos, total = servicios.listar_pedidos(ctx.almacen(), ctx.como, filtro, cuantos)
    return (
        lambda: {"pedidos": [vista.pedido_json(p, ahora) for p in pedidos]},
        lambda c: vista.mostrar_pedidos(c, pedidos, proximos, ahora, ctx.tz(), total),
    )


def listar_disputas(
    ctx: Contexto, pedido: str | None = None, abiertas: bool = False, limite: str | None = None
) -> Respuesta:
    from .. import servicios, vista

    numero = entrada.identificador(pedido, "pedido") if pedido is not None else None
    cuantas = _limite(limite)
    ahora, disputas, total = servicios.listar_disputas(ctx.almacen(), ctx.como, numero, abiertas, cuantas)
    return (
        lambda: {"disputas": [vista.disputa_json(d) for d in disputas]},
        lambda c: vista.mostrar_disputas(c, disputas, ahora, ctx.tz(), total),
    )


def por_hacer(ctx: Contexto, como: str) -> dict:
    """What `como` must still answer, by request number: the inbox shows its deadline and command."""
    from .. import servicios

    # A delivery owed has no request number: messages that belong to no request are not about it.
    return {p.plazo.disputa: p for p in servicios.pendientes(ctx.almacen(), como)[1] if p.plazo.disputa is not None}


def bandeja(ctx: Contexto) -> Respuesta:
    from .. import servicios, vista

    como = ctx.exigir_como()
    ahora, mensajes = servicios.bandeja(ctx.almacen(), como)
    return (
        lambda: {"mensajes": [vista.mensaje_json(m, ctx.tz()) for m in mensajes]},
        lambda c: vista.mostrar_bandeja(c, como, mensajes, ctx.tz(), por_hacer(ctx, como)),
    )


def pendientes(ctx: Contexto) -> Respuesta:
    from .. import servicios, vista

    como = ctx.exigir_como()
    ahora, lista = servicios.pendientes(ctx.almacen(), como)
    return (
        lambda: {"reloj": vista.iso(ahora), "usuario": como, "pendientes": [vista.pendiente_json(p) for p in lista]},
        lambda c: vista.mostrar_pendientes(c, como, lista, ahora, ctx.tz()),
    )


def tick(
    ctx: Contexto,
    at: str | None = None,
    avanzar: str | None = None,
    siguiente: bool = False,
    simular: bool = False,
    limite: str | None = None,
) -> Respuesta:
    from .. import servicios, vencimientos, vista
    from ..errores import EntradaInvalida
    from ..reloj import parsear_duracion, parsear_fecha

    if sum((at is not None, avanzar is not None, siguiente)) > 1:
        raise EntradaInvalida("Usa solo una de --at, --avanzar o --siguiente.")
    destino = dict(
        hasta=parsear_fecha(at, ctx.tz(), "la fecha de --at") if at is not None else None,
        avanzar=parsear_duracion(avanzar, "la duración de --avanzar") if avanzar is not None else None,
        siguiente=siguiente,
    )
    cuantos = _limite(limite)
    # Only a tick that fires more than a batch takes long enough to need a bar.
    with progreso(ctx, umbral=vencimientos.LOTE) as barra:
        r = servicios.tick(ctx.almacen(), simular=simular, responde=ctx.como, limite=cuantos, progreso=barra, **destino)
    return (
        lambda: {
            "reloj_anterior": vista.iso(r.reloj_anterior),
            "reloj": vista.iso(r.reloj),
            "simulado": r.simulado,
            "procesados": (
                {"disputa": disputa, "pedido": pedido, "tipo": tipo, "vence_en": vence_en, "resultado": resultado}
                for disputa, pedido, tipo, vence_en, resultado in r.procesados.filas()
            ),
            "pendientes": [vista.plazo_json(p) for p in r.pendientes],
        },
        lambda c: vista.mostrar_tick(c, r, ctx.tz()),
    )
