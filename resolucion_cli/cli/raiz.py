"""The Typer app of `resolucion`: one Typer sub-app per file, composed here."""

import os
import sys
from pathlib import Path
from typing import Annotated

import click
import typer

from . import base, demo, diagrama, disputa, explicar, guion, informe, instantanea, mensajes, pedido, reloj, tablero
from .comun import AYUDA, OPCIONES, SHELL_PEDIDA, SHELLS, SUBCOMANDO, GrupoResolucion, grupo

app = typer.Typer(
    cls=GrupoResolucion,
    options_metavar=OPCIONES,
    subcommand_metavar=SUBCOMANDO,
    add_completion=False,
    context_settings={"help_option_names": []},
)


def _shell(contexto: typer.Context) -> str:
    """The shell named after the option (`--show-completion zsh`), else the user's own ($SHELL)."""
    shell = contexto.meta.get(SHELL_PEDIDA) or Path(os.environ.get("SHELL", "")).name
    if shell not in SHELLS:
        raise click.UsageError(
            f"No sé autocompletar en «{shell or 'tu shell'}»: funciona en bash, zsh, fish y PowerShell.", contexto
        )
    return shell


def _instalar(contexto: typer.Context, parametro, pedido: bool) -> None:
    if pedido and not contexto.resilient_parsing:
        shell, ruta = typer.completion.install(shell=_shell(contexto))
        sys.stdout.write(f"Autocompletado de {shell} instalado en {ruta}: funcionará al abrir una terminal nueva.\n")
        raise typer.Exit()


def _mostrar(contexto: typer.Context, parametro, pedido: bool) -> None:
    if pedido and not contexto.resilient_parsing:
        typer.completion.show_callback(contexto, parametro, _shell(contexto))


def _completado(nombre: str, ayuda: str, callback):
    """Typer's own completion options (its own speak English), with Spanish help."""
    return Annotated[
        bool,
        typer.Option(
            nombre, help=ayuda, callback=callback, expose_value=False, is_eager=True, rich_help_panel="Opciones comunes"
        ),
    ]


def _mostrar_version(contexto: typer.Context, parametro, pedida: bool) -> None:
    if pedida and not contexto.resilient_parsing:
        from importlib.metadata import version

        sys.stdout.write(f"resolucion {version('resolucion')}\n")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def raiz(
    contexto: typer.Context,
    _ayuda: AYUDA = False,
    _version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Muestra la versión de resolucion y sale.",
            callback=_mostrar_version,
            expose_value=False,
            is_eager=True,
            rich_help_panel="Opciones comunes",
        ),
    ] = False,
    _instalar: _completado(
        "--install-completion",
        "Instala el autocompletado de resolucion en tu shell, o en la indicada (bash, zsh, fish).",
        _instalar,
    ) = False,
    _mostrar: _completado(
        "--show-completion",
        "Muestra el script de autocompletado de tu shell, o de la indicada, para copiarlo o adaptarlo.",
        _mostrar,
    ) = False,
) -> None:
    """Centro de resoluciones de un marketplace de freelancers sobre un archivo SQLite.

    Ejemplo: resolucion demo
    """
    grupo(contexto)


def _subgrupo(nombre: str, panel: str = "Pedidos y solicitudes") -> dict:
    """How a sub-app is mounted: our group class, so its usage and errors are Spanish too."""
    return dict(
        name=nombre,
        cls=GrupoResolucion,
        options_metavar=OPCIONES,
        subcommand_metavar=SUBCOMANDO,
        rich_help_panel=panel,
    )


# Groups mount under their name; the files of top-level commands merge theirs into the root.
app.add_typer(base.app)
app.add_typer(mensajes.app)
app.add_typer(pedido.app, **_subgrupo("pedido"))
app.add_typer(disputa.app, **_subgrupo("disputa"))
app.add_typer(reloj.app)
app.add_typer(demo.app)
app.add_typer(instantanea.app, **_subgrupo("instantanea", "Base de datos y demo"))
app.add_typer(guion.app)
app.add_typer(explicar.app)
app.add_typer(informe.app)
app.add_typer(diagrama.app)
app.add_typer(tablero.app)
