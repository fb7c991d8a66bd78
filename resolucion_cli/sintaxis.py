"""Why a data file (JSON) or a scenario (TOML) cannot be read, in Spanish, with line and column.

The standard library reports these in English. `json.JSONDecodeError` keeps its reason, line
and column as fields; `tomllib` (Python 3.11–3.13) only writes them into its message, as
"<reason> (at line L, column C)" or "(at end of document)" — from 3.14 it also has `msg`,
`lineno` and `colno`. Each known reason has its Spanish sentence; an unknown one (a newer
Python's) gets a general one, never the English.
"""

import re
import sys
import unicodedata
from pathlib import Path

from .errores import EntradaInvalida

# Larger than any data file or scenario a person writes; a read stops there, so a path to
# /dev/zero or /dev/urandom ends with a sentence instead of filling the memory.
MAX_ARCHIVO = 16 * 1024 * 1024


def leer_texto(ruta: Path, que: str) -> str:
    """The text of a data file or scenario, reading at most `MAX_ARCHIVO` bytes; `-` is the
    standard input. OSError and UnicodeDecodeError are the caller's to say; `que` names the
    file in the refusal."""
    if str(ruta) == "-":
        contenido = sys.stdin.buffer.read(MAX_ARCHIVO + 1)
    else:
        with ruta.open("rb") as archivo:
            contenido = archivo.read(MAX_ARCHIVO + 1)
    if len(contenido) > MAX_ARCHIVO:
        raise EntradaInvalida(
            f"{que} «{ruta}» pasa de {MAX_ARCHIVO // (1024 * 1024)} MB: no es un archivo que resolucion lea. "
            "No se ha hecho nada."
        )
    return contenido.decode("utf-8")


def demasiado_anidado(que: str, ruta: str) -> EntradaInvalida:
    """A document nested thousands deep: the parser would exhaust Python's stack."""
    return EntradaInvalida(f"{que} «{ruta}» anida listas u objetos a demasiada profundidad. No se ha hecho nada.")


_JSON = [
    ("Expecting value", "se esperaba un valor (texto entre comillas dobles, número, true, false, null, {…} o […])"),
    ("Expecting property name", "se esperaba el nombre de un campo entre comillas dobles (¿sobra una coma antes?)"),
    ("Expecting ':'", "falta «:» entre el nombre del campo y su valor"),
    ("Expecting ','", "falta una coma entre dos elementos"),
    ("Extra data", "sobra texto después del objeto JSON"),
    ("Unterminated string", "un texto empieza aquí y no se cierra con comillas dobles"),
    ("Invalid control character", "hay un salto de línea o un tabulador dentro de un texto: escríbelo como \\n o \\t"),
    ("Invalid \\", "una barra invertida empieza un escape que no existe: escribe \\\\ para una barra"),
    ("Illegal trailing comma", "sobra la coma antes del cierre"),
]

_TOML = [
    ("Expected '=' after a key", "falta «=» después del nombre de una clave"),
    ("Expected ']' at the end of a table", "falta «]» al final del nombre de una tabla"),
    ("Expected ']]' at the end of an array", "falta «]]» al final de [[…]]"),
    ("Expected newline or end of document", "después de un valor la línea debe terminar"),
    ("Unescaped '\\'", "hay una barra invertida sin escapar en un texto: escribe \\\\ o usa comillas simples"),
    ("Escaped character is not a Unicode", "un escape \\u no es un carácter válido"),
    ("Invalid hex value", "un escape \\u no es un carácter válido"),
    ("Invalid date or datetime", "la fecha no es válida"),
    ("Invalid initial character for a key", "el nombre de una clave empieza por un carácter no válido"),
    ("Invalid statement", "la línea no es «clave = valor» ni el nombre de una tabla"),
    ("Invalid value", "el valor no es válido (¿faltan las comillas de un texto?)"),
    ("Unclosed array", "una lista «[» no se cierra"),
    ("Unclosed inline table", "una tabla «{» no se cierra"),
    ("Unterminated string", "un texto no se cierra con sus comillas"),
    ("Cannot", "una clave o una tabla se define dos veces"),
    ("Duplicate inline table key", "una clave se repite en la misma tabla"),
    ("Expected", "falta un carácter que debía ir aquí"),
]
_POSICION_TOML = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _motivo(mensaje: str, tabla: list[tuple[str, str]]) -> str:
    return next((frase for inicio, frase in tabla if mensaje.startswith(inicio)), "la sintaxis no es válida")


def _caracter(texto: str, linea: int, columna: int) -> str:
    """The character at a position, named so a reader can find it even if it is invisible."""
    lineas = texto.split("\n")
    if not 1 <= linea <= len(lineas) or not 1 <= columna <= len(lineas[linea - 1]):
        return "un salto de línea (¿falta cerrar unas comillas?)"
    caracter = lineas[linea - 1][columna - 1]
    if caracter.isprintable() and not caracter.isspace():
        return f"«{caracter}»"
    return f"U+{ord(caracter):04X} ({unicodedata.name(caracter, 'un carácter de control').lower()})"


def error_json(error) -> str:
    """`en la línea L, columna C: reason` for a `json.JSONDecodeError`."""
    return f"en la línea {error.lineno}, columna {error.colno}: {_motivo(error.msg, _JSON)}"


def error_toml(error, texto: str) -> str:
    """`en la línea L, columna C: reason` (or `al final del archivo: …`) for a `tomllib.TOMLDecodeError`."""
    mensaje = str(error)
    posicion = _POSICION_TOML.search(mensaje)
    razon = getattr(error, "msg", None) or _POSICION_TOML.sub("", mensaje)
    linea, columna = getattr(error, "lineno", None), getattr(error, "colno", None)
    if linea is None and posicion is not None and posicion[1]:
        linea, columna = int(posicion[1]), int(posicion[2])
    if razon.startswith(("Illegal character", "Found invalid character")):
        motivo = f"aquí no se admite {_caracter(texto, linea, columna)}" if linea else "hay un carácter no admitido"
    else:
        motivo = _motivo(razon, _TOML)
    donde = f"en la línea {linea}, columna {columna}" if linea else "al final del archivo"
    return f"{donde}: {motivo}"


def error_de_lectura(error: Exception) -> str:
    """Why a file could not be read as text, for «No puedo leer «ruta»: …»."""
    if isinstance(error, UnicodeDecodeError):
        antes = error.object[: error.start]
        linea = antes.count(b"\n") + 1
        columna = error.start - (antes.rfind(b"\n") + 1) + 1
        return f"no está en UTF-8 (línea {linea}, columna {columna}); guárdalo con esa codificación"
    if isinstance(error, IsADirectoryError):
        return "es una carpeta, no un archivo"
    if isinstance(error, PermissionError):
        return "no tienes permiso para leerlo"
    return "el sistema no deja leerlo"
