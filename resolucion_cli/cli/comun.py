"""What every command shares: the common options, the app context, and error handling.

`comando` registers a function as a Typer command and adds the options every command
takes after its name (--db --como --json --tz --no-interactivo, SPEC §5). Errors from
any layer end here, as one Spanish sentence and the exit code of SPEC §7.
"""

import functools
import inspect
import os
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from .. import entrada
from ..errores import Cancelado, EntradaInvalida, ResolucionError, Salida, Terminado
from ..reloj import zona
from . import salida

if TYPE_CHECKING:  # importing the store is deferred to when a command uses it
    from ..almacen import Almacen
    from ..modelo import Pedido


@dataclass
class Contexto:
    """The app context a command receives: options, the store and the console, lazily."""

    db: str
    como: str | None
    json: bool
    tz_nombre: str | None
    interactivo: bool
    _almacen: "Almacen | None" = field(default=None, repr=False)
    _tz: tzinfo | None = field(default=None, repr=False)

    def almacen(self, reloj_inicial=None, modo_inicial=None) -> "Almacen":
        """The store, opened once; a database created now starts at `reloj_inicial` (or now)."""
        if self._almacen is None:
            from ..almacen import Almacen
            from ..reloj import ModoReloj, reloj_de_pared

            self._almacen = Almacen.abrir(
                self.db, reloj_inicial or reloj_de_pared(), modo_inicial or ModoReloj.SIMULADO
            )
        return self._almacen

    def tz(self) -> tzinfo:
        if self._tz is None:
            from ..reloj import zona

            self._tz = zona(self.tz_nombre)
        return self._tz

    def exigir_como(self, partes: "Callable[[], Pedido] | None" = None) -> str:
        """The acting user; on a terminal it is asked for when --como is missing.

        `partes` gives the order acted on: a user typed who is not one of its parties is
        asked again, with the parties named, instead of ending the session.
        """
        if self.como is None:
            if not self.interactivo:
                raise EntradaInvalida(
                    "Falta la opción --como USUARIO: indica quién actúa (o define RESOLUCION_USUARIO)."
                )
            pedido = partes() if partes is not None else None

            def parte(texto: str) -> str:
                usuario = entrada.usuario(texto)
                if pedido is not None and usuario not in (pedido.cliente, pedido.freelancer):
                    raise EntradaInvalida(
                        f"«{usuario}» no es parte del pedido #{pedido.id}; las partes son "
                        f"{pedido.cliente} (cliente) y {pedido.freelancer} (freelancer)."
                    )
                return usuario

            self.como = self.preguntas().texto("¿Quién eres? Escribe tu usuario", parte, True)
        return self.como

    def preguntas(self):
        from ..vista import consola
        from .interaccion import Preguntas

        # On stderr, the terminal: `> archivo` keeps only the result (SPEC §5).
        return Preguntas(consola(stderr=True))

    def mostrar(self, objeto_json: Callable[[], dict], pantalla: Callable) -> None:
        """Print the JSON object with --json, else draw the Rich screen on a console."""
        from .. import vista

        if self.json:
            vista.imprimir_json(objeto_json())
        else:
            pantalla(vista.consola())

    def guardado(self) -> bool:
        """Whether a change of this command is already in the file (no error may deny it then)."""
        return self._almacen is not None and self._almacen.guardado

    def cerrar(self) -> None:
        if self._almacen is not None:
            self._almacen.cerrar()


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
        if Path(ctx.db).exists() and Path(ctx.db).stat().st_size > 0:
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


def opcion(ayuda: str, tipo=str | None, *nombres: str, metavar: str = "TEXTO", panel: str = "Opciones", **extra):
    """A command option; values arrive as text and are parsed by `entrada` (our messages)."""
    if tipo is not bool:
        extra["metavar"] = metavar
    return Annotated[
        tipo,
        typer.Option(*nombres, help=ayuda, show_default=False, show_envvar=False, rich_help_panel=panel, **extra),
    ]


