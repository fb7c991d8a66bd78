"""`resolucion instantanea ...`: save, restore, list and delete named snapshots of the whole database."""

import typer

from .. import entrada
from ..errores import Cancelado
from .comun import (
    AYUDA,
    BASE,
    COMO,
    DB,
    JSON,
    NO_INTERACTIVO,
    TZ,
    Contexto,
    argumento,
    grupo,
    opcion,
    orden,
    registro,
)

app = typer.Typer(
    help="Instantáneas de toda la base (reloj incluido), guardadas junto a ella, para volver atrás.\n\n"
    "Ejemplo: resolucion instantanea guardar inicio"
)


@app.callback(invoke_without_command=True)
def instantanea(contexto: typer.Context, _ayuda: AYUDA = False) -> None:
    grupo(contexto)


NOMBRE = argumento("Nombre de la instantánea: letras, cifras, «-» y «_» (hasta 64).", "NOMBRE", "nombre")


def _una(ctx: Contexto, instantanea, frase: str) -> None:
    """The JSON object of one snapshot, or one Spanish sentence about it."""
    from .. import vista

    ctx.mostrar(
        lambda: {"instantanea": vista.instantanea_json(instantanea)},
        lambda c: c.print(vista.parrafo(frase)),
    )


@app.command("guardar", **registro())
def guardar(
    nombre: NOMBRE,
    reemplazar: opcion("Sustituye la instantánea si ya hay una con ese nombre.", bool, "--reemplazar") = False,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Guarda una copia de toda la base, tal como está ahora, con un nombre.

    La copia es coherente aunque otra terminal esté escribiendo. Se guarda junto a la base, en
    la carpeta .resolucion-instantaneas/ARCHIVO_DE_LA_BASE/. Si ya hay una con ese nombre, se
    rechaza salvo con --reemplazar.

    Ejemplo: resolucion instantanea guardar inicio
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import instantaneas, vista

        valido = entrada.nombre_instantanea(nombre)
        hecha = instantaneas.guardar(ctx.almacen(), valido, reemplazar)
        _una(ctx, hecha, f"Instantánea «{valido}» guardada (reloj {vista.reloj_de_instantanea(hecha, ctx.tz())}).")


@app.command("restaurar", **registro())
def restaurar(
    nombre: NOMBRE,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Sustituye todo el contenido de la base (reloj incluido) por una instantánea.

    El cambio es atómico: otra terminal que escriba a la vez queda entera antes o entera después,
    y las pantallas --seguir se redibujan. En una terminal pide confirmación.

    Ejemplo: resolucion instantanea restaurar inicio
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import instantaneas, vista
        from ..reloj import legible

        valido = entrada.nombre_instantanea(nombre)
        almacen = ctx.almacen()

        def confirmar(elegida, reloj_actual) -> None:
            p = ctx.preguntas()
            p.mostrar(
                f"Se sustituirá todo el contenido de «{ctx.db}» (reloj {legible(reloj_actual, ctx.tz())}) por la "
                f"instantánea «{valido}» (reloj {legible(elegida.reloj, ctx.tz())})."
            )
            if not p.confirmar():
                raise Cancelado()

        hecha = instantaneas.restaurar(almacen, valido, confirmar if ctx.interactivo else None)
        reloj = vista.reloj_de_instantanea(hecha, ctx.tz())
        _una(ctx, hecha, f"Instantánea «{valido}» restaurada en «{ctx.db}»: el reloj vuelve a marcar {reloj}.")


@app.command("listar", **registro())
def listar(
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Lista las instantáneas de la base: nombre, reloj guardado, cuándo se hizo y tamaño.

    Ejemplo: resolucion instantanea listar
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import instantaneas, vista

        almacen = ctx.almacen()
        todas = instantaneas.listar(almacen)
        ctx.mostrar(
            lambda: {"instantaneas": [vista.instantanea_json(i) for i in todas]},
            lambda c: vista.mostrar_instantaneas(c, ctx.db, instantaneas.carpeta(almacen), todas, ctx.tz()),
        )


@app.command("borrar", **registro())
def borrar(
    nombre: NOMBRE,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Borra una instantánea (la base no cambia).

    No pide confirmación: se nombra la instantánea que se borra, y la base no se toca.

    Ejemplo: resolucion instantanea borrar inicio
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import instantaneas

        valido = entrada.nombre_instantanea(nombre)
        hecha = instantaneas.borrar(ctx.almacen(), valido)
        _una(ctx, hecha, f"Instantánea «{valido}» borrada.")
