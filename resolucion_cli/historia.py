"""The demo story: the steps of sample_data/demo.sh, read from the copy shipped in the package.

The story lives in one file, `datos/demo.sh` (sample_data/demo.sh links to it), so the
narrated demo and the shell script cannot tell different stories. Each `resolucion ...`
line runs in this process against the demo's database; a line ending in `|| true` is a
refusal the story expects, and the demo checks that every step ends as the script says.
"""

import shlex
from dataclasses import dataclass
from importlib import resources

MARCA_HISTORIA = "# --- historia ---"


@dataclass(frozen=True)
class Paso:
    narracion: str | None = None
    argumentos: tuple[str, ...] = ()
    debe_fallar: bool = False


def historia() -> list[Paso]:
    """The steps of demo.sh after its preamble."""
    texto = resources.files("resolucion_cli").joinpath("datos/demo.sh").read_text(encoding="utf-8")
    _, _, cuerpo = texto.partition(MARCA_HISTORIA)
    pasos = []
    for linea in cuerpo.splitlines():
        palabras = shlex.split(linea, comments=True)
        if not palabras:
            continue
        if palabras[0] == "narrar":
            pasos.append(Paso(narracion=" ".join(palabras[1:])))
            continue
        debe_fallar = palabras[-2:] == ["||", "true"]
        if debe_fallar:
            palabras = palabras[:-2]
        if palabras[0] != "resolucion":
            raise ValueError(f"demo.sh: línea que la demo no sabe reproducir: {linea}")
        pasos.append(Paso(argumentos=tuple(palabras[1:]), debe_fallar=debe_fallar))
    return pasos
