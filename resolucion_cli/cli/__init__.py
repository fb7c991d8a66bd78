"""The `resolucion` command: one Typer sub-app per file, composed here."""

import typer

from . import demo, disputa, general, pedido, reloj
from .comun import GrupoResolucion

app = typer.Typer(
    cls=GrupoResolucion,
    help="Centro de resoluciones de un marketplace de freelancers sobre un archivo SQLite.",
    no_args_is_help=True,
)
general.registrar(app)
app.add_typer(pedido.app, name="pedido")
app.add_typer(disputa.app, name="disputa")
reloj.registrar(app)
demo.registrar(app)


def main() -> None:
    app()
