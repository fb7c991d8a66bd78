"""`resolucion tablero`: the class's marketplace in the browser (Datasette, read-only, loopback only)."""

import typer

from .comun import (
    AYUDA,
    BASE,
    COMO,
    DB,
    JSON,
    NO_INTERACTIVO,
    TZ,
    opcion,
    orden,
    registro,
)

app = typer.Typer()

PUERTO = 8001


@app.command("tablero", **registro("Base de datos y demo"))
def tablero(
    puerto: opcion(f"Puerto de 127.0.0.1 donde escuchar (por defecto, {PUERTO}).", metavar="N") = None,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Abre la base en el navegador, de solo lectura, para proyectarla en clase.

    Sirve la base con Datasette en http://127.0.0.1:N (solo en este equipo): las vistas de
    plazos pendientes, solicitudes e historial con títulos en español, y las consultas
    «¿Quién debe actuar?» y «Plazos de hoy». Otras terminales pueden seguir trabajando:
    la página muestra lo último al recargarla. Ctrl-C lo cierra (sale con 0).

    Necesita el extra: pip install 'resolucion\\[tablero]'

    Ejemplo: resolucion tablero --puerto 8001
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        import sys
        from pathlib import Path

        from .. import entrada, vista
        from ..errores import FaltaElTablero, Terminado

        numero = entrada.entero(puerto, "--puerto", 1, 65535) if puerto is not None else PUERTO
        # Opening the store upgrades an older schema, so the views Datasette shows exist.
        almacen = ctx.almacen()
        if almacen.SERVIDOR:
            from ..postgres import solo_sqlite

            raise solo_sqlite("el tablero")
        try:
            import datasette  # noqa: F401
            import uvicorn  # noqa: F401
        except ImportError:
            raise FaltaElTablero() from None
        from .. import tablero as modulo

        columnas = modulo.columnas(almacen.conexion)
        almacen.cerrar()  # Datasette reads through its own read-only connections
        ruta = Path(ctx.db).resolve()

        def avisar(url: str) -> None:
            ctx.mostrar(
                lambda: {"db": str(ruta), "url": url},
                lambda c: c.print(
                    vista.parrafo(f"Tablero de {ctx.nombre_base()} en {url} (solo lectura). Ctrl-C lo cierra.")
                ),
                cabecera=False,
            )
            sys.stdout.flush()

        try:
            modulo.servir(ruta, numero, columnas, avisar)
        except KeyboardInterrupt as interrupcion:
            # Ctrl-C is how a server is meant to end: the tablero changed nothing and ends with 0.
            if isinstance(interrupcion, Terminado):
                raise
        sys.stderr.write("Tablero cerrado.\n")