def argumento(ayuda: str):
    """A positional id; optional for Click so that a missing one gets our Spanish message."""
    return Annotated[
        str | None, typer.Argument(help=ayuda, metavar="ID", show_default=False, rich_help_panel="Argumentos")
    ]


def mostrar_ayuda(contexto: typer.Context, _parametro, pedida: bool) -> None:
    """--help in Spanish: Typer draws the help as it prints it."""
    if pedida and not contexto.resilient_parsing:
        from typer import rich_utils

        rich_utils.OPTIONS_PANEL_TITLE = "Opciones"
        rich_utils.ARGUMENTS_PANEL_TITLE = "Argumentos"
        rich_utils.COMMANDS_PANEL_TITLE = "Comandos"
        contexto.get_help()
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


def _comun(nombre: str, defecto, anotacion) -> inspect.Parameter:
    """One of the options every command takes, shown together in their own help panel."""
    return inspect.Parameter(nombre, inspect.Parameter.KEYWORD_ONLY, default=defecto, annotation=anotacion)


_COMUNES = [
    _comun(
        "db",
        "resolucion.db",
        opcion(
            "Archivo de la base de datos (env RESOLUCION_DB; por defecto resolucion.db).",
            str,
            "--db",
            metavar="ARCHIVO",
            panel="Opciones comunes",
            envvar="RESOLUCION_DB",
        ),
    ),
    _comun(
        "como",
        None,
        opcion(
            "Usuario que actúa (env RESOLUCION_USUARIO).",
            str | None,
            "--como",
            metavar="USUARIO",
            panel="Opciones comunes",
            envvar="RESOLUCION_USUARIO",
        ),
    ),
    _comun(
        "json_",
        False,
        opcion("Salida JSON para scripts (un objeto en stdout).", bool, "--json", panel="Opciones comunes"),
    ),
    _comun(
        "tz",
        None,
        opcion(
            "Zona horaria de las fechas (env RESOLUCION_TZ; por defecto la del sistema).",
            str | None,
            "--tz",
            metavar="ZONA",
            panel="Opciones comunes",
            envvar="RESOLUCION_TZ",
        ),
    ),
    _comun(
        "no_interactivo",
        False,
        opcion("No preguntar nunca: lo que falte es un error.", bool, "--no-interactivo", panel="Opciones comunes"),
    ),
]
_NOMBRES_COMUNES = [p.name for p in _COMUNES]
_COMUNES.append(_comun("ayuda", False, AYUDA))


def comando(app: typer.Typer, nombre: str, panel: str = "Comandos"):
    """Register `func(ctx, **options)` as command `nombre` of `app`, with the common options."""

    def decorar(func: Callable) -> Callable:
        firma = inspect.signature(func)
        propios = [p for p in firma.parameters.values() if p.name != "ctx"]

        @functools.wraps(func)
        def envoltura(**opciones):
            opciones.pop("ayuda", None)  # Typer passes it even though --help exits first
            comunes = {n: opciones.pop(n) for n in _NOMBRES_COMUNES}
            ejecutar(comunes, lambda ctx: func(ctx, **opciones))

        envoltura.__signature__ = firma.replace(parameters=propios + _COMUNES)
        app.command(nombre, rich_help_panel=panel)(envoltura)
        return func

    return decorar


def ejecutar(comunes: dict, accion: Callable[[Contexto], None]) -> None:
    """Build the context, run the command, and turn any failure into its exit code."""
    with salida.preparada():
        _ejecutar(comunes, accion)


