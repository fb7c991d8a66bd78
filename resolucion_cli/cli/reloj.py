"""`resolucion tick`: move the simulated clock and fire the deadlines that fall due."""

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
    TZ,
    opcion,
    orden,
    registro,
)
from .progreso import progreso

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
        from .. import servicios, vencimientos, vista
        from ..reloj import parsear_duracion, parsear_fecha

        if sum((at is not None, avanzar is not None, siguiente)) > 1:
            raise EntradaInvalida("Usa solo una de --at, --avanzar o --siguiente.")
        destino = dict(
            hasta=parsear_fecha(at, ctx.tz(), "la fecha de --at") if at is not None else None,
            avanzar=parsear_duracion(avanzar, "la duración de --avanzar") if avanzar is not None else None,
            siguiente=siguiente,
        )
        cuantos = entrada.entero(limite, "--limite", 1, vista.LIMITE_MAXIMO) if limite is not None else 50
        # Only a tick that fires more than a batch takes long enough to need a bar.
        with progreso(ctx, umbral=vencimientos.LOTE) as barra:
            r = servicios.tick(
                ctx.almacen(), simular=simular, responde=ctx.como, limite=cuantos, progreso=barra, **destino
            )
        ctx.mostrar(
            lambda: {
                "reloj_anterior": vista.iso(r.reloj_anterior),
                "reloj": vista.iso(r.reloj),
                "simulado": r.simulado,
                "procesados": (
                    {
                        "disputa": x.disputa,
                        "pedido": x.pedido,
                        "tipo": str(x.tipo),
                        "vence_en": vista.iso(x.vence_en),
                        "resultado": str(x.resultado),
                    }
                    for x in r.procesados
                ),
                "pendientes": [vista.plazo_json(p) for p in r.pendientes],
            },
            lambda c: vista.mostrar_tick(c, r, ctx.tz()),
        )
