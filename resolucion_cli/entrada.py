"""Parsing and validation of what users type: handles, ids, money, titles, comments.

Each function returns the clean value or raises `EntradaInvalida` (exit 2) with a
Spanish sentence; user text quoted back is passed through `limpiar` first.
"""

import re
import unicodedata

from .errores import EntradaInvalida
from .modelo import SISTEMA

MAX_TITULO = 120
MAX_COMENTARIO = 2000
# Ten million in cents: far above any real order, far below SQLite's integer limit.
MAX_CENTAVOS = 10_000_000_00
MAX_EXTRAS_DIAS = 365

# Spanish letters are spelled out rather than taken from \w, which would let letters of
# other scripts in (a Cyrillic «а» would make «аna» look like «ana»).
LETRAS_USUARIO = "a-z, ñ, á, é, í, ó, ú, ü"
_USUARIO = re.compile(r"[a-z0-9ñáéíóúü_.-]{2,32}")
# A snapshot's name becomes a file name: no «/», no «.» (so never «..» nor a hidden file), and
# it starts with a letter or digit (a file named «-x» reads as an option to every shell tool).
_LETRA_O_CIFRA = "A-Za-z0-9ñÑáéíóúüÁÉÍÓÚÜ"
_INSTANTANEA = re.compile(rf"[{_LETRA_O_CIFRA}][{_LETRA_O_CIFRA}_-]{{0,63}}")
# What people write and what `reglas.dinero` prints: 120 · 120,5 · 120.50 · 1.234,50 ·
# 1.234.567 · US$ 1.234,50. One separator followed by three digits (1.234) is refused
# as ambiguous: it reads as thousands in Spanish and as decimals in English.
_DINERO = re.compile(
    r"(?:US\$\s*)?(?:(?P<simple>\d+)(?:[.,](?P<decimales>\d{1,2}))?"
    r"|(?P<miles>\d{1,3}(?:\.\d{3})+),(?P<centimos>\d{1,2})"
    r"|(?P<solo_miles>\d{1,3}(?:\.\d{3}){2,}))",
    re.ASCII | re.IGNORECASE,
)
_AMBIGUO = re.compile(r"(?:US\$\s*)?(\d{1,3})[.,](\d{3})", re.ASCII | re.IGNORECASE)
_ENTERO = re.compile(r"\d{1,18}", re.ASCII)
# C0/C1 controls (but newline and tab), zero-width characters and joiners, right-to-left and
# Arabic letter marks, bidirectional embeddings, overrides and isolates, the Unicode line and
# paragraph separators, and the byte-order mark: they would let text rewrite the terminal,
# break a line where none is seen, or disguise itself.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_CONTROL_EN_LINEA = re.compile(r"[\n\t]")


def es_utf8(texto: str) -> bool:
    """False when Python kept bytes of another encoding (a Latin-1 «ñ») as lone surrogates:
    no screen, file or database could write the text later."""
    try:
        texto.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def limpiar(texto: str) -> str:
    """Make control characters visible so they never reach the terminal as commands."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", texto)


def usuario(texto: str, opcion: str = "--como") -> str:
    """A handle (SPEC §2), in NFC so that «é» typed as one or as two code points is one user."""
    limpio = unicodedata.normalize("NFC", texto.strip())
    if limpio.lower() != limpio and _USUARIO.fullmatch(limpio.lower()):
        raise EntradaInvalida(
            f"El usuario «{limpiar(texto)}» de {opcion} tiene mayúsculas: los nombres de usuario van en "
            f"minúsculas (por ejemplo «{limpio.lower()}»)."
        )
    if not _USUARIO.fullmatch(limpio):
        raise EntradaInvalida(
            f"El usuario «{limpiar(texto)}» de {opcion} no es válido: usa de 2 a 32 caracteres entre "
            f"letras minúsculas ({LETRAS_USUARIO}), cifras, «_», «.» y «-»."
        )
    if limpio == SISTEMA:
        raise EntradaInvalida(f"«{SISTEMA}» es un nombre reservado: elige otro usuario para {opcion}.")
    return limpio


def nombre_instantanea(texto: str) -> str:
    """A snapshot's name, in NFC so that «é» typed either way names one file."""
    limpio = unicodedata.normalize("NFC", texto.strip())
    if not _INSTANTANEA.fullmatch(limpio):
        raise EntradaInvalida(
            f"El nombre de instantánea «{limpiar(texto)}» no es válido: usa de 1 a 64 letras (también ñ y "
            "vocales con tilde), cifras, «-» y «_», empezando por una letra o una cifra, sin espacios, puntos ni «/»."
        )
    return limpio


