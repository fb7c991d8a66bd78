"""All output: the JSON objects of SPEC §6, and Rich screens for people.

Rich is imported only inside the functions that draw, so a `--json` command never loads
it. Every piece of user-written text reaches Rich as a `Text` (never parsed as markup)
after `limpiar`, so neither `[bold]` nor an escape sequence can style or move anything.
"""

import functools
import json
import os
import re
import sys
from datetime import datetime, tzinfo
from functools import lru_cache
from itertools import islice
from types import GeneratorType

from . import reglas, relato
from .entrada import limpiar
from .modelo import (
    ETIQUETA_ESTADO,
    ETIQUETA_ESTADO_DISPUTA,
    LIMITE_MAXIMO,
    MOTIVOS,
    TIPO_CORTO,
    Disputa,
    EstadoDisputa,
    EstadoPedido,
    Evento,
    Mensaje,
    Pedido,
    Plazo,
    TipoDisputa,
)
from .reloj import iso, legible, nombre_zona, relativo

COLOR_ESTADO = {
    EstadoPedido.ACTIVO: "green",
    EstadoPedido.ENTREGADO: "cyan",
    EstadoPedido.EN_CONTROVERSIA: "yellow",
    EstadoPedido.COMPLETADO: "blue",
    EstadoPedido.CANCELADO: "red",
}
COLOR_DISPUTA = {
    EstadoDisputa.ABIERTA: "yellow",
    EstadoDisputa.RESPONDIDA: "green",
    EstadoDisputa.ACEPTADA: "green",
    EstadoDisputa.RECHAZADA: "magenta",
    EstadoDisputa.REVOCADA: "dim",
    EstadoDisputa.VENCIDA: "red",
}
# A screen is for reading: a tick that fires thousands of deadlines shows the first ones.
MAX_FILAS = 100
# Items of a streamed JSON list encoded and written at once.
TROZO = 1000
# Each listed thing: singular, plural, and the pronoun that stands for one and for several.
_COSAS = {
    "pedido": ("pedido", "pedidos", "lo", "los"),
    "solicitud": ("solicitud", "solicitudes", "la", "las"),
    "plazo": ("plazo", "plazos", "lo", "los"),
}
RESULTADO_TEXTO = {
    "pedido_restaurado": "el pedido vuelve a su estado anterior",
    "pedido_cancelado": "pedido cancelado de mutuo acuerdo",
    "solicitud_revocada": "venció sin respuesta: nada cambia",
    "solicitud_aceptada": "solicitud aceptada automáticamente",
    "pedido_completado": "pedido completado automáticamente",
}


# --- JSON -----------------------------------------------------------------------------


def _fecha(valor: datetime | None) -> str | None:
    return iso(valor) if valor is not None else None


def pedido_json(p: Pedido, ahora: datetime) -> dict:
    return {
        "id": p.id,
        "titulo": p.titulo,
        "cliente": p.cliente,
        "freelancer": p.freelancer,
        "estado": str(p.estado),
        "estado_etiqueta": ETIQUETA_ESTADO[p.estado],
        "precio_centavos": p.precio_centavos,
        "fecha_entrega": iso(p.fecha_entrega),
        "atrasado": reglas.atrasado(p, ahora),
        "creado_en": iso(p.creado_en),
        "reembolso_centavos": p.reembolso_centavos,
    }


def disputa_json(d: Disputa) -> dict:
    return {
        "id": d.id,
        "pedido": d.pedido,
        "tipo": str(d.tipo),
        "estado": str(d.estado),
        "abierta_por": d.abierta_por,
        "rol": str(d.rol),
        "destinatario": d.destinatario,
        "motivo": d.motivo,
        "comentario": d.comentario,
        "respuesta": d.respuesta,
        "creada_en": iso(d.creada_en),
        "vence_en": iso(d.vence_en),
        "resuelta_en": _fecha(d.resuelta_en),
        "resuelta_por": d.resuelta_por,
        "nueva_fecha_entrega": _fecha(d.nueva_fecha_entrega),
        "extras_centavos": d.extras_centavos,
        "extras_descripcion": d.extras_descripcion,
        "extras_dias": d.extras_dias,
        "reembolso_centavos": d.reembolso_centavos,
        "politica": d.politica,
    }


def evento_json(e: Evento, tz: tzinfo) -> dict:
    """`en` is UTC like every JSON instant; `detalle` is a sentence, so it reads in `tz` (SPEC §4)."""
    return {"en": iso(e.en), "actor": e.actor, "tipo": e.tipo, "detalle": relato.detalle(e, tz)}


def mensaje_json(m: Mensaje, tz: tzinfo) -> dict:
    return {
        "id": m.id,
        "pedido": m.pedido,
        "disputa": m.disputa,
        "de": m.de,
        "para": m.para,
        "texto": relato.texto(m, tz),
        "en": iso(m.en),
    }


def plazo_json(p: Plazo) -> dict:
    return {
        "pedido": p.pedido,
        "disputa": p.disputa,
        "tipo": p.tipo,
        "vence_en": iso(p.vence_en),
        "responde": p.responde,
    }


def pendiente_json(p) -> dict:
    return {
        "pedido": p.plazo.pedido,
        "disputa": p.plazo.disputa,
        "tipo": p.plazo.tipo,
        "que": p.que,
        "vence_en": iso(p.plazo.vence_en),
        "comando": p.comando,
    }


