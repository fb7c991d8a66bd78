"""`resolucion guion ARCHIVO.toml`: play a scenario and report, step by step, what it expected."""

import re
from typing import Annotated

import typer

from ..errores import EntradaInvalida
from .comun import (
    AYUDA,
    BASE,
    COMO,
    DB,
    JSON,
    NO_INTERACTIVO,
    TZ,
    base_nueva,
    opcion,
    orden,
    registro,
)

app = typer.Typer()

# Optional only for --listar: without it, a missing scenario is refused like a missing argument.
ARCHIVO = Annotated[
    str | None,
    typer.Argument(
        help=r"El guion: un archivo TOML con sus pasos (\[\[paso]]) y lo que se espera tras cada uno, «-» para "
        "leerlo de la entrada estándar, o el nombre de uno incluido (--listar los muestra).",
        metavar="ARCHIVO",
        show_default=False,
        rich_help_panel="Argumentos",
    ),
]


# How the JSON objects compared with a scenario's expectations write an instant.
_INSTANTE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def _valor(valor, tz) -> str:
    """An expected or found value as the file would write it; an instant in the scenario's zone."""
    from ..reloj import desde_iso, legible

    if valor is None:
        return "nada"
    if isinstance(valor, bool):
        return "true" if valor else "false"
    if isinstance(valor, int):
        return str(valor)
    if _INSTANTE.fullmatch(valor):
        return f"«{legible(desde_iso(valor), tz)}»"
    return f"«{valor}»"


def _comprobado(c, tz) -> str:
    if c.objeto == "bandeja":
        return f"{c.esperado['para']} recibió «{c.esperado['contiene']}»"
    return f"{c.campo} = {_valor(c.esperado, tz)}"


def informe_json(informe, db: str | None) -> dict:
    return {
        "ok": informe.ok,
        "archivo": informe.escenario.ruta,
        "titulo": informe.escenario.titulo,
        "db": db,
        "pasos": [
            {
                "paso": r.paso.numero,
                "accion": r.paso.accion,
                "ok": r.ok,
                "ejecutado": r.ejecutado,
                "codigo": r.codigo,
                "mensaje": r.mensaje,
                "fallos": [{"campo": f.campo, "esperado": f.esperado, "encontrado": f.encontrado} for f in r.fallos],
            }
            for r in informe.pasos
        ],
    }


def _detalle(r, informe, tz):
    """What a step did or, when it failed, what was expected and what was found."""
    from rich.text import Text

    from ..entrada import limpiar

    detalle = Text()

    def linea(texto: str, estilo: str = "") -> None:
        if detalle:
            detalle.append("\n")
        detalle.append(limpiar(texto), style=estilo)

    if not r.ejecutado:
        linea(f"no se ejecutó: el paso {informe.desvio} se desvió del guion", "dim")
        return detalle
    for fallo in r.fallos:
        encontrado = _valor(fallo.encontrado, tz)
        if fallo.campo == "codigo" and r.mensaje:
            encontrado += f" ({r.mensaje})"
        if fallo.campo == "codigo" and fallo.encontrado == 0:
            encontrado += " (el paso funcionó)"
        linea(f"{fallo.campo}: se esperaba {_valor(fallo.esperado, tz)}, se encontró {encontrado}", "bold red")
    if r.paso.codigo and r.codigo == r.paso.codigo:
        linea(f"rechazado como se esperaba (código {r.codigo}): {r.mensaje}", "dim")
    fallidos = {f.campo for f in r.fallos}
    comprobados = [_comprobado(c, tz) for c in r.paso.comprobaciones if c.campo not in fallidos]
    if (r.codigo == 0) == (r.paso.codigo == 0):
        for comprobado in comprobados:
            linea(comprobado, "green")
    return detalle or Text("—", style="dim")


def mostrar_informe(c, informe, db: str | None) -> None:
    """The report in the scenario's zone, adapted to the terminal's width as every list is."""
    from rich.text import Text

    from ..entrada import limpiar
    from ..vista import Cuadro

    escenario = informe.escenario
    titulo = f"Guion «{escenario.ruta}»" + (f" · {escenario.titulo}" if escenario.titulo else "")
    tabla = Cuadro(limpiar(titulo), "Paso", "Acción", "Resultado", "Detalle", pesos={"Detalle": 2})
    for r in informe.pasos:
        accion = Text(limpiar(r.paso.descripcion))
        if r.paso.nota:
            accion.append("\n" + limpiar(r.paso.nota), style="dim")
        if not r.ejecutado:
            resultado = Text("—", style="dim")
        else:
            resultado = Text("✔", style="bold green") if r.ok else Text("✘", style="bold red")
        tabla.add_row(Text(str(r.paso.numero)), accion, resultado, _detalle(r, informe, escenario.tz))
    c.print(tabla)
    total = len(informe.pasos)
    if informe.ok:
        c.print(Text(f"✔ Se cumple todo lo que espera el guion en sus {total} pasos.", style="bold green"))
    else:
        fallidos = informe.fallidos
        pasos = ", ".join(map(str, fallidos[:-1])) + (" y " if len(fallidos) > 1 else "") + str(fallidos[-1])
        plural = "Fallaron los pasos" if len(fallidos) > 1 else "Falló el paso"
        c.print(Text(f"✘ {plural} {pasos} (de {total}).", style="bold red"))
        if informe.desvio is not None and informe.desvio < total:
            c.print(Text(f"El paso {informe.desvio} se desvió del guion: los siguientes no se ejecutaron."))
    if db is not None:
        c.print(Text(f"La base queda en {limpiar(db)}."))


