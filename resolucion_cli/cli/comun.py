"""What every Typer command shares: the common options, the app context, and error handling.

`comando` registers a function as a Typer command and adds the options every command
takes after its name (--db --como --json --tz --no-interactivo, SPEC §5). Errors from
any layer end here, as one Spanish sentence and the exit code of SPEC §7.
"""

import inspect
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from gettext import gettext
from typing import Annotated

import click
import typer
from typer.core import TyperCommand, TyperGroup

from .. import entrada
from ..errores import EntradaInvalida, Salida
from . import salida
from .contexto import BASE as BASE  # the default of --db, which every command lists
from .contexto import Contexto, explicar


@contextmanager
def base_nueva(ctx: Contexto, contexto: typer.Context, quien: str) -> Iterator[tuple[str, bool]]:
    """A new database for a story (`demo`, `guion`): `(path, kept)`.

    Only a `--db` typed on this command line is used (and kept afterwards); RESOLUCION_DB is
    ignored, so a story never writes into the user's everyday file. Otherwise a temporary one,
    deleted at the end.
    """
    import tempfile
    from pathlib import Path

    propia = contexto.get_parameter_source("db").name == "COMMANDLINE"
    if propia:
        if ctx.servidor():
            from ..postgres import tiene_tablas

            if tiene_tablas(ctx.db):
                raise EntradaInvalida(
                    f"{quien} necesita una base nueva y «{ctx.db_absoluta()}» ya tiene tablas: "
                    "indica una base vacía con --db."
                )
        elif Path(ctx.db).exists() and Path(ctx.db).stat().st_size > 0:
            raise EntradaInvalida(f"{quien} necesita una base nueva y «{ctx.db}» ya existe: indica otra ruta con --db.")
        yield ctx.db, True
        return
    with tempfile.TemporaryDirectory(prefix="resolucion-") as carpeta:
        yield str(Path(carpeta) / "resolucion.db"), False


def requerir(**opciones) -> None:
    """Refuse (exit 2) the first option left out; keyword names use _ for -."""
    for nombre, valor in opciones.items():
        if valor is None:
            raise EntradaInvalida(f"Falta la opción --{nombre.replace('_', '-')}.")


def completar_con(valores: Callable[[], Iterable[str]]):
    """Shell completion of an option's values: those of `valores()` that start as typed. A
    callable, so the module that holds them is imported only when the shell asks."""

    def completar(incomplete: str) -> list[str]:
        return [valor for valor in valores() if valor.startswith(incomplete)]

    return completar


def reglas_conocidas() -> list[str]:
    """The names of the rule sets, for the shell (`reglas` is imported only when it asks)."""
    from ..reglas import POLITICAS

    return list(POLITICAS)


def opcion(
    ayuda: str,
    tipo=str | None,
    *nombres: str,
    metavar: str = "TEXTO",
    panel: str = "Opciones",
    valores: Callable[[], Iterable[str]] | None = None,
    **extra,
):
    """A command option; values arrive as text and are parsed by `entrada` (our messages).
    `valores`: the values the shell completes."""
    if tipo is not bool:
        extra["metavar"] = metavar
    if valores is not None:
        extra["autocompletion"] = completar_con(valores)
    return Annotated[
        tipo,
        typer.Option(*nombres, help=ayuda, show_default=False, show_envvar=False, rich_help_panel=panel, **extra),
    ]


def argumento(ayuda: str, metavar: str, clase: str = "número"):
    """A required positional value; Click reports it missing and `mensaje_de_uso` says so in Spanish.

    --help shows a parser's name as the kind of value, so the parser is the identity named
    `clase`: the value is still parsed by `entrada`, with our messages.
    """

    def tal_cual(texto: str) -> str:
        return texto

    tal_cual.__name__ = clase
    return Annotated[
        str,
        typer.Argument(help=ayuda, metavar=metavar, parser=tal_cual, show_default=False, rich_help_panel="Argumentos"),
    ]


# Order and request numbers overlap (#3 may be both), so each argument says which it is.
PEDIDO = argumento("Número de pedido (el de «pedido listar»), no el de una solicitud.", "PEDIDO")
SOLICITUD = argumento("Número de solicitud (el de «pendientes» o «disputa listar»), no el de su pedido.", "SOLICITUD")


