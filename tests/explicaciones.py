"""Helpers of the `explicar` tests: the help page's quotations, the rule sentences, the explanation of one request."""

from importlib import resources
from pathlib import Path

from resolucion_cli import explicacion

RAIZ = Path(__file__).resolve().parents[1]
PAGINA = "datos/centro-de-resoluciones.txt"
# The help page as the project's shared folder holds it, beside the repository.
PAGINA_COMPARTIDA = RAIZ.parent / "shared" / "fuentes" / "centro-de-resoluciones.txt"

CLAVES_ESPERADAS = {
    "abrir.actualizacion",
    "abrir.cancelacion.cliente",
    "abrir.cancelacion.freelancer",
    "abrir.prorroga",
    "abrir.extras",
    "responder.actualizacion",
    "aceptar.cancelacion",
    "aceptar.prorroga",
    "aceptar.extras",
    "rechazar",
    "revocar",
    "vencer.actualizacion",
    "vencer.cancelacion",
    "vencer.prorroga",
    "vencer.extras",
    "completar_solo",
}


def _citas(politica, clave):
    return list(explicacion.fuentes()[politica][clave].citas)


def _interpretacion(politica, clave):
    return explicacion.fuentes()[politica][clave].interpretacion


def _regla(politica, clave):
    return explicacion.fuentes()[politica][clave].regla


def _espacios(texto: str) -> str:
    """Whitespace and line breaks made one space: the only difference a quotation may have."""
    return " ".join(texto.split())


def _pagina() -> str:
    return resources.files("resolucion_cli").joinpath(PAGINA).read_text(encoding="utf-8")


def _explicar(cli, disputa, *extra):
    return cli.ok("explicar", disputa, *extra)


def _claves(datos):
    return [p["clave"] for p in datos["pasos"]]
