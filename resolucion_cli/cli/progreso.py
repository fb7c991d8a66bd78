"""A progress bar on the terminal for the long jobs: `generar`, a large `tick`, `verificar`.

On stderr, so `> archivo` keeps only the result, and only when a person watches: never with
--json, nor when stderr is not a terminal (a script or a pipe gets nothing extra).
"""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from .contexto import Contexto

if TYPE_CHECKING:
    from ..servicios import Progreso


class _Barra:
    """A `servicios.Progreso` drawn with Rich; a job smaller than `umbral` draws nothing."""

    def __init__(self, barra, umbral: int):
        self.barra = barra
        self.umbral = umbral
        self.tarea = None

    def empezar(self, que: str, total: int) -> None:
        if total > self.umbral:
            self.tarea = self.barra.add_task(que, total=total)

    def avanzar(self, cuantos: int) -> None:
        if self.tarea is not None:
            self.barra.advance(self.tarea, cuantos)


@contextmanager
def progreso(ctx: Contexto, umbral: int = 0) -> Iterator["Progreso"]:
    from .. import servicios

    if ctx.json or not sys.stderr.isatty():
        yield servicios.CALLADO
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from ..vista import consola

    columnas = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    # transient: the bar is gone when the job ends, leaving the screen the command then prints.
    with Progress(*columnas, console=consola(stderr=True), transient=True) as barra:
        yield _Barra(barra, umbral)