def imprimir_json(objeto: dict) -> None:
    """Exactly one JSON object on stdout: indented on a terminal, compact (and far faster) for
    scripts. A list given as a generator is encoded and written `TROZO` items at a time, so a
    tick that fires 100 000 deadlines never holds its whole answer in memory, nor makes a
    system call per item."""
    sangria = 2 if sys.stdout.isatty() else None
    escribir = sys.stdout.write
    valor = json.JSONEncoder(ensure_ascii=not admite_unicode(sys.stdout), indent=sangria).encode

    escribir("{")
    for i, (clave, v) in enumerate(objeto.items()):
        escribir(f"{', ' if i else ''}{json.dumps(clave)}: ")
        if isinstance(v, GeneratorType):
            escribir("[")
            separador = ""
            while trozo := list(islice(v, TROZO)):
                # Compact, a whole chunk is one call into the C encoder; indented, each item is
                # encoded alone so that it keeps the indentation of a top-level object.
                escribir(separador + (", ".join(map(valor, trozo)) if sangria else valor(trozo)[1:-1]))
                separador = ", "
            escribir("]")
        else:
            escribir(valor(v))
    escribir("}\n")


def error_json(codigo: int, mensaje: str) -> str:
    """The error object for stderr (SPEC §7), escaped where stderr cannot encode a letter."""
    return json.dumps({"error": {"codigo": codigo, "mensaje": mensaje}}, ensure_ascii=not admite_unicode(sys.stderr))


def admite_unicode(flujo) -> bool:
    """Whether the stream's encoding has every character (UTF-8/16/32). Otherwise JSON is
    written with \\u escapes, so that it stays whole and valid instead of failing halfway."""
    import codecs

    return codecs.lookup(getattr(flujo, "encoding", None) or "ascii").name.startswith("utf")


# --- Rich -----------------------------------------------------------------------------


def sin_color(flujo=None) -> bool:
    """Plain text when NO_COLOR is set, or when the stream is not a terminal and FORCE_COLOR is
    not set (SPEC §6; no-color.org and force-color.org: NO_COLOR wins over FORCE_COLOR)."""
    if os.environ.get("NO_COLOR"):
        return True
    return not os.environ.get("FORCE_COLOR") and not (flujo or sys.stdout).isatty()


def consola(stderr: bool = False):
    Console = _clase_consola()
    if sin_color(sys.stderr if stderr else sys.stdout):
        # color_system=None renders no escape codes at all.
        return Console(stderr=stderr, color_system=None, highlight=False, emoji=False)
    # force_terminal: colours (and the terminal's width rules) even into a pipe when FORCE_COLOR asks.
    forzado = True if os.environ.get("FORCE_COLOR") else None
    return Console(stderr=stderr, highlight=False, emoji=False, force_terminal=forzado)


@functools.cache
def _clase_consola():
    from rich.console import Console

    class Consola(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1, a failure; the command's own handler ends a closed pipe
            # quietly with the broken-pipe status (SPEC §7).
            self.quiet = True
            raise BrokenPipeError

    return Consola


def _t(texto, estilo: str = ""):
    from rich.text import Text

    return Text(limpiar(str(texto)) if texto is not None else "—", style=estilo)


def _cuando(momento: datetime | None, tz: tzinfo) -> str:
    return legible(momento, tz) if momento else "—"


# What must be read whole on one line, never split by wrapping nor cut: a date (with its
# seconds and offset when shown), an amount, a state label. Ids and handles are single words.
# (The HTML report keeps them whole too.)
_ESTADOS = sorted({*ETIQUETA_ESTADO.values(), *ETIQUETA_ESTADO_DISPUTA.values()}, key=len, reverse=True)
INSEPARABLE = (
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?(?: ?(?:[+-]\d{2}:\d{2}|UTC|Z)(?![\w:]))?"
    r"|US\$ \d[\d.]*,\d{2}|" + "|".join(re.escape(e) for e in _ESTADOS if " " in e)
)
_PALABRA = re.compile(rf"(?:{INSEPARABLE}|\S)+")
# An ordinary word longer than this (a URL in a comment) is folded rather than widening its
# column: it would otherwise turn every table into cards.
PALABRA_LARGA = 24


@lru_cache(maxsize=4096)
def _ancho_minimo(texto: str) -> int:
    """The narrowest width at which `texto` wraps without splitting a word or a date."""
    from rich.cells import cell_len

    minimo = 1
    for m in _PALABRA.finditer(texto):
        largo = cell_len(m.group())
        # Only a date, an amount or a state holds a space inside one word; none is over-long.
        minimo = max(minimo, largo if " " in m.group() else min(largo, PALABRA_LARGA))
    return minimo


@lru_cache(maxsize=4096)
def _ancho_natural(texto: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(linea) for linea in texto.split("\n")), default=0)


@lru_cache(maxsize=4096)
def _cortes(plano: str, ancho: int) -> tuple[tuple[int, int], ...]:
    """Where each line of `plano` starts and ends once wrapped at `ancho` (see `_envolver`)."""
    from rich.cells import cell_len

    trozos, inicio = [], 0
    for linea in plano.split("\n"):
        desde = hasta = None
        for m in _PALABRA.finditer(linea):
            if desde is not None and cell_len(linea[desde : m.end()]) > ancho:
                trozos.append((inicio + desde, inicio + hasta))
                desde = None
            if desde is None:
                desde = m.start()
            hasta = m.end()
        trozos.append((inicio + desde, inicio + hasta) if desde is not None else (inicio, inicio))
        inicio += len(linea) + 1
    return tuple(trozos)


