"""`resolucion tick`: move the simulated clock and fire the deadlines that fall due."""

import typer

from . import lecturas
from .comun import (
    AYUDA,
    BASE,
    COMO,
    DB,
    JSON,
    NO_INTERACTIVO,
    TZ,
    opcion,
    orden,
    registro,
)

app = typer.Typer()


@app.command("tick", **registro("Reloj y mensajes"))
def tick(
    at: opcion("Mover el reloj hasta esta fecha (ISO 8601).", str | None, "--at", metavar="FECHA") = None,
    avanzar: opcion("Mover el reloj esta duración (90m, 48h, 2d, 1w, 1d12h, P2DT3H).", metavar="DURACIÓN") = None,
    siguiente: opcion("Mover el reloj al próximo vencimiento de una solicitud.", bool, "--siguiente") = False,
    simular: opcion("Mostrar qué pasaría sin cambiar nada.", bool, "--simular") = False,
    limite: opcion("Cuántos plazos pendientes mostrar como máximo (50 si no se indica).", metavar="N") = None,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Mueve el reloj y procesa los plazos vencidos, cada uno en su instante y por orden.

    Sin opciones procesa lo que ya venció. Con --como, los plazos pendientes son solo los que
    ese usuario debe atender.

    Ejemplo: resolucion tick --avanzar 48h
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        ctx.mostrar(*lecturas.tick(ctx, at, avanzar, siguiente, simular, limite))
