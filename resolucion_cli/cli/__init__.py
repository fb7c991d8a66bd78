"""The `resolucion` command (`python -m resolucion_cli` too).

The everyday read commands with --json are answered by the fast path (`rapido`), without
importing Typer; everything else runs the Typer app of `raiz`, where every command is defined.
"""

import sys


def main() -> None:
    from .rapido import responder

    codigo = responder(sys.argv[1:])
    if codigo is None:
        completo()
    sys.exit(codigo)


def completo() -> None:
    """The Typer app alone, without the fast path: what `main` falls back to, and what the
    tests compare the fast path with."""
    from .raiz import app

    app()


def __getattr__(nombre: str):
    # `from resolucion_cli.cli import app` builds the Typer app only when someone asks for it.
    if nombre == "app":
        from .raiz import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {nombre!r}")