def mostrar_ayuda(contexto: typer.Context, _parametro, pedida: bool) -> None:
    """--help in Spanish: Typer draws the help as it prints it."""
    if pedida and not contexto.resilient_parsing:
        try:
            contexto.get_help()
        except SystemExit:
            # Rich answers a closed stdout (`--help | head -1`) with exit 1 after silencing it;
            # a closed pipe is not a failure of ours and ends like every command's (SPEC §7).
            raise typer.Exit(Salida.TUBERIA_CERRADA) from None
        raise typer.Exit()


def grupo(contexto: typer.Context) -> None:
    """A command group typed alone shows its help (exit 0) instead of a usage error."""
    if contexto.invoked_subcommand is None and not contexto.resilient_parsing:
        mostrar_ayuda(contexto, None, True)


AYUDA = Annotated[
    bool,
    typer.Option(
        "--help",
        "-h",
        help="Muestra esta ayuda y sale.",
        is_eager=True,
        expose_value=False,
        callback=mostrar_ayuda,
        rich_help_panel="Opciones comunes",
    ),
]


# The options every command takes after its name (SPEC §5), declared once here and listed
# in each command's signature: Typer's own way to share an option between commands.
PANEL_COMUN = "Opciones comunes"
DB = opcion(
    "Archivo de la base de datos, o URL de PostgreSQL (variable RESOLUCION_DB; por defecto resolucion.db).",
    str,
    "--db",
    metavar="ARCHIVO",
    panel=PANEL_COMUN,
    envvar="RESOLUCION_DB",
)
COMO = opcion(
    "Usuario que actúa (variable RESOLUCION_USUARIO).",
    str | None,
    "--como",
    metavar="USUARIO",
    panel=PANEL_COMUN,
    envvar="RESOLUCION_USUARIO",
)
JSON = opcion("Salida JSON para scripts (un objeto en stdout).", bool, "--json", panel=PANEL_COMUN)
TZ = opcion(
    "Zona horaria de las fechas (variable RESOLUCION_TZ; por defecto la del sistema).",
    str | None,
    "--tz",
    metavar="ZONA",
    panel=PANEL_COMUN,
    envvar="RESOLUCION_TZ",
)
NO_INTERACTIVO = opcion("No preguntar nunca: lo que falte es un error.", bool, "--no-interactivo", panel=PANEL_COMUN)
_FLAGS_COMUNES = {"--db", "--como", "--json", "--tz", "--no-interactivo"}


def registro(panel: str = "Comandos") -> dict:
    """How every command is registered (`@app.command(NAME, **registro(PANEL))`): our command
    class, the Spanish options metavar, and the help panel it is listed under."""
    return dict(cls=OrdenResolucion, options_metavar=OPCIONES, rich_help_panel=panel)


@contextmanager
def orden(db: str, como: str | None, json_: bool, tz: str | None, no_interactivo: bool) -> Iterator[Contexto]:
    """One run of a command: its context, and every failure inside turned into one Spanish
    sentence and the exit code of SPEC §7. Used as `with orden(db, como, json_, tz, no_interactivo) as ctx:`."""
    ctx = None
    with salida.preparada():
        try:
            ctx = Contexto.de_opciones(db, como, json_, tz, no_interactivo)
            _exigir_utf8(click.get_current_context(silent=True))
            yield ctx
            sys.stdout.flush()  # a closed pipe shows up here, where it is handled, not at exit
        except BrokenPipeError:
            # The reader left (`| head`): nobody is there to read a message, and the change, if
            # any, stays. The exit status is the one a tool killed by SIGPIPE has (SPEC §7).
            salida.callar_stdout()
            raise typer.Exit(Salida.TUBERIA_CERRADA) from None
        except (typer.Exit, typer.Abort):
            raise
        except (Exception, KeyboardInterrupt) as error:
            if isinstance(error, KeyboardInterrupt):
                salida.callar_stdout()  # what is still buffered is dropped, not flushed at exit
            abortar(json_, *explicar(error, ctx, db))
        finally:
            if ctx is not None:
                ctx.cerrar()


def _exigir_utf8(contexto: click.Context | None) -> None:
    """Refuse (exit 2) a value typed in another encoding than UTF-8: Python keeps such bytes as
    lone surrogates, which no screen, file or database can write later."""
    if contexto is None:
        return
    for parametro in contexto.command.params:
        valor = contexto.params.get(parametro.name)
        for texto in valor if isinstance(valor, list | tuple) else [valor]:
            if isinstance(texto, str) and not entrada.es_utf8(texto):
                visible = texto.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                es_opcion = parametro.param_type_name == "option"
                nombre = parametro.opts[0] if es_opcion else parametro.human_readable_name
                raise EntradaInvalida(
                    f"{nombre} tiene bytes que no son UTF-8 («{entrada.limpiar(visible)}»): "
                    "escríbelo con la terminal en UTF-8 (por ejemplo LANG=es_ES.UTF-8)."
                )


