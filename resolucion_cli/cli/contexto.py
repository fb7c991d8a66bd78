"""The app context every command runs in, and what a failure tells the user.

Free of Typer and Click: the Typer commands (through `comun.orden`) and the fast path of
`rapido` build the same context and report failures in the same words.
"""

import os
import sqlite3
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from .. import entrada
from ..errores import Cancelado, EntradaInvalida, ResolucionError, Salida, Terminado
from ..reloj import zona

if TYPE_CHECKING:  # importing the store is deferred to when a command uses it
    from ..almacen import Almacen
    from ..modelo import Pedido

BASE = "resolucion.db"


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

    @classmethod
    def de_opciones(cls, db: str, como: str | None, json_: bool, tz: str | None, no_interactivo: bool) -> "Contexto":
        """The context of the common options as typed; a bad --como or --tz is refused here, even if unused."""
        return cls(
            db=db,
            como=entrada.usuario(como) if como is not None else None,
            json=json_,
            tz_nombre=tz,
            _tz=zona(tz) if tz else None,
            interactivo=not no_interactivo and not json_ and sys.stdin.isatty(),
        )

    def almacen(self, reloj_inicial=None, modo_inicial=None, crear: bool = False) -> "Almacen":
        """The store, opened once. Only `init` passes `crear`: a database created now starts at
        `reloj_inicial` (or now); any other command on a path with no database is refused."""
        if self._almacen is None:
            from ..bases import abrir
            from ..reloj import ModoReloj, reloj_de_pared

            self._almacen = abrir(
                self.db, reloj_inicial or reloj_de_pared(), modo_inicial or ModoReloj.SIMULADO, crear=crear
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
        return Preguntas(consola(stderr=True), self.tz())

    def servidor(self) -> bool:
        """Whether --db names a PostgreSQL database (a URL) instead of a file."""
        from ..bases import es_url

        return es_url(self.db)

    def db_absoluta(self) -> str:
        """The database, named so that it is found from anywhere: the file's absolute path, or
        the server's URL (without a password)."""
        if self.servidor():
            from ..postgres import sin_clave

            return sin_clave(self.db)
        return str(Path(self.db).resolve())

    def nombre_base(self) -> str:
        """The database as its reader knows it: relative to where they stand, else from home (~)."""
        if self.servidor():
            return self.db_absoluta()
        ruta = Path(self.db).expanduser().absolute()
        for raiz, prefijo in ((Path.cwd, ""), (Path.home, "~/")):
            try:
                carpeta = raiz()
                if carpeta != Path(carpeta.anchor):  # from / a relative path reads as a typo
                    return prefijo + str(ruta.relative_to(carpeta))
            except (ValueError, OSError, RuntimeError):
                continue
        return str(ruta)

    def mostrar(self, objeto_json: Callable[[], dict], pantalla: Callable, cabecera: bool = True) -> None:
        """Print the JSON object with --json, else draw the Rich screen on a console.

        A screen drawn from a database names it first: a terminal opened in another folder
        shows at once that it reads another file. `cabecera=False` for screens naming it themselves.
        """
        from .. import vista

        if self.json:
            vista.imprimir_json(objeto_json())
            return
        consola = vista.consola()
        if cabecera and self._almacen is not None:
            consola.print(vista.parrafo(f"Base de datos: {self.nombre_base()}", "dim"))
        pantalla(consola)

    def guardado(self) -> bool:
        """Whether a change of this command is already in the file (no error may deny it then)."""
        return self._almacen is not None and self._almacen.guardado

    def cerrar(self) -> None:
        if self._almacen is not None:
            self._almacen.cerrar()


def explicar(error: BaseException, ctx: Contexto | None, db: str) -> tuple[int, str, bool]:
    """A command's failure as SPEC §7 reports it: (exit code, sentence, whether it is an error);
    not an error but an ending the user chose (a "no", Ctrl-C) is said without "Error:"."""
    if isinstance(error, Cancelado):
        return error.codigo, error.mensaje, False
    if isinstance(error, ResolucionError):
        return error.codigo, error.texto(ctx.tz() if ctx else None), True
    if isinstance(error, sqlite3.Error):
        from ..almacen import error_de_base

        fallo = error_de_base(error, db)
        return fallo.codigo, fallo.mensaje, True
    guardado = ctx is not None and ctx.guardado()
    if isinstance(error, KeyboardInterrupt):
        codigo = Salida.TERMINADO if isinstance(error, Terminado) else Salida.INTERRUMPIDO
        mensaje = "Interrumpido: el cambio ya estaba guardado." if guardado else "Interrumpido: no se ha cambiado nada."
        return codigo, mensaje, False
    # A bug must still not show a traceback to the user…
    if os.environ.get("RESOLUCION_DEBUG"):
        # …unless they ask for it, to attach it to a bug report.
        import traceback

        traceback.print_exception(error, file=sys.stderr)
    fallo = f"Error inesperado ({type(error).__name__}: {error})"
    if guardado:
        fallo += " después de guardar el cambio: el cambio está guardado, compruébalo antes de repetir la orden."
    else:
        fallo += "; no se ha cambiado nada."
    return Salida.RECHAZADO, f"{fallo} Por favor, avísalo en {_donde_avisar()}.", True


def _donde_avisar() -> str:
    """Where a bug is reported: the Issues URL of the installed package's metadata."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        for enlace in metadata("resolucion").get_all("Project-URL") or []:
            nombre, _, url = enlace.partition(", ")
            if nombre == "Issues":
                return f"{url} (con RESOLUCION_DEBUG=1 verás la traza para adjuntarla)"
    except PackageNotFoundError:
        pass
    return "el repositorio de resolucion"
