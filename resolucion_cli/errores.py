"""Errors a user can cause, each with the exit code of SPEC §7.

Every error carries one Spanish sentence that says what was wrong and what to do;
the CLI prints it and exits with `codigo`. Nothing else about an error reaches the user.
"""

from enum import IntEnum


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
    codigo: Salida = Salida.RECHAZADO

    def __init__(self, mensaje: str):
        super().__init__(mensaje)
        self.mensaje = mensaje


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
