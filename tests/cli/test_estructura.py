"""How the commands are declared: a reader (or a tool) finds `tick` in `cli/reloj.py` by name.

Every command is a module-level function of the file of its group, registered by that file's
module-level `app`; the options every command takes are listed in its own signature, from the
aliases of `cli/comun.py`, never grafted onto it.
"""

import importlib
import inspect
import typing

import pytest

from resolucion_cli.cli import app, comun

COMUNES = {"db": comun.DB, "como": comun.COMO, "json_": comun.JSON, "tz": comun.TZ}
COMUNES |= {"no_interactivo": comun.NO_INTERACTIVO, "_ayuda": comun.AYUDA}


def _comandos(typer_app, ruta=()):
    """(path, function) for every command under `typer_app`, groups included."""
    for info in typer_app.registered_commands:
        yield (*ruta, info.name), info.callback
    for grupo in typer_app.registered_groups:
        nombre = (grupo.name,) if grupo.name else ()
        yield from _comandos(grupo.typer_instance, (*ruta, *nombre))


COMANDOS = list(_comandos(app))


def test_every_command_of_the_spec_is_declared():
    nombres = {" ".join(ruta) for ruta, _ in COMANDOS}
    esperados = {"init", "generar", "verificar", "bandeja", "pendientes", "mensaje", "tick", "demo", "guion"}
    esperados |= {"explicar", "informe", "diagrama", "tablero"}
    esperados |= {f"pedido {c}" for c in ("crear", "listar", "ver", "entregar", "completar")}
    esperados |= {f"disputa {c}" for c in ("abrir", "responder", "revocar", "listar")}
    esperados |= {f"instantanea {c}" for c in ("guardar", "restaurar", "listar", "borrar")}
    assert nombres == esperados


@pytest.mark.parametrize("ruta, funcion", COMANDOS, ids=[" ".join(r) for r, _ in COMANDOS])
def test_each_command_is_a_module_level_function_found_by_its_name(ruta, funcion):
    modulo = importlib.import_module(funcion.__module__)
    assert modulo.__name__.startswith("resolucion_cli.cli.")
    assert funcion.__qualname__ == funcion.__name__, "nested in another function"
    assert getattr(modulo, funcion.__name__) is funcion
    assert modulo.app.registered_commands, "registered by its module's own app"


@pytest.mark.parametrize("ruta, funcion", COMANDOS, ids=[" ".join(r) for r, _ in COMANDOS])
def test_each_signature_lists_the_common_options_itself(ruta, funcion):
    assert "__signature__" not in vars(funcion), "a rewritten signature"
    parametros = inspect.signature(funcion).parameters
    pistas = typing.get_type_hints(funcion, include_extras=True)
    for nombre, alias in COMUNES.items():
        assert nombre in parametros, f"{' '.join(ruta)} lacks {nombre}"
        assert pistas[nombre] == alias, f"{' '.join(ruta)}: {nombre} is not the shared alias"
