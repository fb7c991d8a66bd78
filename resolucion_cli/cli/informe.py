"""`resolucion informe`: an order's whole story, as Markdown or one self-contained HTML page."""

import errno
import os
import sys
from pathlib import Path

import typer

from .. import entrada
from ..errores import EntradaInvalida
from .comun import (
    AYUDA,
    BASE,
    COMO,
    DB,
    JSON,
    NO_INTERACTIVO,
    PEDIDO,
    TZ,
    opcion,
    orden,
    registro,
)

app = typer.Typer()


@app.command("informe", **registro("Pedidos y solicitudes"))
def informe(
    pedido: PEDIDO,
    formato: opcion(
        "md (Markdown, por defecto) o html (una página autónoma).", metavar="md|html", valores=lambda: ("md", "html")
    ) = None,
    salida: opcion(
        "Archivo donde se escribe el informe; sin indicar, o «-», va a la salida estándar.", metavar="ARCHIVO"
    ) = None,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Escribe la historia completa de un pedido, para repasarla o compartirla.

    Las partes, el precio, la entrega y el estado; cada solicitud con su plazo y su resultado
    (quién y cuándo); los mensajes; el historial; y una cronología del reloj con cada instante
    que consta en la base. Todas las horas en la zona de --tz. En Markdown (--formato md) o
    en una página HTML autónoma (--formato html: sin scripts ni nada que descargar, lista para
    imprimir). Con --como, solo el cliente o el freelancer del pedido pueden verlo. Con --json,
    el pedido, sus solicitudes, eventos y mensajes.

    Ejemplo: resolucion informe 1 --formato html --salida informe.html
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import informe as documento
        from .. import servicios, vista

        elegido = entrada.opcion_de(formato, documento.FORMATOS, "--formato") if formato is not None else "md"
        numero = entrada.identificador(pedido, "pedido")
        destino = None if salida is None or salida.strip() == "-" else Path(salida)
        if destino is not None:
            if ctx.json:
                raise EntradaInvalida(
                    "--json escribe el objeto JSON en la salida estándar y no se combina con --salida: "
                    "usa «--json > ARCHIVO» o quita --json."
                )
            _comprobar_destino(destino, salida, Path(ctx.db))
        datos = servicios.informe(ctx.almacen(), numero, ctx.como)
        v = datos.vista

        def texto() -> str:
            return documento.documento(datos, ctx.tz(), elegido, ctx.db_absoluta())

        def objeto() -> dict:
            return {
                "pedido": vista.pedido_json(v.pedido, v.reloj),
                "disputas": [vista.disputa_json(d) for d in v.disputas],
                "eventos": [vista.evento_json(e, ctx.tz()) for e in v.eventos],
                "mensajes": [vista.mensaje_json(m, ctx.tz()) for m in datos.mensajes],
            }

        if destino is None:
            # The document byte for byte as --salida writes it: Rich would expand tabs, and `print`
            # would wrap lines and read `[...]` as markup. A closed pipe is handled around every command.
            ctx.mostrar(objeto, lambda _consola: sys.stdout.write(texto()), cabecera=False)  # the document names it
            return
        _escribir(destino, texto(), salida)
        escrito = f"Informe del pedido #{numero} escrito en «{entrada.limpiar(salida)}»."
        ctx.mostrar(objeto, lambda c: c.print(vista.parrafo(escrito)))


def _no_se_puede(salida: str, motivo: str) -> EntradaInvalida:
    return EntradaInvalida(
        f"No se puede escribir el informe en «{entrada.limpiar(salida)}»: {motivo}. Indica otra ruta con --salida."
    )


def _comprobar_destino(destino: Path, salida: str, db: Path) -> None:
    """Refuse a path that cannot be written before reading anything (SPEC §7: bad input first)."""
    if destino.is_dir():
        raise _no_se_puede(salida, "es una carpeta")
    # A slip of the keyboard (`--salida resolucion.db`) must not replace the database with a report.
    if destino.resolve() == db.resolve() or (destino.exists() and db.exists() and destino.samefile(db)):
        raise _no_se_puede(salida, "es la propia base de datos")
    if not destino.parent.is_dir():
        raise _no_se_puede(salida, f"la carpeta «{entrada.limpiar(str(destino.parent))}» no existe")


def _escribir(destino: Path, texto: str, salida: str) -> None:
    """Write the whole file or nothing: a temporary file beside it, then one rename, so a reader
    (or a failure halfway) never sees half a report, and an older report stays until replaced."""
    import tempfile

    try:
        fd, temporal = tempfile.mkstemp(prefix=f".{destino.name}.", suffix=".tmp", dir=destino.parent)
    except OSError as error:
        raise _no_se_puede(salida, _motivo(error)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as archivo:
            archivo.write(texto)
            archivo.flush()
            os.fsync(archivo.fileno())
        # mkstemp makes the file private (0600); a report is an ordinary file, as `>` would make it.
        os.chmod(temporal, _permisos(destino))
        os.replace(temporal, destino)
    except OSError as error:
        Path(temporal).unlink(missing_ok=True)
        raise _no_se_puede(salida, _motivo(error)) from None
    except BaseException:
        Path(temporal).unlink(missing_ok=True)
        raise


def _permisos(destino: Path) -> int:
    """The mode of the report it replaces, else what the umask gives a new file."""
    try:
        return destino.stat().st_mode & 0o777
    except OSError:
        mascara = os.umask(0)
        os.umask(mascara)
        return 0o666 & ~mascara


def _motivo(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "no hay permiso para escribir ahí"
    if isinstance(error, IsADirectoryError):
        return "es una carpeta"
    if isinstance(error, FileNotFoundError):
        return "la carpeta no existe"
    if error.errno == errno.ENOSPC:
        return "el disco está lleno"
    if error.errno == errno.EROFS:
        return "el sistema de archivos es de solo lectura"
    return f"el sistema lo impidió (error {error.errno})"
