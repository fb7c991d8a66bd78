"""Helpers of the `explicar` tests: the help pages' quotations, the rule sentences, the explanation of one request."""

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
    "abrir.reembolso_parcial",
    "responder.actualizacion",
    "aceptar.cancelacion",
    "aceptar.prorroga",
    "aceptar.extras",
    "aceptar.reembolso_parcial",
    "rechazar",
    "revocar",
    "vencer.actualizacion",
    "vencer.cancelacion",
    "vencer.prorroga",
    "vencer.extras",
    "vencer.reembolso_parcial",
    "completar_solo",
    "cancelar_por_retraso",
}
# The keys of what only `aceptacion-automatica` does: `clasica` has an entry for each, saying so.
CLAVES_SOLO_DE_LAS_PAGINAS_ACTUALES = {
    "abrir.reembolso_parcial",
    "aceptar.reembolso_parcial",
    "vencer.reembolso_parcial",
    "completar_solo",
    "cancelar_por_retraso",
}
# The day the marketplace's English pages were read.
CONSULTADAS = "2026-11-29"


def _citas(politica, clave):
    """The quoted sentences of a rule, as `explicar --json` lists them in `citas`."""
    return [cita.texto for cita in explicacion.fuentes()[politica][clave].citas]


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
