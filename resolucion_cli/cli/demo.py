"""`resolucion demo`: play sample_data/demo.sh, narrated, with the screens a user would see.

The story lives in one file, `datos/demo.sh` (sample_data/demo.sh links to it), so the
narrated demo and the shell script cannot tell different stories. Each `resolucion ...`
line runs in this process against the demo's database; a line ending in `|| true` is a
refusal the story expects, and the demo checks that every step ends as the script says.
"""

import shlex
from dataclasses import dataclass
from importlib import resources

import typer

from ..errores import EntradaInvalida, RechazadoPorRegla
from .comun import Contexto, comando, opcion

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


def _ejecutar(argumentos: list[str]) -> int:
    from . import app

    comando_raiz = typer.main.get_command(app)
    try:
        comando_raiz.main(args=argumentos, prog_name="resolucion")
    except SystemExit as salida:
        return salida.code or 0
    return 0


def registrar(app) -> None:
    @comando(app, "demo", "Base de datos y demo")
    def demo(
        ctx: Contexto,
        contexto: typer.Context,
        pausa: opcion("Esperar a que pulses Intro entre un paso y el siguiente.", bool, "--pausa") = False,
    ) -> None:
        """Cuenta, narrada, una historia completa del Centro de resoluciones.

        Cada tipo de solicitud y cada forma de terminar, con las pantallas que vería cada parte.
        Usa una base temporal que se borra al acabar, salvo que indiques --db en la línea de
        comandos (RESOLUCION_DB se ignora).

        Ejemplo: resolucion demo --pausa
        """
        import tempfile
        from pathlib import Path

        from rich.rule import Rule
        from rich.text import Text

        from ..vista import consola

        if ctx.json:
            raise EntradaInvalida("La demo es una narración para personas: no tiene salida --json.")
        db_propia = contexto.get_parameter_source("db").name == "COMMANDLINE"
        if db_propia and Path(ctx.db).exists() and Path(ctx.db).stat().st_size > 0:
            raise EntradaInvalida(f"La demo necesita una base nueva y «{ctx.db}» ya existe: indica otra ruta con --db.")
        c = consola()
        with tempfile.TemporaryDirectory(prefix="resolucion-demo-") as carpeta:
            db = ctx.db if db_propia else str(Path(carpeta) / "demo.db")
            for numero, paso in enumerate(historia(), start=1):
                if paso.narracion:
                    c.print()
                    c.print(Text(f"▶ {paso.narracion}", style="bold cyan"))
                    c.print(Rule(style="cyan"))
                    continue
                c.print(Text(f"$ resolucion {shlex.join(paso.argumentos)}", style="dim"))
                codigo = _ejecutar([*paso.argumentos, "--db", db, "--no-interactivo"])
                if (codigo != 0) != paso.debe_fallar:
                    esperado = "fallar" if paso.debe_fallar else "funcionar"
                    raise RechazadoPorRegla(
                        f"La demo se desvió del guion en el paso {numero}: el comando debía {esperado} "
                        f"y salió con el código {codigo}."
                    )
                if pausa:
                    c.input(Text("Pulsa Intro para continuar… ", style="dim"))
            c.print()
            c.print(Text("Fin de la demo." + (f" La base queda en {db}." if db_propia else ""), style="bold"))
