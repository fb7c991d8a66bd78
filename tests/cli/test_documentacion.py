"""Every command shown in README.md and docs/*.md runs here, and its output is the one the page shows.

The convention (written for people in docs/arquitectura.md, «Los ejemplos de la documentación»):

- A ```text block whose lines start with `$ ` is a session: each `$ ` line is run with bash, in
  order, in a new temporary folder, and what it prints (stdout and stderr together) must be the
  lines that follow it, up to the next `$ ` line. Every command must end with exit 0; a page that
  shows a refusal writes it so (`$ resolucion ... || echo "código de salida: $?"`).
- A ```bash or ```sh block is a list of commands to copy: it runs as one bash script (`set -e`) in
  a new temporary folder and must end with exit 0; its output is not shown, so it is not compared.
- HTML comments on the lines right before a block steer it:
  `<!-- doc: entorno COLUMNS=100 RESOLUCION_TZ=UTC -->` changes the environment (the default is
  NO_COLOR=1 COLUMNS=80 RESOLUCION_TZ=Europe/Madrid, no RESOLUCION_DB nor RESOLUCION_USUARIO);
  `<!-- doc: continúa -->` runs the block in the folder of the previous block of the same page,
  after it; `<!-- doc: archivo NOMBRE -->` writes the block (TOML, JSON...) to that file of the
  folder instead of running it; `<!-- doc: no se ejecuta: RAZÓN -->` leaves the block out, with
  the reason said.
- Every folder holds `sample_data/` (a copy of the repository's), so the pages can load it.

To write the outputs into the pages after a change of the screens, run them, never type them:
`python tests/cli/test_documentacion.py --regenerar` (then read the diff).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]
PAGINAS = [RAIZ / "README.md", *sorted((RAIZ / "docs").glob("*.md"))]
ENTORNO = {"NO_COLOR": "1", "COLUMNS": "80", "RESOLUCION_TZ": "Europe/Madrid"}
# The temporary folder of a block is shown on the pages under this name.
CARPETA_MOSTRADA = "/tmp/clase"
SESION = ("text", "console")
GUION = ("bash", "sh")
DIRECTIVA = re.compile(r"^<!-- doc: (.*?) -->$")
COMANDO_SUELTO = re.compile(r"^(\$ )?resolucion\s", re.M)


@dataclass
class Bloque:
    pagina: Path
    linea: int  # 1-based line of the opening fence
    lenguaje: str
    lineas: list[str]
    directivas: list[str] = field(default_factory=list)

    @property
    def nombre(self) -> str:
        return f"{self.pagina.relative_to(RAIZ)}:{self.linea}"

    def directiva(self, clave: str) -> str | None:
        for d in self.directivas:
            if d == clave or d.startswith(clave + " ") or d.startswith(clave + ":"):
                return d[len(clave) :].lstrip(" :")
        return None

    @property
    def es_sesion(self) -> bool:
        return self.lenguaje in SESION and any(linea.startswith("$ ") for linea in self.lineas)


def bloques(pagina: Path) -> list[Bloque]:
    lineas = pagina.read_text(encoding="utf-8").split("\n")
    encontrados, i = [], 0
    while i < len(lineas):
        abre = re.match(r"^```(\S*)\s*$", lineas[i])
        if not abre:
            i += 1
            continue
        fin = i + 1
        while not lineas[fin].startswith("```"):
            fin += 1
        directivas, j = [], i - 1
        while j >= 0 and DIRECTIVA.match(lineas[j]):
            directivas.insert(0, DIRECTIVA.match(lineas[j]).group(1))
            j -= 1
        encontrados.append(Bloque(pagina, i + 1, abre.group(1), lineas[i + 1 : fin], directivas))
        i = fin + 1
    return encontrados


def cadenas() -> list[list[Bloque]]:
    """The blocks to run, each with the blocks that continue in its folder."""
    todas = []
    for pagina in PAGINAS:
        for b in bloques(pagina):
            if b.directiva("no se ejecuta") is not None:
                continue
            ejecutable = b.es_sesion or b.lenguaje in GUION or b.directiva("archivo")
            if not ejecutable:
                continue
            if b.directiva("continúa") is not None:
                assert todas and todas[-1][0].pagina == pagina, f"{b.nombre}: «continúa» sin bloque anterior"
                todas[-1].append(b)
            else:
                todas.append([b])
    return todas


def entorno(bloque: Bloque) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RESOLUCION_")}
    for quitar in ("FORCE_COLOR", "GITHUB_ACTIONS", "TERM", "LINES"):
        env.pop(quitar, None)
    env.update(ENTORNO)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for par in (bloque.directiva("entorno") or "").split():
        clave, valor = par.split("=", 1)
        env[clave] = valor
    return env


def normalizar(salida: str, carpeta: Path) -> list[str]:
    # Only what must vary between runs: the temporary folder. Rich pads table lines with spaces,
    # which a page cannot keep reliably, so trailing spaces go, and so do blank lines at the end.
    for ruta in {str(carpeta.resolve()), str(carpeta)}:
        salida = salida.replace(ruta, CARPETA_MOSTRADA)
    lineas = [linea.rstrip() for linea in salida.split("\n")]
    while lineas and not lineas[-1]:
        lineas.pop()
    return lineas


def ejecutar(comando: str, carpeta: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", comando],
        cwd=carpeta,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
    )


def comandos(bloque: Bloque) -> list[tuple[str, list[str]]]:
    """A session as (command, output shown) pairs."""
    pares: list[tuple[str, list[str]]] = []
    for linea in bloque.lineas:
        if linea.startswith("$ "):
            pares.append((linea[2:], []))
        else:
            assert pares, f"{bloque.nombre}: la sesión no empieza por «$ »"
            pares[-1][1].append(linea.rstrip())
    for _, salida in pares:
        while salida and not salida[-1]:
            salida.pop()
    return pares


def correr(bloque: Bloque, carpeta: Path) -> list[tuple[str, list[str], list[str]]]:
    """Runs a block; for a session, returns (command, shown, got) for each command."""
    env = entorno(bloque)
    archivo = bloque.directiva("archivo")
    if archivo:
        (carpeta / archivo).write_text("\n".join(bloque.lineas) + "\n", encoding="utf-8")
        return []
    if bloque.lenguaje in GUION:
        r = ejecutar("set -euo pipefail\n" + "\n".join(bloque.lineas), carpeta, env)
        assert r.returncode == 0, f"{bloque.nombre}: exit {r.returncode}\n{r.stdout[-3000:]}"
        return []
    resultados = []
    for comando, mostrada in comandos(bloque):
        r = ejecutar(comando, carpeta, env)
        assert r.returncode == 0, f"{bloque.nombre}: «{comando}» exit {r.returncode}\n{r.stdout[-3000:]}"
        resultados.append((comando, mostrada, normalizar(r.stdout, carpeta)))
    return resultados


def carpeta_nueva() -> Path:
    carpeta = Path(tempfile.mkdtemp(prefix="resolucion-doc-"))
    shutil.copytree(RAIZ / "sample_data", carpeta / "sample_data")
    return carpeta


@pytest.mark.parametrize("cadena", cadenas(), ids=lambda c: c[0].nombre)
def test_each_block_runs_and_shows_its_current_output(cadena):
    carpeta = carpeta_nueva()
    try:
        for bloque in cadena:
            for comando, mostrada, obtenida in correr(bloque, carpeta):
                assert obtenida == mostrada, f"{bloque.nombre}: «{comando}» ya no escribe lo que muestra la página"
    finally:
        shutil.rmtree(carpeta, ignore_errors=True)


def test_every_block_with_a_command_is_run_or_says_why_not():
    for pagina in PAGINAS:
        for b in bloques(pagina):
            razon = b.directiva("no se ejecuta")
            if razon is not None:
                assert razon.strip(), f"{b.nombre}: «no se ejecuta» sin razón"
                continue
            if COMANDO_SUELTO.search("\n".join(b.lineas)):
                assert b.es_sesion or b.lenguaje in GUION, f"{b.nombre}: comandos en un bloque que nadie ejecuta"


def test_the_pages_run_many_blocks_and_the_convention_is_documented():
    assert sum(len(c) for c in cadenas()) >= 20
    arquitectura = (RAIZ / "docs" / "arquitectura.md").read_text(encoding="utf-8")
    assert "<!-- doc: continúa -->" in arquitectura and "--regenerar" in arquitectura


def test_the_rules_page_quotes_the_help_page_word_for_word():
    fuente = (RAIZ / "resolucion_cli" / "datos" / "centro-de-resoluciones.txt").read_text(encoding="utf-8")
    reglas = (RAIZ / "docs" / "reglas.md").read_text(encoding="utf-8")
    seccion = reglas[reglas.index("## La fuente") : reglas.index("### Cómo se enlaza")]
    citas = re.findall(r"«(.*?)»", seccion)
    assert len(citas) >= 15
    for cita in citas:
        assert cita in fuente, cita


def test_every_docs_page_is_linked_from_the_readme():
    readme = (RAIZ / "README.md").read_text(encoding="utf-8")
    for pagina in (RAIZ / "docs").glob("*.md"):
        assert f"](docs/{pagina.name})" in readme, pagina.name


def regenerar(paginas: list[Path]) -> None:
    """Rewrites the output of every session block with what its commands print now."""
    for pagina in paginas:
        nuevos: dict[int, list[str]] = {}
        for cadena in cadenas():
            if cadena[0].pagina != pagina:
                continue
            carpeta = carpeta_nueva()
            try:
                for bloque in cadena:
                    resultados = correr(bloque, carpeta)
                    if bloque.es_sesion:
                        lineas: list[str] = []
                        for k, (comando, _, obtenida) in enumerate(resultados):
                            assert not any(linea.startswith("$ ") for linea in obtenida), (
                                f"{bloque.nombre}: «{comando}» escribe una línea que empieza por «$ »: "
                                "la página la leería como otra orden; muestra menos"
                            )
                            lineas += ([""] if k else []) + [f"$ {comando}", *obtenida]
                        nuevos[bloque.linea] = lineas
            finally:
                shutil.rmtree(carpeta, ignore_errors=True)
        texto = pagina.read_text(encoding="utf-8").split("\n")
        largos = {b.linea: len(b.lineas) for b in bloques(pagina)}
        for linea in sorted(nuevos, reverse=True):  # from the bottom, so earlier lines keep their place
            texto[linea : linea + largos[linea]] = nuevos[linea]
        pagina.write_text("\n".join(texto), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:2] != ["--regenerar"]:
        sys.exit("uso: python tests/cli/test_documentacion.py --regenerar [PÁGINA...]")
    regenerar([Path(p).resolve() for p in sys.argv[2:]] or PAGINAS)
