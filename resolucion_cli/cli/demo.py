"""`resolucion demo`: play sample_data/demo.sh, narrated, with the screens a user would see."""

import typer

from ..errores import EntradaInvalida, RechazadoPorRegla, Salida
from .comun import (
    AYUDA,
    BASE,
    COMO,
    DB,
    JSON,
    NO_INTERACTIVO,
    TZ,
    base_nueva,
    opcion,
    orden,
    registro,
)

app = typer.Typer()


def _ejecutar(argumentos: list[str]) -> int:
    from . import app

    comando_raiz = typer.main.get_command(app)
    try:
        comando_raiz.main(args=argumentos, prog_name="resolucion")
    except SystemExit as salida:
        return salida.code or 0
    return 0


@app.command("demo", **registro("Base de datos y demo"))
def demo(
    contexto: typer.Context,
    pausa: opcion("Esperar a que pulses Intro entre un paso y el siguiente.", bool, "--pausa") = False,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Cuenta, narrada, una historia completa del Centro de resoluciones.

    Cada tipo de solicitud y cada forma de terminar, con las pantallas que vería cada parte.
    Usa una base temporal que se borra al acabar, salvo que indiques --db en la línea de
    comandos (RESOLUCION_DB se ignora).

    Ejemplo: resolucion demo --pausa
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        import shlex

        from rich.rule import Rule
        from rich.text import Text

        from ..historia import historia
        from ..vista import consola

        if ctx.json:
            raise EntradaInvalida("La demo es una narración para personas: no tiene salida --json.")
        c = consola()
        with base_nueva(ctx, contexto, "La demo") as (db, db_propia):
            for numero, paso in enumerate(historia(), start=1):
                if paso.narracion:
                    c.print()
                    c.print(Text(f"▶ {paso.narracion}", style="bold cyan"))
                    c.print(Rule(style="cyan"))
                    continue
                c.print(Text(f"$ resolucion {shlex.join(paso.argumentos)}", style="dim"))
                # Every screen and message of the story reads in the zone the demo was given.
                zona = ["--tz", ctx.tz_nombre] if ctx.tz_nombre else []
                codigo = _ejecutar([*paso.argumentos, "--db", db, "--no-interactivo", *zona])
                if codigo in (Salida.TUBERIA_CERRADA, Salida.INTERRUMPIDO, Salida.TERMINADO):
                    # The step already ended the way the whole demo must (quietly for a closed
                    # pipe, or having said it was interrupted): not a deviation from the story.
                    raise typer.Exit(codigo)
                if (codigo != 0) != paso.debe_fallar:
                    esperado = "fallar" if paso.debe_fallar else "funcionar"
                    raise RechazadoPorRegla(
                        f"La demo se desvió del guion en el paso {numero}: el comando debía {esperado} "
                        f"y salió con el código {codigo}."
                    )
                if pausa:
                    c.input(Text("Pulsa Intro para continuar… ", style="dim"))
            c.print()
            c.print(Text("Fin de la demo." + (f" La base queda en {db}." if db_propia else ""), style="bold"))
