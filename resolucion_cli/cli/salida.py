"""Standard streams and signals around a command, so that what it says never contradicts the file.

Once a change is committed, writing its result can still fail: the reader of a pipe left
(`| head`), the terminal's encoding lacks a letter, a signal arrives. None of these may turn
a saved change into a reported failure (SPEC §7): a script that believed it would retry and
duplicate the change.
"""

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from ..errores import Terminado


@contextmanager
def preparada() -> Iterator[None]:
    """Run a command with screens that cannot fail on encoding and SIGTERM taken like Ctrl-C."""
    reconfigurar = getattr(sys.stdout, "reconfigure", None)
    if reconfigurar is not None:
        # A letter the terminal cannot encode becomes "?" on a screen instead of an error
        # raised after the change is saved (JSON escapes instead: see vista.imprimir_json).
        reconfigurar(errors="replace")
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may install signal handlers
        return
    anterior = signal.signal(signal.SIGTERM, _terminar)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, anterior)


def _terminar(_numero, _marco) -> None:
    raise Terminado()


def callar_stdout() -> None:
    """The reader of stdout is gone, or the user stopped the command (Ctrl-C, SIGTERM): point
    stdout at the null device, so that Python's flush at exit has somewhere to go instead of
    printing "Exception ignored … BrokenPipeError" (the recipe of Python's "Note on SIGPIPE"),
    or of blocking for good on a pipe whose reader is not reading (`| less`, paused)."""
    try:
        nulo = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nulo, sys.stdout.fileno())
    except (OSError, ValueError):  # no descriptor (tests capture stdout in memory)
        pass


def avisar(json_: bool, codigo: int, mensaje: str, error: bool = True) -> int:
    """Write one failure on stderr (SPEC §7) and give back its exit code: with --json the error
    object, else the sentence; `error=False` for an ending the user chose (a "no", Ctrl-C),
    said without "Error:"."""
    if json_:
        from ..vista import error_json

        sys.stderr.write(error_json(int(codigo), mensaje) + "\n")
    else:
        sys.stderr.write(f"Error: {mensaje}\n" if error else f"{mensaje}\n")
    return int(codigo)