def _envolver(texto, ancho: int):
    """`texto` (a Text) broken into lines of at most `ancho` cells between words, a date or an
    amount counting as one word; styles are kept. Rich's own wrapping would split
    `2026-03-30 10:00` or `US$ 1.234,50` at their space."""
    from rich.text import Text

    return Text("\n").join(texto[a:b] for a, b in _cortes(texto.plain, ancho))


def parrafo(texto: str, estilo: str = "") -> "Parrafo":
    return Parrafo(_t(texto, estilo))


def _lineas_envueltas(texto, ancho: int) -> int:
    return len(_cortes(texto.plain, ancho))


class Parrafo:
    """A Text that wraps like `_envolver` at whatever width it is drawn."""

    def __init__(self, texto):
        self.texto = texto

    def __rich_console__(self, console, options):
        yield _envolver(self.texto, options.max_width)

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        plano = self.texto.plain
        return Measurement(_ancho_minimo(plano), _ancho_natural(plano)).with_maximum(options.max_width)


class Ficha:
    """Key: value lines, the values wrapped under themselves; a card of a `Cuadro` and the
    head of `pedido ver`."""

    def __init__(self, pares: list[tuple[str, object]]):
        self.pares = [(clave, valor if not isinstance(valor, str) else _t(valor)) for clave, valor in pares]
        self.minimo = max((_ancho_minimo(valor.plain) for _, valor in self.pares), default=0)

    def _clave(self) -> int:
        return max((len(clave) for clave, _ in self.pares), default=0) + 2

    def _sangria(self, ancho: int) -> tuple[int, bool]:
        """Where values start, and whether each key goes on a line of its own: on a terminal
        too narrow for key and value side by side, the value goes under its key."""
        return (self._clave(), False) if self._clave() + self.minimo <= ancho else (2, True)

    def _valores(self, ancho: int) -> list:
        return [_envolver(valor, ancho - self._sangria(ancho)[0]) for _, valor in self.pares]

    def alto(self, ancho: int) -> int:
        """How many lines the card takes at `ancho` cells."""
        sangria, aparte = self._sangria(ancho)
        return sum(_lineas_envueltas(valor, ancho - sangria) + aparte for _, valor in self.pares)

    def __rich_console__(self, console, options):
        from rich.text import Text

        sangria, aparte = self._sangria(options.max_width)
        lineas = []
        for (clave, _), valor in zip(self.pares, self._valores(options.max_width), strict=True):
            if aparte:
                lineas.append(Text(clave, style="bold"))
            for i, linea in enumerate(valor.split("\n")):
                primera = i == 0 and not aparte
                lineas.append((Text(clave.ljust(sangria), style="bold") if primera else Text(" " * sangria)) + linea)
        yield Text("\n").join(lineas)

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        natural = max((_ancho_natural(valor.plain) for _, valor in self.pares), default=0)
        return Measurement(self._clave() + self.minimo, self._clave() + natural).with_maximum(options.max_width)


class Cuadro:
    """A table that adapts to the width it is drawn at: columns as wide as their content when
    it fits, narrower ones wrapped between words, some folded under others, and one card per
    row (`Ficha`) when no table fits without cutting a date, an amount or a state, or when the
    cards take fewer lines. Nothing is ever cut with `…`."""

    def __init__(
        self,
        titulo: str,
        *columnas: str,
        pesos: dict[str, int] | None = None,
        plegables: dict[str, str] | None = None,
    ):
        """`pesos`: each free-text column's share of the spare width (1 if not given).
        `plegables`: column → column it goes under, as a second line, before giving up on the table."""
        self.titulo = titulo
        self.columnas = list(columnas)
        self.pesos = pesos or {}
        self.plegables = plegables or {}
        self.filas: list[list] = []

    def add_row(self, *celdas) -> None:
        self.filas.append(list(celdas))

    def _anchos(self, columnas: list[str], filas: list[list], ancho: int) -> list[int] | None:
        """Width of each column at `ancho` cells, or None when the table cannot fit."""
        textos = [[fila[i].plain for fila in filas] for i in range(len(columnas))]
        minimos = [max([_ancho_minimo(t) for t in (c, *ts)]) for c, ts in zip(columnas, textos, strict=True)]
        naturales = [max([_ancho_natural(c), *map(_ancho_natural, ts)]) for c, ts in zip(columnas, textos, strict=True)]
        # SIMPLE_HEAVY: one space at each edge and between columns, and 1 cell of padding each side.
        libre = ancho - (3 * len(columnas) + 1) - sum(minimos)
        if libre < 0:
            return None
        anchos, pesos = list(minimos), [self.pesos.get(c, 1) for c in columnas]
        # Hand out the spare width a cell at a time to the column that has grown least (by its
        # weight) and still wraps: short texts come out whole, long ones share what is left.
        while libre > 0:
            crecen = [i for i, a in enumerate(anchos) if a < naturales[i]]
            if not crecen:
                break
            i = min(crecen, key=lambda i: (anchos[i] - minimos[i]) / pesos[i])
            anchos[i] += 1
            libre -= 1
        return anchos

    def _disposiciones(self):
        """The table as given, then with each foldable column under its host, widest first."""
        nombres, columnas, filas = self.columnas, self.columnas, self.filas
        yield columnas, filas
        for plegada, anfitriona in self.plegables.items():
            i, j = nombres.index(plegada), nombres.index(anfitriona)
            filas = [[*f[:j], f[j] + "\n" + f[i], *f[j + 1 :]] for f in filas]
            columnas = [*columnas[:j], f"{columnas[j]}\n{columnas[i]}", *columnas[j + 1 :]]
            nombres, columnas = nombres[:i] + nombres[i + 1 :], columnas[:i] + columnas[i + 1 :]
            filas = [f[:i] + f[i + 1 :] for f in filas]
            yield columnas, filas

    def __rich_console__(self, console, options):
        from rich import box
        from rich.table import Table
        from rich.text import Text

        # Of the tables that fit, the one whose rows take fewest lines (folding a column can free
        # enough width for the free texts to need fewer); cards when no table fits, or when the
        # rows would take more lines than the cards themselves: a table squeezed to a word per
        # line reads worse than cards.
        # A card names every field; a bare «#» heads a column, not a line.
        claves = ["Número" if c == "#" else c for c in self.columnas]
        tarjetas = [Ficha(list(zip(claves, fila, strict=True))) for fila in self.filas]
        mejor = (sum(tarjeta.alto(options.max_width) for tarjeta in tarjetas) + 1, None)
        for columnas, filas in self._disposiciones():
            anchos = self._anchos(columnas, filas, options.max_width)
            if anchos is not None:
                alto = sum(max(_lineas_envueltas(c, a) for c, a in zip(fila, anchos, strict=True)) for fila in filas)
                if alto < mejor[0]:
                    mejor = (alto, (columnas, anchos, filas))
        # The title on a line of its own, as wide as the terminal: as a Rich table title it would
        # wrap to the table's width.
        yield Parrafo(Text(self.titulo, style="bold"))
        if mejor[1] is not None:
            columnas, anchos, filas = mejor[1]
            tabla = Table(box=box.SIMPLE_HEAVY)
            for columna, ancho in zip(columnas, anchos, strict=True):
                tabla.add_column(columna, width=ancho, overflow="fold")
            for fila in filas:
                tabla.add_row(*(_envolver(c, a) for c, a in zip(fila, anchos, strict=True)))
            yield tabla
            return
        for tarjeta in tarjetas:
            yield Text("")
            yield tarjeta
        yield Text("")  # as a table's blank bottom edge does


