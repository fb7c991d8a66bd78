"""`--seguir`: a screen that redraws itself while another terminal changes the database.

A few times a second the loop asks SQLite for `PRAGMA data_version` — no table is read — and
rebuilds the screen, through the same service call as the plain read command, only when
another connection has committed since the last drawing. In `real` clock mode it also rebuilds
once per wall-clock second, so the countdown moves and whatever falls due is processed, as any
read command would. Ctrl-C is the way out, not an interruption: exit 0.
"""

import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import datetime

from ..errores import BaseInutilizable, EntradaInvalida
from .comun import Contexto

# Seconds between two looks at data_version: a change by another terminal shows within this.
SONDEO = 0.25
# Lines of the live screen above the body: the header and a blank line.
CABECERA = 2

# A screen builder: given the console and the lines its body may take, the clock it read and the body.
Lector = Callable[[object, int], tuple[datetime, object]]


def comprobar(ctx: Contexto) -> None:
    """Refuse (exit 2) what a live screen cannot be: a JSON snapshot, or output that is not a terminal."""
    from .. import vista

    if ctx.json:
        raise EntradaInvalida(
            "--seguir no se combina con --json: un objeto JSON es una sola foto. Quita una de las dos opciones."
        )
    if not sys.stdout.isatty():
        raise EntradaInvalida(
            "--seguir necesita una terminal: la salida va a un archivo o a una tubería. "
            "Quita --seguir para obtener una sola foto."
        )
    if vista.consola().is_dumb_terminal:
        raise EntradaInvalida(
            "--seguir necesita una terminal que sepa redibujar la pantalla (TERM es «dumb»): "
            "quita --seguir o usa otra terminal."
        )


def seguir(ctx: Contexto, titulo: str, leer: Lector, *, dormir=time.sleep, pared=time.time) -> None:
    """Draw `leer`'s screen under a header, redraw it on every change, and return on Ctrl-C.

    `dormir` and `pared` (the wall clock, in seconds) are parameters so a test can drive the loop.
    """
    from rich.live import Live

    from .. import vista
    from ..almacen import es_bloqueo
    from ..reloj import ModoReloj

    almacen = ctx.almacen()
    consola = vista.consola()
    _, modo = almacen.reloj()  # init never changes the mode of an existing database
    real = modo == ModoReloj.REAL

    def pantalla():
        ahora, cuerpo = leer(consola, max(1, consola.size.height - CABECERA))
        return vista.pantalla_en_vivo(titulo, ahora, str(modo), ctx.tz(), cuerpo, ctx.nombre_base())

    try:
        # Each look at data_version comes before the reads it stands for, so a commit that lands
        # while a screen is being built is seen at the next look: no change is ever missed.
        version, segundo, tamano = almacen.version_datos(), int(pared()), consola.size
        primera = pantalla()  # an order not found, or not the user's: refused before anything is drawn
        with Live(primera, console=consola, screen=False, auto_refresh=False) as live:
            while True:
                dormir(SONDEO)
                actual, ahora = almacen.version_datos(), int(pared())
                if actual == version and consola.size == tamano and not (real and ahora != segundo):
                    continue
                try:
                    nueva = pantalla()
                except (sqlite3.OperationalError, BaseInutilizable) as error:
                    if not es_bloqueo(error):
                        raise
                    continue  # another terminal holds the write lock: keep this screen, try again soon
                version, segundo, tamano = actual, ahora, consola.size
                live.update(nueva, refresh=True)
    except KeyboardInterrupt:
        pass


def lo_que_cabe(consola, alto: int, total: int, construir: Callable[[int], object]):
    """`construir(desde)` with the smallest `desde` (items left out from the oldest) that fits in `alto` lines.

    Used by the inbox, whose newest messages are at the bottom, where a screen too tall is cut.
    """
    desde = max(0, total - alto)  # every item takes at least one line
    while True:
        cuerpo = construir(desde)
        if desde >= total or len(consola.render_lines(cuerpo, pad=False)) <= alto:
            return cuerpo
        desde += 1
