"""The sample data and the scenarios shipped inside the package, found by name.

`resolucion init --datos ejemplo` and `resolucion guion cancelacion` work from any install
(pipx, a wheel): a value that is an existing path is that file; otherwise a shipped name is
the shipped file. `sample_data/` in the repository links to these same files.
"""

import tomllib
from pathlib import Path

CARPETA = Path(__file__).resolve().parent / "datos"
ENTRADA_ESTANDAR = "-"


def _por_nombre(valor: str, carpeta: Path, patron: str) -> Path:
    if valor == ENTRADA_ESTANDAR or Path(valor).exists():
        return Path(valor)
    incluido = carpeta / patron.format(valor)
    return incluido if valor and "/" not in valor and incluido.is_file() else Path(valor)


def datos(valor: str) -> Path:
    """`--datos`: a path, `-` (standard input) or the name of a shipped data file."""
    return _por_nombre(valor, CARPETA, "{}.json")


def nombres_de_datos() -> list[str]:
    return sorted(p.stem for p in CARPETA.glob("*.json"))


def escenario(valor: str) -> Path:
    """`guion ARCHIVO`: a path, `-` (standard input) or the name of a shipped scenario."""
    return _por_nombre(valor, CARPETA / "escenarios", "{}.toml")


def escenarios() -> list[tuple[str, str]]:
    """(name, title) of each shipped scenario, by name."""
    lista = []
    for ruta in sorted((CARPETA / "escenarios").glob("*.toml")):
        with ruta.open("rb") as archivo:
            lista.append((ruta.stem, tomllib.load(archivo).get("titulo", "")))
    return lista