def _numero(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def faltan(total: int, mostrados: int, cosa: str) -> str | None:
    """The line under a list cut at its limit: how many more and the option that shows them."""
    n = total - mostrados
    if n <= 0:
        return None
    singular, plural, uno, varios = _COSAS[cosa]
    cuantos = f"Falta 1 {singular}" if n == 1 else f"Faltan {_numero(n)} {plural}"
    if total <= LIMITE_MAXIMO:
        return f"{cuantos}: --limite {total} {uno if n == 1 else varios} muestra."
    # Counted only up to one past the largest limit (`servicios._total`): how many is not known.
    if mostrados >= LIMITE_MAXIMO:
        return f"Faltan más {plural}: {_numero(LIMITE_MAXIMO)} es lo más que muestra --limite."
    mas = _numero(LIMITE_MAXIMO - mostrados)
    return f"Faltan más de {mas} {plural}: --limite {LIMITE_MAXIMO} muestra los {_numero(LIMITE_MAXIMO)} primeros."


def _imprimir_faltan(c, total: int, mostrados: int, cosa: str) -> None:
    linea = faltan(total, mostrados, cosa)
    if linea:
        c.print(Parrafo(_t(linea, "dim")))


def _insignia(estado: EstadoPedido):
    return _t(f" {ETIQUETA_ESTADO[estado]} ", f"bold white on {COLOR_ESTADO[estado]}")


def _accion(d: Disputa) -> str:
    return reglas.etiqueta_accion(d.tipo, d.rol)


def pares_solicitud(d, tz: tzinfo) -> list[tuple[str, str]]:
    """What a request asks and answers, as (field, value) pairs (a `Disputa` or a `reglas.Solicitud`).

    Pairs, not lines to split again: a comment may hold line breaks, and «: » of its own.
    """
    pares = []
    if d.motivo:
        pares.append(("Motivo", MOTIVOS.get(d.motivo, d.motivo)))
    if d.nueva_fecha_entrega:
        pares.append(("Nueva entrega", legible(d.nueva_fecha_entrega, tz)))
    if d.extras_centavos is not None:
        dias = f" (con {relato.dias_mas(d.extras_dias)})" if d.extras_dias else ""
        pares.append(("Extras", f"{d.extras_descripcion} por {reglas.dinero(d.extras_centavos)}{dias}"))
    if d.reembolso_centavos is not None:
        pares.append(("Reembolso", f"{reglas.dinero(d.reembolso_centavos)} para el cliente"))
    if d.comentario:
        pares.append(("Comentario", d.comentario))
    if getattr(d, "respuesta", None):
        pares.append(("Respuesta", d.respuesta))
    return pares


def detalle_solicitud(d, tz: tzinfo) -> str:
    """What a request asks and answers, line by line."""
    return "\n".join(f"{campo}: {valor}" for campo, valor in pares_solicitud(d, tz))


def _quien_actua(plazo: Plazo) -> str:
    if plazo.tipo == "entrega":
        return f"{plazo.responde} debe entregar"
    if plazo.tipo == "aceptar_entrega":
        return f"{plazo.responde} debe aceptar o se completa solo"
    return f"{plazo.responde} debe responder"


def _tabla_plazos(plazos: list[Plazo], ahora: datetime, tz: tzinfo, titulo: str = "Plazos pendientes"):
    tabla = Cuadro(
        titulo,
        *("Pedido", "Solicitud", "Qué", "Quién debe actuar", "Vence", "Tiempo"),
        plegables={"Solicitud": "Pedido", "Tiempo": "Vence"},
    )
    for p in plazos:
        que = TIPO_CORTO.get(p.tipo, p.tipo)
        tiempo = relativo(p.vence_en, ahora)
        estilo = "red" if p.vence_en <= ahora else ("yellow" if (p.vence_en - ahora).days < 1 else "")
        tabla.add_row(
            _t(f"#{p.pedido}"),
            _t(f"#{p.disputa}" if p.disputa else "—"),
            _t(que),
            _t(_quien_actua(p), "bold"),
            _t(_cuando(p.vence_en, tz)),
            _t(tiempo, estilo),
        )
    return tabla


def mostrar_pedido(c, vista, tz: tzinfo) -> None:
    c.print(pantalla_pedido(vista, tz))


def pantalla_pedido(vista, tz: tzinfo):
    """The whole `pedido ver` screen as one renderable (printed once, or redrawn by --seguir)."""
    from rich.console import Group
    from rich.panel import Panel

    p, ahora = vista.pedido, vista.reloj
    estado = _insignia(p.estado)
    if p.estado == EstadoPedido.EN_CONTROVERSIA and p.estado_anterior:
        estado.append_text(_t(f"  (antes: {ETIQUETA_ESTADO[p.estado_anterior]})", "dim"))
    if reglas.atrasado(p, ahora):
        estado.append_text(_t("  ATRASADO", "bold red"))
    entrega = f"{legible(p.fecha_entrega, tz)} ({relativo(p.fecha_entrega, ahora, 'en', 'hace')})"
    # The title goes inside, where it wraps: a panel's own title is cut to the panel's width.
    ficha = Ficha(
        [
            ("Título", _t(p.titulo, "bold")),
            ("Cliente", p.cliente),
            ("Freelancer", p.freelancer),
            ("Precio", reglas.dinero(p.precio_centavos)),
            *([("Reembolso", relato.reembolso(p))] if p.reembolso_centavos is not None else []),
            ("Entrega", entrega),
            ("Estado", estado),
            ("Reloj", f"{legible(ahora, tz)} ({nombre_zona(tz)})"),
        ]
    )
    partes = [ficha]
    abierta = next((d for d in vista.disputas if reglas.esta_abierta(d, ahora)), None)
    if abierta:
        aviso = _t(
            f"Solicitud abierta #{abierta.id}: {_accion(abierta)} (de {abierta.abierta_por}). "
            f"{abierta.destinatario} debe responder; {relativo(abierta.vence_en, ahora)}.",
            "bold yellow",
        )
        partes += [_t(""), Parrafo(aviso)]
    titulo = _t(f"Pedido #{p.id}", "bold")
    pantalla = [Panel(Group(*partes), title=titulo, title_align="left", expand=False)]
    if vista.plazos:
        pantalla.append(_tabla_plazos(vista.plazos, ahora, tz))
    else:
        pantalla.append(_t("Sin plazos pendientes.", "dim"))
    if vista.disputas:
        pantalla.append(tabla_disputas(vista.disputas, ahora, tz, con_pedido=False))
    historial = Cuadro("Historial", "Cuándo", "Quién", "Qué pasó")
    for e in vista.eventos:
        historial.add_row(_t(legible(e.en, tz)), _t(e.actor, "bold"), _t(relato.detalle(e, tz)))
    pantalla.append(historial)
    return Group(*pantalla)


def tabla_disputas(disputas: list[Disputa], ahora: datetime, tz: tzinfo, con_pedido: bool = True):
    columnas = ["#", "Pedido", "Solicitud", "Estado", "De → Para", "Vence / resuelta", "Detalle"]
    if not con_pedido:
        columnas.remove("Pedido")
    tabla = Cuadro(
        "Solicitudes",
        *columnas,
        pesos={"Detalle": 3},
        plegables={"Pedido": "#", "De → Para": "Solicitud"} if con_pedido else {"De → Para": "Solicitud"},
    )
    for d in disputas:
        if d.estado == EstadoDisputa.ABIERTA:
            cuando = f"{legible(d.vence_en, tz)}\n{relativo(d.vence_en, ahora)}"
        else:
            cuando = f"{_cuando(d.resuelta_en, tz)}\npor {d.resuelta_por}"
        celdas = [
            _t(d.id),
            _t(f"#{d.pedido}"),
            _t(_accion(d)),
            _t(ETIQUETA_ESTADO_DISPUTA[d.estado], COLOR_DISPUTA[d.estado]),
            _t(f"{d.abierta_por} → {d.destinatario}"),
            _t(cuando),
            _t(detalle_solicitud(d, tz) or "—"),
        ]
        if not con_pedido:
            del celdas[1]
        tabla.add_row(*celdas)
    return tabla


def ficha_disputa(d: Disputa, ahora: datetime, tz: tzinfo):
    """One request as a panel, for whoever is about to answer it."""
    from rich.console import Group
    from rich.panel import Panel

    pares = [
        ("Pedido", f"#{d.pedido}"),
        ("De", f"{d.abierta_por} ({d.rol})"),
        ("Estado", _t(ETIQUETA_ESTADO_DISPUTA[d.estado], COLOR_DISPUTA[d.estado])),
        ("Vence", f"{legible(d.vence_en, tz)} ({relativo(d.vence_en, ahora)})"),
    ]
    pares += pares_solicitud(d, tz)
    # The heading goes inside, where it wraps: a panel's own title is cut to the panel's width.
    cabecera = Parrafo(_t(f"Solicitud #{d.id} · {_accion(d)}", "bold"))
    return Panel(Group(cabecera, Ficha(pares)), expand=False)


def mostrar_pedidos(
    c, pedidos: list[Pedido], proximos: dict[int, Plazo], ahora: datetime, tz: tzinfo, total: int
) -> None:
    if not pedidos:
        c.print(_t("No hay pedidos que mostrar.", "dim"))
        return
    tabla = Cuadro(
        "Pedidos",
        *("#", "Título", "Cliente → Freelancer", "Estado", "Precio", "Próximo plazo"),
        pesos={"Título": 3, "Próximo plazo": 2},
        plegables={"Cliente → Freelancer": "Título"},
    )
    for p in pedidos:
        estado = _t(ETIQUETA_ESTADO[p.estado], COLOR_ESTADO[p.estado])
        if reglas.atrasado(p, ahora):
            estado.append_text(_t("\n(atrasado)", "bold red"))
        plazo = proximos.get(p.id)
        proximo = f"{_quien_actua(plazo)}\n{relativo(plazo.vence_en, ahora)}" if plazo else "—"
        tabla.add_row(
            _t(p.id),
            _t(p.titulo),
            _t(f"{p.cliente} → {p.freelancer}"),
            estado,
            _t(reglas.dinero(p.precio_centavos))
            if p.reembolso_centavos is None
            else _t(f"{reglas.dinero(p.precio_centavos)}\n(reembolso {reglas.dinero(p.reembolso_centavos)})"),
            _t(proximo),
        )
    c.print(tabla)
    _imprimir_faltan(c, total, len(pedidos), "pedido")


def mostrar_disputas(c, disputas: list[Disputa], ahora: datetime, tz: tzinfo, total: int) -> None:
    if not disputas:
        c.print(_t("No hay solicitudes que mostrar.", "dim"))
        return
    c.print(tabla_disputas(disputas, ahora, tz))
    _imprimir_faltan(c, total, len(disputas), "solicitud")


def paso_json(p) -> dict:
    """One step of `resolucion explicar` (an `explicacion.Paso`)."""
    return {
        "en": iso(p.en),
        "actor": p.actor,
        "evento": p.evento,
        "detalle": p.detalle,
        "clave": p.clave,
        "regla": p.regla,
        "citas": [cita.texto for cita in p.citas],
        # The same sentences, each with its page: `citas` keeps the shape it always had.
        "fuentes": [
            {
                "cita": cita.texto,
                "pagina": cita.pagina.titulo,
                "url": cita.pagina.url,
                "consultada": cita.pagina.consultada.isoformat() if cita.pagina.consultada else None,
            }
            for cita in p.citas
        ],
        "interpretacion": p.interpretacion,
    }


def explicacion_json(x) -> dict:
    o = x.origen
    return {
        "disputa": disputa_json(x.disputa),
        "politica": x.politica,
        "origen": {"nombre": o.nombre, "descripcion": o.descripcion, "pagina": o.pagina} if o else None,
        "pasos": [paso_json(p) for p in x.pasos],
        "pendiente": paso_json(x.pendiente) if x.pendiente else None,
    }


def _parrafo(c, texto: str, estilo: str = "", sangria: int = 0) -> None:
    """Print `texto` wrapped to the terminal and indented, keeping every date and amount whole."""
    from rich.padding import Padding

    c.print(Padding(parrafo(texto, estilo), (0, 0, 0, sangria)))


def _bloque_paso(c, cabecera: str, estilo: str, p, pagina_comun: str | None) -> None:
    """One step as a block of lines: a narrow terminal wraps its sentences, never a date or an id.
    Each run of quotations from one page is followed by that page, unless it is `pagina_comun`,
    the one the heading already names for every quotation."""
    from itertools import groupby

    c.print()
    _parrafo(c, cabecera, estilo)
    _parrafo(c, p.detalle, sangria=2)
    _parrafo(c, f"Regla: {p.regla or '—'}", "bold", sangria=2)
    for pagina, citas in groupby(p.citas, key=lambda cita: cita.pagina):
        for cita in citas:
            _parrafo(c, f"«{cita.texto}»", "italic", sangria=2)
        if pagina.titulo != pagina_comun:
            cuando = (
                f"consultada el {pagina.consultada.isoformat()}"
                if pagina.consultada
                else "la página de ayuda en español que trae resolucion"
            )
            _parrafo(c, f"— {pagina.titulo} ({cuando})", "dim", sangria=2)
    if p.interpretacion:
        _parrafo(c, f"Interpretación de resolucion: {p.interpretacion}", "dim", sangria=2)


def mostrar_explicacion(c, x, ahora: datetime, tz: tzinfo) -> None:
    """`resolucion explicar`: what happened to the request, the rule that made it happen, its source."""
    d = x.disputa
    # Numbers and state first, on a line short enough for any terminal; the long label after it.
    cabecera = _t(f"Solicitud #{d.id} del pedido #{d.pedido} · ", "bold")
    cabecera.append_text(_t(ETIQUETA_ESTADO_DISPUTA[d.estado], f"bold {COLOR_DISPUTA[d.estado]}"))
    c.print(cabecera)
    c.print(_t(_accion(d), "bold"))
    pagina = x.origen.pagina if x.origen else None
    if x.origen:
        _parrafo(c, f"{x.origen.nombre}. {x.origen.descripcion}", "dim")
        if pagina:
            _parrafo(
                c,
                f"Las frases entre comillas son de la página de ayuda «{pagina}», copiadas palabra "
                "por palabra; lo demás es interpretación de resolucion.",
                "dim",
            )
        else:
            _parrafo(
                c,
                "Las frases entre comillas están copiadas palabra por palabra, en la lengua de su página, "
                "que se nombra debajo (su dirección, con --json); lo demás es interpretación de resolucion.",
                "dim",
            )
    for p in x.pasos:
        _bloque_paso(c, f"{legible(p.en, tz)} · {p.actor}", "bold", p, pagina)
    if x.pendiente:
        p = x.pendiente
        cabecera = f"{legible(p.en, tz)} · {p.actor} · pendiente, {relativo(p.en, ahora)}"
        _bloque_paso(c, cabecera, "bold yellow", p, pagina)


def mostrar_tick(c, r, tz: tzinfo) -> None:
    prefijo = "Simulación (no se ha cambiado nada): " if r.simulado else ""
    if r.reloj == r.reloj_anterior:
        reloj = f"{prefijo}Reloj: {legible(r.reloj, tz)} ({nombre_zona(tz)}), sin moverse."
    else:
        reloj = f"{prefijo}Reloj: {legible(r.reloj_anterior, tz)} → {legible(r.reloj, tz)} ({nombre_zona(tz)})"
    c.print(Parrafo(_t(reloj, "bold")))
    if r.procesados:
        tabla = Cuadro(
            "Plazos vencidos",
            *("Vencía", "Pedido", "Solicitud", "Tipo", "Resultado"),
            plegables={"Solicitud": "Pedido", "Tipo": "Pedido"},
        )
        for x in islice(r.procesados, MAX_FILAS):
            tabla.add_row(
                _t(legible(x.vence_en, tz)),
                _t(f"#{x.pedido}"),
                _t(f"#{x.disputa}" if x.disputa else "—"),
                _t(TIPO_CORTO[x.tipo]),
                _t(RESULTADO_TEXTO[x.resultado], "bold"),
            )
        c.print(tabla)
        if len(r.procesados) > MAX_FILAS:
            n = len(r.procesados) - MAX_FILAS
            mas = "Falta 1 plazo vencido" if n == 1 else f"Faltan {_numero(n)} plazos vencidos"
            c.print(Parrafo(_t(f"{mas} en esta lista: --json los da todos.", "dim")))
    else:
        c.print(_t("Ningún plazo ha vencido.", "dim"))
    if r.pendientes:
        c.print(_tabla_plazos(r.pendientes, r.reloj, tz))
        _imprimir_faltan(c, r.total_pendientes, len(r.pendientes), "plazo")
    else:
        c.print(_t("No quedan plazos pendientes.", "dim"))


def mostrar_verificacion(c, db: str, problemas: list[str], servidor: bool = False) -> None:
    if not problemas:
        # PostgreSQL has no integrity check to ask for; it enforces the foreign keys on every write.
        comprobado = (
            "todas las invariantes (las claves ajenas las hace cumplir PostgreSQL en cada escritura)"
            if servidor
            else "integridad de SQLite y todas las invariantes"
        )
        c.print(_t(f"✔ «{db}» está bien: {comprobado}.", "bold green"))
        return
    cuantos = "un problema" if len(problemas) == 1 else f"{_numero(len(problemas))} problemas"
    c.print(_t(f"✘ «{db}» tiene {cuantos}:", "bold red"))
    for problema in problemas:
        c.print(_t(f"  • {problema}"))


def mostrar_pendientes(c, usuario: str, pendientes: list, ahora: datetime, tz: tzinfo) -> None:
    if not pendientes:
        c.print(_t(f"Nada pendiente para {limpiar(usuario)}.", "dim"))
        return
    tabla = Cuadro(
        f"Pendientes de {limpiar(usuario)}",
        *("Pedido", "Solicitud", "Qué hacer", "Vence", "Tiempo"),
        plegables={"Solicitud": "Pedido", "Tiempo": "Vence"},
    )
    for p in pendientes:
        vence = p.plazo.vence_en
        estilo = "red" if vence <= ahora else ("yellow" if (vence - ahora).days < 1 else "")
        tabla.add_row(
            _t(f"#{p.plazo.pedido}"),
            _t(f"#{p.plazo.disputa}" if p.plazo.disputa else "—"),
            _t(p.que),
            _t(legible(vence, tz)),
            _t(relativo(vence, ahora), estilo),
        )
    c.print(tabla)
    # The commands go below the table, one a line and never wrapped, so each can be copied whole.
    c.print(_t("Para hacerlo, en el mismo orden:", "dim"))
    for p in pendientes:
        c.print(_t(p.comando, "bold"), soft_wrap=True)


def mostrar_bandeja(c, usuario: str, mensajes: list[Mensaje], tz: tzinfo, por_hacer: dict | None = None) -> None:
    c.print(pantalla_bandeja(usuario, mensajes, tz, por_hacer=por_hacer))


def _mensaje_en_bandeja(m: Mensaje, tz: tzinfo, por_hacer: dict):
    """The message, its request's number, and while the reader must answer it, the deadline and
    the command that does it."""
    from rich.text import Text

    partes = [_t(relato.texto(m, tz))]
    if m.disputa is not None:
        partes.append(_t(f"Solicitud #{m.disputa}", "dim"))
    pendiente = por_hacer.get(m.disputa)
    if pendiente is not None:
        vence = pendiente.plazo.vence_en
        partes += [_t(f"Vence: {legible(vence, tz)}", "yellow"), _t(pendiente.comando, "bold")]
    return Text("\n").join(partes)


def pantalla_bandeja(
    usuario: str, mensajes: list[Mensaje], tz: tzinfo, anteriores: int = 0, por_hacer: dict | None = None
):
    """The inbox as one renderable (printed once, or redrawn by --seguir).

    `anteriores`: how many older messages were left out to fit a live screen.
    `por_hacer`: request number → `servicios.Pendiente` for the requests the reader must answer.
    """
    if not mensajes and not anteriores:
        return _t(f"La bandeja de {usuario} está vacía.", "dim")
    tabla = Cuadro(f"Bandeja de {limpiar(usuario)}", "Cuándo", "De", "Pedido", "Mensaje", plegables={"Pedido": "De"})
    for m in mensajes:
        de = "sistema (aviso)" if m.de == "sistema" else m.de
        tabla.add_row(
            _t(legible(m.en, tz)), _t(de, "bold"), _t(f"#{m.pedido}"), _mensaje_en_bandeja(m, tz, por_hacer or {})
        )
    if anteriores:
        from rich.console import Group

        if anteriores == 1:
            aviso = "El mensaje más antiguo no cabe en la pantalla: «resolucion bandeja» los muestra todos."
        else:
            aviso = (
                f"Los {_numero(anteriores)} mensajes más antiguos no caben en la pantalla: "
                "«resolucion bandeja» los muestra todos."
            )
        return Group(Parrafo(_t(aviso, "dim")), tabla)
    return tabla


def pantalla_en_vivo(titulo: str, ahora: datetime, modo: str, tz: tzinfo, cuerpo, base: str):
    """A --seguir screen: what is followed and how to leave, the clock to the second, the
    database it reads, then the body."""
    from rich.console import Group

    cabecera = _t(f"{titulo} — Ctrl-C para salir", "bold")
    cabecera.append_text(_t(f" · reloj {modo} {ahora.astimezone(tz):%Y-%m-%d %H:%M:%S} ({nombre_zona(tz)})", "dim"))
    cabecera.append_text(_t(f" · {base}", "dim"))
    return Group(Parrafo(cabecera), _t(""), cuerpo)


def mostrar_cambio_disputa(c, verbo: str, d: Disputa | None, p: Pedido, tz: tzinfo) -> None:
    """What opening, answering or revoking did; `d` None: the client cancelled a very late order."""
    if d is None:
        linea = _t(f"Pedido #{p.id} cancelado por retraso, sin esperar respuesta de {p.freelancer}: ", "bold")
    else:
        linea = _t(f"Solicitud #{d.id} {verbo}: {_accion(d)}. ", "bold")
        linea.append_text(_t("Pedido: "))
    linea.append_text(_insignia(p.estado))
    c.print(Parrafo(linea))
    if p.reembolso_centavos is not None and d is not None and d.tipo == TipoDisputa.REEMBOLSO_PARCIAL:
        c.print(Parrafo(_t(f"Reembolso: {relato.reembolso(p)}.")))
    if d is not None and d.estado == EstadoDisputa.ABIERTA:
        c.print(Parrafo(_t(f"{d.destinatario} tiene hasta el {legible(d.vence_en, tz)} para responder.")))


def mostrar_pedido_corto(c, verbo: str, p: Pedido, tz: tzinfo) -> None:
    linea = _t(f"Pedido #{p.id} {verbo}: ", "bold")
    linea.append_text(_t(p.titulo))
    linea.append_text(
        _t(
            f" ({p.cliente} → {p.freelancer}, {reglas.dinero(p.precio_centavos)}, "
            f"entrega {legible(p.fecha_entrega, tz)}) "
        )
    )
    linea.append_text(_insignia(p.estado))
    c.print(Parrafo(linea))


# --- instantáneas ---------------------------------------------------------------------


def instantanea_json(i) -> dict:
    return {"nombre": i.nombre, "reloj": _fecha(i.reloj), "creada_en": iso(i.creada_en), "bytes": i.bytes}


def tamano(bytes_: int) -> str:
    """A file size as people read it, with the Spanish decimal comma: `96 KB`, `1,5 MB`."""
    for unidad, tamano_unidad in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if bytes_ >= tamano_unidad:
            valor = bytes_ / tamano_unidad
            return (f"{valor:.0f}" if valor >= 10 else f"{valor:.1f}".replace(".", ",")) + f" {unidad}"
    return f"{bytes_} B"


def reloj_de_instantanea(i, tz: tzinfo) -> str:
    return legible(i.reloj, tz) if i.reloj else "ilegible"


def mostrar_instantaneas(c, db: str, carpeta, instantaneas: list, tz: tzinfo) -> None:
    if not instantaneas:
        c.print(
            Parrafo(
                _t(
                    f"«{db}» no tiene instantáneas: guarda una con «resolucion instantanea guardar NOMBRE».",
                    "dim",
                )
            )
        )
        return
    titulo = f"Instantáneas de «{limpiar(db)}» (en {limpiar(str(carpeta))})"
    tabla = Cuadro(titulo, "Nombre", "Reloj", "Creada", "Tamaño")
    for i in instantaneas:
        tabla.add_row(
            _t(i.nombre, "bold"), _t(reloj_de_instantanea(i, tz)), _t(legible(i.creada_en, tz)), _t(tamano(i.bytes))
        )
    c.print(tabla)
