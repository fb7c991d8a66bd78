"""Named snapshots of a whole database (`resolucion instantanea`), kept next to it.

A snapshot of `X/clase.db` named `inicio` is the SQLite file
`X/.resolucion-instantaneas/clase.db/inicio.sqlite`. One subfolder per database, named after
its file, keeps apart the snapshots of two databases in one folder: a flat `<base>--<nombre>`
could not tell `a.db` + `b--c` from `a--b.db` + `c`, since names may hold `-`. The subfolder
holds nothing else but the temporary files of a save or restore in progress (hidden, `.` first),
so `listar` is a listing of it. A snapshot's `creada_en` is its file's modification time, which
`guardar` sets to the wall-clock second it was made.
"""

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import entrada
from .almacen import Almacen, comprobar_copia, reloj_de_copia
from .errores import BaseInutilizable, EntradaInvalida, NoEncontrado, RechazadoPorRegla
from .reloj import reloj_de_pared

CARPETA = ".resolucion-instantaneas"
EXTENSION = ".sqlite"
# What a snapshot that cannot be restored is told to do instead.
OTRA = "Elige otra instantánea («resolucion instantanea listar» las muestra)."


@dataclass(frozen=True)
class Instantanea:
    nombre: str
    reloj: datetime | None  # None when the file is not a readable resolucion database
    creada_en: datetime
    bytes: int
    ruta: Path


def carpeta(almacen: Almacen) -> Path:
    """Where the snapshots of this database live: beside it, as the user sees it (a symlinked
    database keeps its snapshots next to the link, not next to its target)."""
    if almacen.SERVIDOR:
        from .postgres import solo_sqlite

        raise solo_sqlite("instantáneas")
    ruta = Path(os.path.abspath(almacen.ruta))
    return ruta.parent / CARPETA / ruta.name


def _describir(nombre: str, ruta: Path) -> Instantanea:
    datos = ruta.stat()
    creada = datetime.fromtimestamp(int(datos.st_mtime), UTC)
    return Instantanea(nombre, reloj_de_copia(ruta), creada, datos.st_size, ruta)


def _nombre_de_archivo(ruta: Path) -> str | None:
    """The snapshot name a file in the folder stands for; None for anything else."""
    if ruta.suffix != EXTENSION or not ruta.is_file():
        return None
    try:
        return entrada.nombre_instantanea(ruta.stem)
    except EntradaInvalida:
        return None


def listar(almacen: Almacen) -> list[Instantanea]:
    """Every snapshot of this database, by name."""
    donde = carpeta(almacen)
    if not donde.is_dir():
        return []
    encontradas = []
    for ruta in donde.iterdir():
        nombre = _nombre_de_archivo(ruta)
        if nombre is not None:
            try:
                encontradas.append(_describir(nombre, ruta))
            except FileNotFoundError:  # deleted by another terminal meanwhile
                continue
    return sorted(encontradas, key=lambda i: i.nombre)


def _buscar(almacen: Almacen, nombre: str) -> Instantanea:
    try:
        return _describir(nombre, carpeta(almacen) / f"{nombre}{EXTENSION}")
    except FileNotFoundError:
        raise _no_encontrada(almacen, nombre) from None


def _no_encontrada(almacen: Almacen, nombre: str) -> NoEncontrado:
    conocidas = [i.nombre for i in listar(almacen)]
    if conocidas:
        lista = ", ".join(f"«{n}»" for n in conocidas)
        hay = f"las que hay son {lista}" if len(conocidas) > 1 else f"la única que hay es {lista}"
    else:
        hay = "no tiene ninguna (se guardan con «resolucion instantanea guardar NOMBRE»)"
    return NoEncontrado(f"«{almacen.ruta}» no tiene ninguna instantánea «{nombre}»: {hay}.")


