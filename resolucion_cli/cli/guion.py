"""`resolucion guion ARCHIVO.toml`: play a scenario and report, step by step, what it expected."""

import typer

from .comun import Contexto, argumento, base_nueva, comando

ARCHIVO = argumento(
    r"El guion: un archivo TOML con sus pasos (\[\[paso]]) y lo que se espera tras cada uno.", "ARCHIVO", "ruta"
)


def _valor(valor) -> str:
    """An expected or found value as the file would write it."""
    if valor is None:
        return "nada"
    if isinstance(valor, bool):
        return "true" if valor else "false"
    if isinstance(valor, int):
        return str(valor)
    return f"«{valor}»"


def _comprobado(c) -> str:
    if c.objeto == "bandeja":
        return f"{c.esperado['para']} recibió «{c.esperado['contiene']}»"
    return f"{c.campo} = {_valor(c.esperado)}"


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


def _detalle(r, informe):
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
        encontrado = _valor(fallo.encontrado)
        if fallo.campo == "codigo" and r.mensaje:
            encontrado += f" ({r.mensaje})"
        if fallo.campo == "codigo" and fallo.encontrado == 0:
            encontrado += " (el paso funcionó)"
        linea(f"{fallo.campo}: se esperaba {_valor(fallo.esperado)}, se encontró {encontrado}", "bold red")
    if r.paso.codigo and r.codigo == r.paso.codigo:
        linea(f"rechazado como se esperaba (código {r.codigo}): {r.mensaje}", "dim")
    fallidos = {f.campo for f in r.fallos}
    comprobados = [_comprobado(c) for c in r.paso.comprobaciones if c.campo not in fallidos]
    if (r.codigo == 0) == (r.paso.codigo == 0):
        for comprobado in comprobados:
            linea(comprobado, "green")
    return detalle or Text("—", style="dim")


def mostrar_informe(c, informe, db: str | None) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from ..entrada import limpiar

    escenario = informe.escenario
    titulo = f"Guion «{escenario.ruta}»" + (f" · {escenario.titulo}" if escenario.titulo else "")
    tabla = Table(title=Text(limpiar(titulo)), box=box.SIMPLE_HEAVY, title_justify="left", title_style="bold")
    for columna in ("Paso", "Acción", "Resultado", "Detalle"):
        tabla.add_column(columna)
    for r in informe.pasos:
        accion = Text(limpiar(r.paso.descripcion))
        if r.paso.nota:
            accion.append("\n" + limpiar(r.paso.nota), style="dim")
        if not r.ejecutado:
            resultado = Text("—", style="dim")
        else:
            resultado = Text("✔", style="bold green") if r.ok else Text("✘", style="bold red")
        tabla.add_row(Text(str(r.paso.numero)), accion, resultado, _detalle(r, informe))
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


def registrar(app) -> None:
    @comando(app, "guion", "Base de datos y demo")
    def guion(ctx: Contexto, contexto: typer.Context, archivo: ARCHIVO) -> None:
        """Ejecuta un guion de escenario (TOML) y comprueba, paso a paso, lo que espera.

        Cada paso es una acción (crear, entregar, completar, abrir, responder, revocar, tick)
        y, en \\[paso.espera], lo que debe cumplirse después: el estado de un pedido o de una
        solicitud, su vence_en, el reloj, un mensaje en una bandeja o el código de salida.
        Sale con 1 si algo no se cumple y con 2 si el guion no es válido. Usa una base
        temporal que se borra al acabar, salvo que indiques --db en la línea de comandos
        (RESOLUCION_DB se ignora).

        Ejemplo: resolucion guion sample_data/escenarios/cancelacion.toml
        """
        from .. import guion as guiones
        from .. import servicios
        from ..almacen import Almacen

        escenario = guiones.leer(archivo, ctx.tz())  # a broken file is refused before any database exists
        with base_nueva(ctx, contexto, "El guion") as (db, db_propia):
            almacen = Almacen.abrir(db, escenario.reloj)
            try:
                servicios.fijar_politica(almacen, escenario.politica, escenario.plazos)
                informe = guiones.ejecutar(almacen, escenario, escenario.tz)
            finally:
                almacen.cerrar()
        guardada = db if db_propia else None
        ctx.mostrar(lambda: informe_json(informe, guardada), lambda c: mostrar_informe(c, informe, guardada))
        if not informe.ok:
            raise typer.Exit(1)
