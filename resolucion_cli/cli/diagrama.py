"""`resolucion diagrama`: the state machines of orders and requests, drawn from the rules."""

import typer

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
    reglas_conocidas,
)

app = typer.Typer()


@app.command("diagrama", **registro("Base de datos y demo"))
def diagrama(
    formato: opcion(
        "mermaid (por defecto: stateDiagram-v2) o dot (Graphviz).",
        metavar="mermaid|dot",
        valores=lambda: ("mermaid", "dot"),
    ) = None,
    politica: opcion("Reglas que se dibujan (las dos, arriba).", metavar="REGLAS", valores=reglas_conocidas) = None,
    maquina: opcion(
        "Dibujar solo una máquina: pedidos o disputas (por defecto, las dos).",
        metavar="pedidos|disputas",
        valores=lambda: ("pedidos", "disputas"),
    ) = None,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Dibuja las máquinas de estados de los pedidos y de las solicitudes.

    Se generan ejecutando las reglas del Centro de resoluciones (reglas.py), así que siempre
    coinciden con lo que hace la herramienta. No usa ninguna base de datos.

    Reglas (--politica): clasica (por defecto) o aceptacion-automatica.

    Ejemplo: resolucion diagrama --formato dot --politica aceptacion-automatica | dot -Tsvg -O
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import diagrama as generador
        from .. import entrada
        from ..reglas import POLITICAS

        elegido = entrada.opcion_de(formato, generador.FORMATOS, "--formato") if formato is not None else "mermaid"
        nombre = entrada.opcion_de(politica, list(POLITICAS), "--politica") if politica is not None else "clasica"
        cuales = (entrada.opcion_de(maquina, generador.MAQUINAS, "--maquina"),) if maquina else generador.MAQUINAS
        texto = generador.diagrama(elegido, POLITICAS[nombre], cuales)
        # Printed as is: a wrapped line or a markup tag would break the diagram's syntax.
        ctx.mostrar(
            lambda: {"formato": elegido, "politica": nombre, "texto": texto},
            lambda c: c.out(texto, highlight=False, end=""),
        )