def _ejecutar(comunes: dict, accion: Callable[[Contexto], None]) -> None:
    ctx = None
    json_ = comunes["json_"]
    try:
        como = comunes["como"]
        ctx = Contexto(
            db=comunes["db"],
            como=entrada.usuario(como) if como is not None else None,
            json=json_,
            tz_nombre=comunes["tz"],
            _tz=zona(comunes["tz"]) if comunes["tz"] else None,  # a bad --tz is refused even if unused
            interactivo=not comunes["no_interactivo"] and not json_ and sys.stdin.isatty(),
        )
        accion(ctx)
        sys.stdout.flush()  # a closed pipe shows up here, where it is handled, not at exit
    except BrokenPipeError:
        # The reader left (`| head`): nobody is there to read a message, and the change, if
        # any, stays. The exit status is the one a tool killed by SIGPIPE has (SPEC §7).
        salida.callar_stdout()
        raise typer.Exit(Salida.TUBERIA_CERRADA) from None
    except Cancelado as cancelado:
        abortar(json_, cancelado.codigo, cancelado.mensaje, error=False)
    except ResolucionError as error:
        abortar(json_, error.codigo, error.mensaje)
    except sqlite3.Error as error:
        from ..almacen import error_de_base

        fallo = error_de_base(error, comunes["db"])
        abortar(json_, fallo.codigo, fallo.mensaje)
    except KeyboardInterrupt as interrupcion:
        codigo = Salida.TERMINADO if isinstance(interrupcion, Terminado) else Salida.INTERRUMPIDO
        if ctx is not None and ctx.guardado():
            mensaje = "Interrumpido: el cambio ya estaba guardado."
        else:
            mensaje = "Interrumpido: no se ha cambiado nada."
        abortar(json_, codigo, mensaje, error=False)
    except (typer.Exit, typer.Abort):
        raise
    except Exception as error:  # a bug must still not show a traceback to the user
        fallo = f"Error inesperado ({type(error).__name__}: {error})"
        if ctx is not None and ctx.guardado():
            fallo += " después de guardar el cambio: el cambio está guardado, compruébalo antes de repetir la orden."
        else:
            fallo += "; no se ha cambiado nada."
        abortar(json_, Salida.RECHAZADO, f"{fallo} Por favor, avisa a quien mantiene resolucion.")
    finally:
        if ctx is not None:
            ctx.cerrar()


def abortar(json_: bool, codigo: int, mensaje: str, error: bool = True):
    """Report one error on stderr (SPEC §7) and leave with its exit code.

    `error=False` is for an ending the user chose (a "no", Ctrl-C): said without "Error:".
    """
    if json_:
        from ..vista import error_json

        sys.stderr.write(error_json(int(codigo), mensaje) + "\n")
    else:
        sys.stderr.write(f"Error: {mensaje}\n" if error else f"{mensaje}\n")
    raise typer.Exit(int(codigo))


_TRADUCCIONES = [
    (r"No such option: (\S+)", "La opción {0} no existe."),
    (r"Missing argument '(\S+)'", "Falta el argumento {0}."),
    (r"Missing option '(\S+)'", "Falta la opción {0}."),
    (r"Got unexpected extra arguments? \((.*)\)", "Sobra el argumento «{0}»."),
    (r"No such command '(.*)'", "El comando «{0}» no existe."),
    (r"Option '(\S+)' requires an argument", "La opción {0} necesita un valor."),
    (r"Option '(\S+)' does not take a value", "La opción {0} no lleva valor."),
    (r"Invalid value for '?([^':]+)'?", "Valor no válido para {0}."),
]


def traducir_uso(mensaje: str) -> str:
    """Click reports usage errors in English; say them in Spanish."""
    for patron, plantilla in _TRADUCCIONES:
        encontrado = re.search(patron, mensaje)
        if encontrado:
            return plantilla.format(*(entrada.limpiar(g) for g in encontrado.groups()))
    return f"Uso incorrecto: {entrada.limpiar(mensaje)}"


class GrupoResolucion(TyperGroup):
    """The root command: runs non-standalone so usage errors get our Spanish sentence."""

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
        except typer.TyperException as error:
            contexto = getattr(error, "ctx", None)
            ruta = contexto.command_path if contexto is not None else "resolucion"
            mensaje = f"{traducir_uso(error.format_message())} Consulta «{ruta} --help»."
            try:
                abortar("--json" in argumentos, Salida.ENTRADA_INVALIDA, mensaje)
            except typer.Exit as salida:
                codigo = salida.exit_code
        except typer.Abort:
            sys.stderr.write("Interrumpido: no se ha cambiado nada.\n")
            codigo = Salida.INTERRUMPIDO
        sys.exit(codigo if isinstance(codigo, int) else 0)
