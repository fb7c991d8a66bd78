"""Helpers of the diagram tests: the policies, the edges of a Mermaid diagram."""

import re
from datetime import timedelta
from pathlib import Path

from resolucion_cli import diagrama, reglas

RAIZ = Path(__file__).resolve().parent.parent
POLITICAS = list(reglas.POLITICAS)
ARISTA = re.compile(r"^    (\S+) --> (\S+)(?: : (.*))?$")


def _texto(formato="mermaid", politica="clasica", cuales=diagrama.MAQUINAS):
    return diagrama.diagrama(formato, reglas.POLITICAS[politica], cuales)


def _aristas(texto: str) -> list[tuple[str, str, str]]:
    """The (from, to, label) edges of Mermaid text."""
    return [(m[1], m[2], m[3] or "") for m in map(ARISTA.match, texto.splitlines()) if m]


def _hay(aristas, origen, destino, *fragmentos) -> bool:
    return any(o == origen and d == destino and all(f in e for f in fragmentos) for o, d, e in aristas)


def _horas(duracion: timedelta) -> str:
    return f"{duracion.total_seconds() / 3600:g} h"
