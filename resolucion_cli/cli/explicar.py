"""`resolucion explicar`: each step of a request, the rule behind it, the help pages' words and the tool's reading."""

import typer

from .. import entrada
from .comun import (
    AYUDA,
    BASE,
    COMO,
    DB,
    JSON,
    NO_INTERACTIVO,
    SOLICITUD,
    TZ,
    orden,
    registro,
)

app = typer.Typer()


@app.command("explicar", **registro("Pedidos y solicitudes"))
def explicar(
    solicitud: SOLICITUD,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Explica una solicitud: qué le pasó, cuándo, quién actuó y qué regla se aplicó.

    Cada paso (abierta, respondida, aceptada, rechazada, revocada, vencida) muestra la regla
    de las reglas con las que se abrió la solicitud, las frases de las páginas de ayuda en las
    que se basa, citadas palabra por palabra entre «» y con la página de la que salen, y, aparte,
    lo que es interpretación de resolucion. Con --como, solo el cliente o el freelancer del
    pedido pueden verla.

    Ejemplo: resolucion explicar 1 --como ana
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import servicios, vista

        numero = entrada.identificador(solicitud, "solicitud")
        ahora, explicacion = servicios.explicar_disputa(ctx.almacen(), numero, ctx.como, ctx.tz())
        ctx.mostrar(
            lambda: vista.explicacion_json(explicacion),
            lambda c: vista.mostrar_explicacion(c, explicacion, ahora, ctx.tz()),
        )
