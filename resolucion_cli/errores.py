"""Errors a user can cause, each with the exit code of SPEC §7.

Every error carries one Spanish sentence that says what was wrong and what to do;
the CLI prints it and exits with `codigo`. Nothing else about an error reaches the user.
"""

from datetime import UTC, datetime, tzinfo
from enum import IntEnum

from .instantes import legible


class Salida(IntEnum):
    OK = 0
    RECHAZADO = 1
    ENTRADA_INVALIDA = 2
    NO_ENCONTRADO = 3
    NO_PERMITIDO = 4
    BASE_INUTILIZABLE = 5
    INTERRUMPIDO = 130  # 128 + SIGINT, as shells report it
    TUBERIA_CERRADA = 141  # 128 + SIGPIPE: what `cmd | head` reports for tools that die of it
    TERMINADO = 143  # 128 + SIGTERM


class ResolucionError(Exception):
    """`mensaje` may hold `{nombre}` marks for the instants given by name: they are written
    in the reader's zone by `texto(tz)`, so a sentence never shows a stored UTC time."""

    codigo: Salida = Salida.RECHAZADO

    def __init__(self, mensaje: str, **instantes: datetime):
        super().__init__(mensaje)
        self.plantilla = mensaje
        self.instantes = instantes

    def texto(self, tz: tzinfo | None = None) -> str:
        """The sentence in `tz`; without a zone, the instants say they are UTC."""
        if not self.instantes:
            return self.plantilla
        sufijo = " UTC" if tz is None else ""
        return self.plantilla.format(
            **{nombre: legible(momento, tz or UTC) + sufijo for nombre, momento in self.instantes.items()}
        )

    @property
    def mensaje(self) -> str:
        return self.texto()

    def __str__(self) -> str:
        return self.texto()


class RechazadoPorRegla(ResolucionError):
    """A rule of the Resolution Center forbids it (wrong state, request not open...)."""

    codigo = Salida.RECHAZADO


class EntradaInvalida(ResolucionError):
    """Missing or malformed input, or input that does not fit the request type."""

    codigo = Salida.ENTRADA_INVALIDA


class NoEncontrado(ResolucionError):
    """No such order or request."""

    codigo = Salida.NO_ENCONTRADO


class NoPermitido(ResolucionError):
    """The acting user is not the party who may do this."""

    codigo = Salida.NO_PERMITIDO


class BaseInutilizable(ResolucionError):
    """The database file cannot be used (foreign, newer, locked, read-only)."""

    codigo = Salida.BASE_INUTILIZABLE


class Cancelado(ResolucionError):
    """The user said no at a confirmation: nothing was changed."""

    codigo = Salida.RECHAZADO

    def __init__(self):
        super().__init__("Cancelado: no se ha cambiado nada.")


class Terminado(KeyboardInterrupt):
    """SIGTERM, raised where the program is so that it ends like Ctrl-C (exit 143)."""


class FaltaElTablero(ResolucionError):
    """`resolucion tablero` needs Datasette, an optional extra that is not installed.

    SPEC §7 has no code for a missing optional part. Codes 1–4 are about what the user asked;
    5 is about what keeps this machine from using the database, and is fixed by an action on
    the machine (here an install), not by typing the command differently."""

    codigo = Salida.BASE_INUTILIZABLE

    def __init__(self):
        super().__init__(
            "El tablero necesita Datasette, que no está instalado: instala el extra con "
            "«pip install 'resolucion[tablero]'»."
        )
