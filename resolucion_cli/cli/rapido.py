"""The fast path: the everyday read commands with --json, answered without Typer or Click.

Importing Typer and building its tree of commands costs a read more than the read itself. As
git's builtins and Mercurial's chg do, a small dispatcher stands in front of the framework for
the hottest commands: it recognises only the exact command lines it can answer, runs what their
Typer commands run (`lecturas`, in the context `contexto` builds, printed by `Contexto.mostrar`),
and hands anything else, unchanged, to the Typer app, which stays the one definition of every
command, its help and its messages.

Handed over: no --json; --help, `--` or any option the command does not take; a value that
looks like an option; shell completion; bytes that are not UTF-8; a local zone only pendulum
can find; something due, or a clock the command would move (it would write); and any failure
before the answer is printed, for the app to report in its own words: these commands change
nothing up to there, so running them again is harmless.
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
    ("tick",): ("tick", 0, {"--simular": False, "--limite": True}),
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
            if not _al_dia(ctx, funcion == "tick"):
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
            # Once printing has begun, handing over would print the answer twice.
            return salida.avisar(True, *explicar(error, ctx, db)) if mostrando else None
        except KeyboardInterrupt as error:  # the user stopped it: running it again would be wrong
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


def _al_dia(ctx: Contexto, es_tick: bool) -> bool:
    """Whether the command answers without writing: nothing is due (a read would fire it first)
    and, for `tick`, the clock stays where it is stored (the real mode moves it)."""
    almacen = ctx.almacen()
    # A write lock held elsewhere hands the command over at once: the app then waits for it,
    # once, as it always does, instead of after a wait of ours.
    almacen.conexion.execute("PRAGMA busy_timeout = 0")
    guardado, modo = almacen.reloj()
    ahora = ahora_efectivo(guardado, modo)
    return not almacen.hay_vencidas(ahora) and not (es_tick and ahora > guardado)