def _narrador(c, escenario, pausa: bool):
    """What `--narrar` shows after each step, as `demo` does: the step announced, the command a
    person would type, the screen they would then see, and what the scenario checked."""
    import shlex

    from rich.rule import Rule
    from rich.text import Text

    from .. import guion as guiones
    from .. import servicios, vista
    from ..entrada import limpiar
    from ..reloj import nombre_zona

    tz = escenario.tz
    titulo = f"Guion «{escenario.ruta}»" + (f": {escenario.titulo}" if escenario.titulo else "")
    c.print(vista.parrafo(limpiar(titulo), "bold"))
    reglas = f"reglas «{escenario.politica}»" if escenario.politica else "reglas de la base"
    c.print(vista.parrafo(f"Fechas en {nombre_zona(tz)} · {reglas}.", "dim"))

    def al_paso(resultado, carga) -> None:
        paso = resultado.paso
        c.print()
        c.print(Text(limpiar(f"▶ Paso {paso.numero}: {paso.descripcion}"), style="bold cyan"))
        if paso.nota:
            c.print(vista.parrafo(limpiar(paso.nota), "cyan"))
        c.print(Rule(style="cyan"))
        c.print(Text(limpiar("$ resolucion " + shlex.join(guiones.linea_de_comandos(paso, carga))), style="dim"))
        if resultado.codigo == 0:
            if resultado.tick is not None:
                vista.mostrar_tick(c, resultado.tick, tz)
            elif (pedido := guiones.pedido_del_paso(paso, carga)) is not None:
                vista.mostrar_pedido(c, servicios.ver_pedido(carga.almacen, pedido, None), tz)
        elif resultado.mensaje:
            c.print(vista.parrafo(limpiar(f"Error: {resultado.mensaje}"), "red"))
        c.print(_detalle(resultado, None, tz))
        if pausa:
            c.input(Text("Pulsa Intro para continuar… ", style="dim"))

    return al_paso


def _listar(ctx, escenarios: list[tuple[str, str]]) -> None:
    from ..vista import Cuadro, _t

    def pantalla(c) -> None:
        tabla = Cuadro("Guiones incluidos («resolucion guion NOMBRE»)", "Nombre", "Título", pesos={"Título": 3})
        for nombre, titulo in escenarios:
            tabla.add_row(_t(nombre, "bold"), _t(titulo))
        c.print(tabla)

    ctx.mostrar(lambda: {"escenarios": [{"nombre": n, "titulo": t} for n, t in escenarios]}, pantalla, cabecera=False)


@app.command("guion", **registro("Base de datos y demo"))
def guion(
    contexto: typer.Context,
    archivo: ARCHIVO = None,
    listar: opcion("Lista los guiones incluidos, por nombre, con su título.", bool, "--listar") = False,
    narrar: opcion(
        "Contarlo como la demo: cada paso anunciado, su comando y la pantalla que se vería.", bool, "--narrar"
    ) = False,
    pausa: opcion("Narrar y esperar a que pulses Intro tras cada paso.", bool, "--pausa") = False,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Ejecuta un guion de escenario (TOML) y comprueba, paso a paso, lo que espera.

    Cada paso es una acción (crear, entregar, completar, abrir, responder, revocar, mensaje, tick)
    y, en \\[paso.espera], lo que debe cumplirse después: el estado de un pedido o de una
    solicitud, su vence_en, el reloj, un mensaje en una bandeja o el código de salida.
    Sale con 1 si algo no se cumple y con 2 si el guion no es válido. Usa una base
    temporal que se borra al acabar, salvo que indiques --db en la línea de comandos
    (RESOLUCION_DB se ignora).

    Con --narrar lo cuenta como la demo: cada paso anunciado, el comando que lo haría a mano y
    la pantalla que se vería después; con --pausa, además, espera a que pulses Intro.

    Con --listar muestra los guiones que trae resolucion; cada uno se ejecuta por su nombre.

    Ejemplo: resolucion guion cancelacion --narrar
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import guion as guiones
        from .. import incluidos, servicios
        from ..bases import abrir

        if listar:
            _listar(ctx, incluidos.escenarios())
            return
        if archivo is None:
            raise EntradaInvalida(
                "Falta el argumento ARCHIVO: el guion que se ejecuta (una ruta, «-» o el nombre de uno incluido; "
                "«resolucion guion --listar» los muestra)."
            )

        narrar = narrar or pausa
        if narrar and ctx.json:
            raise EntradaInvalida("La narración es para personas: usa --narrar o --json, no los dos.")
        escenario = guiones.leer(archivo, ctx.tz())  # a broken file is refused before any database exists
        al_paso = None
        if narrar:
            from ..vista import consola

            c = consola()
            al_paso = _narrador(c, escenario, pausa)
        with base_nueva(ctx, contexto, "El guion") as (db, db_propia):
            almacen = abrir(db, escenario.reloj)
            try:
                servicios.fijar_politica(almacen, escenario.politica, escenario.plazos)
                informe = guiones.ejecutar(almacen, escenario, escenario.tz, al_paso)
            finally:
                almacen.cerrar()
        guardada = db if db_propia else None
        ctx.mostrar(lambda: informe_json(informe, guardada), lambda c: mostrar_informe(c, informe, guardada))
        if not informe.ok:
            raise typer.Exit(1)