def identificador(texto: str, que: str) -> int:
    limpio = texto.strip().lstrip("#")
    if not _ENTERO.fullmatch(limpio) or int(limpio) == 0:
        raise EntradaInvalida(f"El número de {que} «{limpiar(texto)}» no es válido: usa un entero positivo, como 3.")
    return int(limpio)


def entero(texto: str, opcion: str, minimo: int, maximo: int) -> int:
    limpio = texto.strip()
    if not _ENTERO.fullmatch(limpio) or not minimo <= int(limpio) <= maximo:
        raise EntradaInvalida(f"{opcion} debe ser un número entero entre {minimo} y {maximo}.")
    return int(limpio)


def centavos(texto: str, opcion: str = "--precio") -> int:
    """An amount as people write it or as the screens print it -> cents; at most two decimals; more than 0."""
    limpio = texto.strip()
    m = _DINERO.fullmatch(limpio)
    if not m:
        ambiguo = _AMBIGUO.fullmatch(limpio)
        if ambiguo:
            miles, resto = ambiguo.groups()
            raise EntradaInvalida(
                f"{opcion} «{limpiar(texto)}» es ambiguo (¿miles o decimales?): escribe {miles}{resto} o "
                f"{miles}.{resto},00 si son miles, o como mucho dos decimales, como {miles},{resto[:2]}."
            )
        raise EntradaInvalida(
            f"{opcion} «{limpiar(texto)}» no es un importe válido: usa por ejemplo 120, 120,50, 1.234,50 o "
            "US$ 1.234,50 (como mucho dos decimales)."
        )
    enteros = (m["simple"] or m["miles"] or m["solo_miles"]).replace(".", "")
    decimales = (m["decimales"] or m["centimos"] or "").ljust(2, "0")
    if len(enteros) > 12:
        raise EntradaInvalida(f"{opcion} es demasiado grande (máximo 10.000.000).")
    valor = int(enteros) * 100 + int(decimales)
    if valor <= 0:
        raise EntradaInvalida(f"{opcion} debe ser mayor que 0.")
    if valor > MAX_CENTAVOS:
        raise EntradaInvalida(f"{opcion} es demasiado grande (máximo 10.000.000).")
    return valor


def texto_corto(texto: str, opcion: str, maximo: int = MAX_TITULO) -> str:
    """A one-line text such as a title: 1..maximo characters, no control characters."""
    limpio = texto.strip()
    if not limpio:
        raise EntradaInvalida(f"{opcion} no puede estar vacío.")
    if caracter := _CONTROL.search(limpio) or _CONTROL_EN_LINEA.search(limpio):
        raise EntradaInvalida(
            f"{opcion} no puede contener caracteres de control, invisibles ni saltos de línea "
            f"(tiene U+{ord(caracter.group()):04X})."
        )
    if len(limpio) > maximo:
        raise EntradaInvalida(f"{opcion} tiene {len(limpio)} caracteres: el máximo es {maximo}.")
    return limpio


def comentario(texto: str | None, opcion: str = "--comentario") -> str | None:
    """An optional free text: empty means none; at most 2000 characters; no control codes."""
    if texto is None or not texto.strip():
        return None
    limpio = texto.strip()
    if caracter := _CONTROL.search(limpio):
        raise EntradaInvalida(
            f"{opcion} contiene caracteres de control o invisibles "
            f"(el primero, U+{ord(caracter.group()):04X}): quítalos."
        )
    if len(limpio) > MAX_COMENTARIO:
        raise EntradaInvalida(f"{opcion} tiene {len(limpio)} caracteres: el máximo es {MAX_COMENTARIO}.")
    return limpio


def mensaje(texto: str, opcion: str = "--texto") -> str:
    """A message's text: the rules of a comment (SPEC §3), but it cannot be empty."""
    limpio = comentario(texto, opcion)
    if limpio is None:
        raise EntradaInvalida(f"{opcion} no puede estar vacío: escribe el mensaje para la otra parte.")
    return limpio


def _sin_tildes(texto: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", texto) if not unicodedata.combining(c))


def opcion_de(valor: str, opciones, opcion: str):
    """One value of a fixed list (`--tipo`, `--motivo`, `--estado`...).

    The codes are written without accents, but people write Spanish with them: `prórroga`
    is `prorroga`. Capitals are not folded, as with handles.
    """
    buscado = _sin_tildes(valor.strip())
    for elegida in opciones:
        if _sin_tildes(str(elegida)) == buscado:
            return elegida
    raise EntradaInvalida(f"{opcion} «{limpiar(valor)}» no es válido: elige uno de {', '.join(map(str, opciones))}.")
