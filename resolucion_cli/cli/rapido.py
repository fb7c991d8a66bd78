"""The fast path: the everyday read commands and `tick` with --json, answered without Typer.

Importing Typer and building its tree of commands costs a read more than the read itself. As
git's builtins and Mercurial's chg do, a small dispatcher stands in front of the framework for
the hottest commands: it recognises only the exact command lines it can answer, runs what their
Typer commands run (`lecturas`, in the context `contexto` builds, printed by `Contexto.mostrar`),
and hands anything else, unchanged, to the Typer app, which stays the one definition of every
command, its help and its messages.

Handed over: no --json; --help, `--` or any option the command does not take; a value that
looks like an option; shell completion; bytes that are not UTF-8; a local zone only pendulum
can find; for a read, something due (the read would write first); and any failure before the
answer is printed and nothing is saved, for the app to report in its own words: nothing has
changed up to there, so running the command again is harmless.

`tick` is answered here even when it writes (with `--at`, `--avanzar`, `--siguiente` or with
something due): it is the command a script runs over and over, and its own work is the same
`lecturas.tick` either way. A write lock held elsewhere makes it hand over at once, before
anything changed; once its change is committed, a failure is reported here, never handed over
(running it again would fire or move the clock twice).
"""

import os
import sys

from .. import entrada
from ..errores import Salida
from ..reloj import ahora_efectivo, zona_del_sistema
from . import lecturas, salida
from .contexto import BASE, Contexto, explicar

# Each option: whether it takes a value (True) or is a flag (False).
_COMUNES = {"--db": True, "--como": True, "--json": False, "--tz": True, "--no-interactivo": False}
# The command's words: its function in `lecturas`, how many arguments, its own options.
_COMANDOS = {
    ("pedido", "ver"): ("ver_pedido", 1, {}),
    ("pedido", "listar"): ("listar_pedidos", 0, {"--estado": True, "--limite": True}),
    ("disputa", "listar"): ("listar_disputas", 0, {"--pedido": True, "--abiertas": False, "--limite": True}),
    ("bandeja",): ("bandeja", 0, {}),
    ("pendientes",): ("pendientes", 0, {}),
    ("tick",): (
        "tick",
        0,
        {"--simular": False, "--limite": True, "--at": True, "--avanzar": True, "--siguiente": False},
    ),
}
_VARIABLES = {"--db": "RESOLUCION_DB", "--como": "RESOLUCION_USUARIO", "--tz": "RESOLUCION_TZ"}


def responder(argumentos: list[str]) -> int | None:
    """Answer the command line and give its exit code; None when the Typer app must answer it."""
    leida = _leer(argumentos)
    if leida is None or any(n.startswith("_") and n.endswith("_COMPLETE") for n in os.environ):
        return None
    funcion, posicionales, opciones = leida
    # As Click reads them: typed wins, then a variable that is set and not empty.
    comunes = {n: opciones[n] if n in opciones else os.environ.get(v) or None for n, v in _VARIABLES.items()}
    if not all(entrada.es_utf8(texto) for texto in [*argumentos, *filter(None, comunes.values())]):
        return None
    tz = comunes["--tz"]
    if not (tz and tz.strip()) and zona_del_sistema() is None:
        return None
    db = comunes["--db"] or BASE
    propias = {n[2:]: v for n, v in opciones.items() if n not in _COMUNES}
    with salida.preparada():
        ctx = None
        mostrando = False
        try:
            ctx = Contexto.de_opciones(db, comunes["--como"], True, tz, "--no-interactivo" in opciones)
            if not _puede_responder(ctx, funcion == "tick"):
                return None
            respuesta = getattr(lecturas, funcion)(ctx, *posicionales, **propias)
            mostrando = True
            ctx.mostrar(*respuesta)
            sys.stdout.flush()  # a closed pipe shows up here, as in `comun.orden`
            return Salida.OK
        except BrokenPipeError:
            salida.callar_stdout()
            return Salida.TUBERIA_CERRADA
        except Exception as error:
            # Once printing has begun, handing over would print the answer twice; once a change
            # is saved, it would make it twice.
            if mostrando or (ctx is not None and ctx.guardado()):
                return salida.avisar(True, *explicar(error, ctx, db))
            return None
        except KeyboardInterrupt as error:  # the user stopped it: running it again would be wrong
            salida.callar_stdout()  # what is still buffered is dropped, not flushed at exit
            return salida.avisar(True, *explicar(error, ctx, db))
        finally:
            if ctx is not None:
                ctx.cerrar()


def _leer(argumentos: list[str]) -> tuple[str, list[str], dict[str, str | bool]] | None:
    """(function, arguments, options typed) for a command line the fast path answers, read as
    Click reads it: options anywhere after the command, `--opcion=valor`, the last one counting."""
    palabras = next((tuple(argumentos[:n]) for n in (2, 1) if tuple(argumentos[:n]) in _COMANDOS), None)
    if palabras is None:
        return None
    funcion, cuantos, propias = _COMANDOS[palabras]
    admitidas = _COMUNES | propias
    posicionales, opciones = [], {}
    resto = argumentos[len(palabras) :]
    while resto:
        palabra = resto.pop(0)
        if not palabra.startswith("-"):
            posicionales.append(palabra)
            continue
        nombre, igual, valor = palabra.partition("=")
        if nombre not in admitidas or (igual and not admitidas[nombre]):
            return None
        if admitidas[nombre] and not igual:
            if not resto:
                return None
            valor = resto.pop(0)
        if admitidas[nombre] and valor.startswith("-"):
            return None
        opciones[nombre] = valor if admitidas[nombre] else True
    if len(posicionales) != cuantos or "--json" not in opciones:
        return None
    return funcion, posicionales, opciones


def _puede_responder(ctx: Contexto, es_tick: bool) -> bool:
    """Whether the command is answered here: a tick always; a read when nothing is due (it
    would fire it first, and so write)."""
    almacen = ctx.almacen()
    # A write lock held elsewhere hands the command over at once: the app then waits for it,
    # once, as it always does, instead of after a wait of ours.
    almacen.conexion.execute("PRAGMA busy_timeout = 0")
    if es_tick:
        return True
    return not almacen.hay_vencidas(ahora_efectivo(*almacen.reloj()))