@contextmanager
def _temporal(donde: Path, que: str) -> Iterator[Path]:
    """A hidden temporary file in the snapshots' folder (so a rename from it is atomic), removed
    at the end with whatever SQLite left beside it."""
    try:
        donde.mkdir(parents=True, exist_ok=True)
        descriptor, nombre = tempfile.mkstemp(dir=donde, prefix=f".{que}-", suffix=".tmp")
        os.close(descriptor)
    except OSError as error:
        raise BaseInutilizable(
            f"No se puede escribir en la carpeta de instantáneas «{donde}» ({error.strerror}): "
            "da permiso de escritura en la carpeta de la base; no se ha cambiado nada."
        ) from None
    ruta = Path(nombre)
    try:
        yield ruta
    finally:
        for sufijo in ("", "-wal", "-shm", "-journal"):
            Path(f"{ruta}{sufijo}").unlink(missing_ok=True)


def _ya_existe(almacen: Almacen, nombre: str) -> RechazadoPorRegla:
    return RechazadoPorRegla(
        f"Ya hay una instantánea «{nombre}» de «{almacen.ruta}»: no la sustituyo. Usa --reemplazar para "
        "sustituirla, u otro nombre."
    )


def guardar(almacen: Almacen, nombre: str, reemplazar: bool) -> Instantanea:
    """Copy the whole database, as it is now, into the snapshot `nombre`.

    The copy is made in a temporary file and only then renamed into place, so a snapshot that
    exists is always whole: an interrupted save leaves the old one (or none), never half a file.
    """
    donde = carpeta(almacen)
    final = donde / f"{nombre}{EXTENSION}"
    if final.exists() and not reemplazar:
        raise _ya_existe(almacen, nombre)
    with _temporal(donde, "guardando") as temporal:
        try:
            almacen.copiar_en(temporal)
            momento = reloj_de_pared().timestamp()
            os.utime(temporal, (momento, momento))
            if reemplazar:
                os.replace(temporal, final)
            else:
                # A hard link fails if the name exists: two terminals saving one name at once
                # cannot both win (a check and then a rename could).
                os.link(temporal, final)
            # The snapshot is this command's change: a Ctrl-C from here on must not deny it.
            almacen.guardado = True
        except FileExistsError:
            raise _ya_existe(almacen, nombre) from None
        except (OSError, sqlite3.Error) as error:
            causa = getattr(error, "strerror", None) or str(error)
            raise BaseInutilizable(
                f"No se pudo guardar la instantánea «{nombre}» en «{donde}» ({causa}); no se ha cambiado nada."
            ) from None
    return _describir(nombre, final)


def restaurar(
    almacen: Almacen, nombre: str, confirmar: Callable[[Instantanea, datetime], None] | None = None
) -> Instantanea:
    """Replace the whole database by the snapshot `nombre` (see `Almacen.sustituir_por`).

    The snapshot must be a resolucion database this version can open; an older one is upgraded
    on a temporary copy first (the snapshot itself is never changed), so the live file always
    ends with the current schema, which the terminals following it expect. `confirmar` (on a
    terminal) is given the snapshot and the live clock before anything is replaced; it raises
    to cancel.
    """
    instantanea = _buscar(almacen, nombre)
    comprobar_copia(instantanea.ruta, OTRA)
    if confirmar is not None:
        confirmar(instantanea, almacen.reloj()[0])
    with _temporal(carpeta(almacen), "restaurando") as temporal:
        try:
            shutil.copyfile(instantanea.ruta, temporal)
        except FileNotFoundError:  # another terminal deleted it meanwhile
            raise _no_encontrada(almacen, nombre) from None
        except OSError as error:
            raise BaseInutilizable(
                f"No se pudo leer la instantánea «{nombre}» ({error.strerror}); no se ha cambiado nada."
            ) from None
        copia = Almacen.abrir(temporal, reloj_de_pared(), crear=False)
        try:
            almacen.sustituir_por(copia)
        finally:
            copia.cerrar()
    return instantanea


def borrar(almacen: Almacen, nombre: str) -> Instantanea:
    instantanea = _buscar(almacen, nombre)
    try:
        instantanea.ruta.unlink()
    except FileNotFoundError:  # another terminal deleted it first
        raise _no_encontrada(almacen, nombre) from None
    except OSError as error:
        raise BaseInutilizable(
            f"No se pudo borrar la instantánea «{nombre}» ({error.strerror}): comprueba los permisos "
            f"de «{carpeta(almacen)}»."
        ) from None
    return instantanea
