"""Questions asked on a terminal: numbered choices, free text, confirmations (SPEC §5).

Prompts are built as `Text`, so a literal `[s/n]` is never eaten as Rich markup. Ctrl-C
or the end of input leave with exit 130 and nothing changed.
"""

from collections.abc import Callable
from datetime import tzinfo
from typing import TypeVar

from ..entrada import es_utf8, limpiar
from ..errores import EntradaInvalida

T = TypeVar("T")

SI = ("s", "si", "sí", "y", "yes")
NO = ("n", "no")


class Preguntas:
    """Asks on one console; every answer is validated and asked again until it is right."""

    def __init__(self, consola, tz: tzinfo | None = None):
        self.consola = consola
        self.tz = tz  # the zone the refusals' instants are written in

    def _leer(self, pregunta: str) -> str:
        """One line typed at the terminal; asked again while it is not UTF-8."""
        from rich.text import Text

        while True:
            try:
                respuesta = self.consola.input(Text(pregunta, style="bold"))
            except EOFError:
                raise KeyboardInterrupt from None
            except UnicodeDecodeError:
                respuesta = None
            if respuesta is not None and es_utf8(respuesta):
                return respuesta
            self._aviso("Eso no es texto UTF-8: revisa la codificación de la terminal y vuelve a escribirlo.")

    def _aviso(self, texto: str) -> None:
        from rich.text import Text

        self.consola.print(Text(limpiar(texto), style="red"))

    def mostrar(self, texto: str, estilo: str = "") -> None:
        from rich.text import Text

        self.consola.print(Text(limpiar(texto), style=estilo))

    def elegir(self, titulo: str, opciones: list[tuple[T, str]]) -> T:
        self.mostrar(titulo, "bold")
        for numero, (_, etiqueta) in enumerate(opciones, start=1):
            self.mostrar(f"  {numero}. {etiqueta}")
        while True:
            respuesta = self._leer(f"Elige un número (1-{len(opciones)}): ").strip()
            if respuesta.isdigit() and 1 <= int(respuesta) <= len(opciones):
                return opciones[int(respuesta) - 1][0]
            self._aviso(f"Escribe un número entre 1 y {len(opciones)} y pulsa Intro.")

    def texto(self, pregunta: str, validar: Callable[[str], T], obligatorio: bool) -> T | None:
        """Ask until `validar` accepts the answer; an empty answer is None when optional."""
        sufijo = "" if obligatorio else " (opcional, Intro para omitir)"
        while True:
            respuesta = self._leer(f"{pregunta}{sufijo}: ")
            if not respuesta.strip():
                if not obligatorio:
                    return None
                self._aviso("Este dato es obligatorio.")
                continue
            try:
                return validar(respuesta)
            except EntradaInvalida as error:
                self._aviso(error.texto(self.tz))

    def confirmar(self, pregunta: str = "¿Continuar?") -> bool:
        while True:
            respuesta = self._leer(f"{pregunta} [s/n]: ").strip().lower()
            if respuesta in SI:
                return True
            if respuesta in NO:
                return False
            self._aviso("Responde s (sí) o n (no).")