def abortar(json_: bool, codigo: int, mensaje: str, error: bool = True):
    """Report one error on stderr (SPEC §7) and leave with its exit code."""
    raise typer.Exit(salida.avisar(json_, codigo, mensaje, error))


def _instalar_catalogo() -> None:
    """Typer's own words (help labels, panel titles) go through Python's global gettext domain.

    Spanish is chosen for the process whatever LANG says (under LANG=C gettext would fall back to
    English): the tool speaks only Spanish. It must run before `typer.rich_utils` is imported,
    because that module translates its labels once, at import.
    """
    import gettext
    from pathlib import Path

    gettext.bindtextdomain("resolucion", str(Path(__file__).resolve().parent.parent / "locale"))
    gettext.textdomain("resolucion")
    os.environ["LANGUAGE"] = "es"


_instalar_catalogo()


OPCIONES = "[OPCIONES]"
SUBCOMANDO = "COMANDO [ARGUMENTOS]..."


def mensaje_de_uso(error: click.UsageError) -> str:
    """A usage error as one sentence: Click's message and its hint, both from the catalog."""
    frase = entrada.limpiar(error.format_message())
    if (
        isinstance(error, click.NoSuchOption)
        and error.option_name in _FLAGS_COMUNES
        and isinstance(getattr(error.ctx, "command", None), click.Group)
    ):
        # Ours: a common option typed before the command is the one mistake worth naming.
        ejemplo = f"resolucion pedido listar {error.option_name} …"
        frase = f"La opción {error.option_name} va después del comando, no antes: «{ejemplo}»."
    ruta = error.ctx.command_path if error.ctx is not None else "resolucion"
    pista = gettext("Try '{command} {option}' for help.").format(command=ruta, option="--help")
    return f"{frase} {pista}"


class OrdenResolucion(TyperCommand):
    """A command of resolucion: its help's paragraphs rewrapped to the terminal."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Typer keeps the docstring's line breaks; a narrow terminal would then wrap every line
        # again, leaving ragged half-lines.
        if self.help:
            self.help = "\n\n".join(" ".join(p.split()) for p in inspect.cleandoc(self.help).split("\n\n"))

    def parse_args(self, contexto, argumentos):
        try:
            return super().parse_args(contexto, argumentos)
        except click.UsageError as error:
            # Click's parser raises some option errors without the command they belong to: the
            # hint must name this command's --help, not the root's.
            if error.ctx is None:
                error.ctx = contexto
            raise


SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
SHELL_PEDIDA = "resolucion.shell"  # where the root keeps the shell named after a completion option
_OPCIONES_DE_SHELL = {"--show-completion", "--install-completion"}


class GrupoResolucion(TyperGroup):
    """A command group; the root one runs non-standalone so usage errors get our sentence."""

    def parse_args(self, contexto, argumentos):
        # `--show-completion zsh`: Typer's completion options are flags (it reads $SHELL), and
        # the shell that follows would be taken for a command; it is kept aside for them.
        if (
            len(argumentos) > 1
            and argumentos[0] in _OPCIONES_DE_SHELL
            and not argumentos[1].startswith("-")
            and argumentos[1] not in self.commands
        ):
            contexto.meta[SHELL_PEDIDA] = argumentos[1]
            argumentos = [argumentos[0], *argumentos[2:]]
        return super().parse_args(contexto, argumentos)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggest_commands = False  # Typer adds its own English "Did you mean" to Click's, translated

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        argumentos = list(sys.argv[1:] if args is None else args)
        if os.environ.get("_RESOLUCION_COMPLETE"):
            # The shell asks for completions: Typer's shell classes must be registered first
            # (Typer does it only for its own --install-completion, which we replace).
            from typer.completion import completion_init

            completion_init()
        try:
            codigo = super().main(
                args=argumentos,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )
        except click.UsageError as error:
            try:
                abortar("--json" in argumentos, Salida.ENTRADA_INVALIDA, mensaje_de_uso(error))
            except typer.Exit as salida:
                codigo = salida.exit_code
        except typer.Abort:
            sys.stderr.write("Interrumpido: no se ha cambiado nada.\n")
            codigo = Salida.INTERRUMPIDO
        sys.exit(codigo if isinstance(codigo, int) else 0)
