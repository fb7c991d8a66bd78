"""`resolucion informe`: an order's whole story as one document, Markdown or a self-contained HTML page.

Pure: it takes what `servicios.informe` read, the reader's zone and where the data came from,
and returns text; no Typer, no Rich, no I/O. The story is first laid out as a few plain blocks
(paragraphs, key/value lists, tables, sections), then written by one of two writers, so the
Markdown and the HTML always tell the same story. Each writer escapes every piece of text it
writes, ours and the users' alike, so a title like `*x* | <b>` stays text in both.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from . import relato, vista
from .entrada import limpiar
from .modelo import ETIQUETA_ESTADO, ETIQUETA_ESTADO_DISPUTA, SISTEMA, TIPO_CORTO, Disputa, EstadoDisputa, Evento
from .reglas import atrasado, dinero, etiqueta_accion
from .reloj import en_horas, legible, nombre_zona, relativo

if TYPE_CHECKING:
    from .servicios import DatosInforme

FORMATOS = ("md", "html")

# --- the blocks a document is made of -----------------------------------------------------


@dataclass(frozen=True)
class Parrafo:
    texto: str


@dataclass(frozen=True)
class Pares:
    """Key: value lines."""

    pares: list[tuple[str, str]]


@dataclass(frozen=True)
class Fila:
    celdas: tuple[str, ...]
    # How the row stands out: "ahora" (the clock's own row) or "futuro" (not reached yet).
    marca: str | None = None


@dataclass(frozen=True)
class Tabla:
    columnas: tuple[str, ...]
    filas: list[Fila]


@dataclass(frozen=True)
class Apartado:
    titulo: str
    bloques: list = field(default_factory=list)
    nivel: int = 2
    clase: str = ""


# --- the story ----------------------------------------------------------------------------


def documento(datos: "DatosInforme", tz: tzinfo, formato: str, origen: str) -> str:
    """The whole report in `formato` (md or html), every instant in `tz`; `origen` names the database."""
    titulo, bloques = contenido(datos, tz, origen)
    return _ESCRITORES[formato](titulo, bloques)


def contenido(datos: "DatosInforme", tz: tzinfo, origen: str) -> tuple[str, list]:
    """The title and the blocks of the report: what both writers write."""
    v = datos.vista
    p = v.pedido
    titulo = f"Informe del pedido #{p.id}: «{p.titulo}»"
    cabecera = Pares(
        [
            ("Base de datos", origen),
            ("Reloj de la base", f"{legible(v.reloj, tz)} (reloj {datos.modo_reloj})"),
            ("Zona horaria", f"{nombre_zona(tz)} (todas las horas de este informe están en esta zona)"),
        ]
    )
    return titulo, [
        cabecera,
        Apartado("Pedido", [_ficha_pedido(v, tz)]),
        Apartado("Solicitudes", _solicitudes(v, tz)),
        Apartado("Mensajes", _mensajes(datos, tz)),
        Apartado("Historial", _historial(v, tz)),
        Apartado("Cronología del reloj", _cronologia(v, tz)),
    ]


def _ficha_pedido(v, tz: tzinfo) -> Pares:
    p, ahora = v.pedido, v.reloj
    estado = f"{ETIQUETA_ESTADO[p.estado]} ({p.estado})"
    if p.estado_anterior is not None:
        estado += f", antes {ETIQUETA_ESTADO[p.estado_anterior]}"
    if atrasado(p, ahora):
        estado += "; atrasado: la fecha de entrega ya pasó"
    return Pares(
        [
            ("Título", p.titulo),
            ("Cliente", p.cliente),
            ("Freelancer", p.freelancer),
            ("Precio", dinero(p.precio_centavos)),
            *([("Reembolso", relato.reembolso(p))] if p.reembolso_centavos is not None else []),
            ("Entrega", f"{legible(p.fecha_entrega, tz)} ({relativo(p.fecha_entrega, ahora, 'dentro de', 'hace')})"),
            ("Estado", estado),
            ("Creado", legible(p.creado_en, tz)),
        ]
    )


def _cierres(eventos: list[Evento]) -> dict[int, Evento]:
    """The event that ended each request (answered, revoked, expired), by request number."""
    return {e.disputa: e for e in eventos if e.disputa is not None and e.tipo != "disputa_abierta"}


def _solicitudes(v, tz: tzinfo) -> list:
    if not v.disputas:
        return [Parrafo("Este pedido no tiene solicitudes.")]
    cierres = _cierres(v.eventos)
    return [_solicitud(d, v.reloj, tz, cierres.get(d.id)) for d in v.disputas]


def _desenlace(d: Disputa, ahora: datetime, tz: tzinfo) -> str:
    if d.estado == EstadoDisputa.ABIERTA:
        return f"abierta, {relativo(d.vence_en, ahora)}: {d.destinatario} debe responder"
    if d.estado == EstadoDisputa.VENCIDA:
        return f"vencida el {legible(d.vence_en, tz)}: {d.destinatario} no respondió a tiempo"
    estado = ETIQUETA_ESTADO_DISPUTA[d.estado].lower()
    quien = "el sistema" if d.resuelta_por == SISTEMA else d.resuelta_por
    return f"{estado} el {_cuando(d.resuelta_en, tz)} por {quien}"


def _cuando(momento: datetime | None, tz: tzinfo) -> str:
    return legible(momento, tz) if momento is not None else "—"


def _solicitud(d: Disputa, ahora: datetime, tz: tzinfo, cierre: Evento | None) -> Apartado:
    pares = [
        ("Tipo", f"{TIPO_CORTO[d.tipo]} ({d.tipo})"),
        ("Abierta por", f"{d.abierta_por} ({d.rol}), para {d.destinatario}"),
        ("Abierta el", legible(d.creada_en, tz)),
        ("Plazo", f"{en_horas(d.vence_en - d.creada_en)}: hasta el {legible(d.vence_en, tz)}"),
    ]
    pares += vista.pares_solicitud(d, tz)  # motive, new date, extras, comment, answer: as screens word them
    pares.append(("Resultado", _desenlace(d, ahora, tz)))
    if cierre is not None:
        pares.append(("Efecto", relato.detalle(cierre, tz)))
    titulo = f"Solicitud #{d.id}: {etiqueta_accion(d.tipo, d.rol)}"
    return Apartado(titulo, [Pares(pares)], nivel=3, clase="solicitud")


def _mensajes(datos: "DatosInforme", tz: tzinfo) -> list:
    if not datos.mensajes:
        return [Parrafo("Nadie ha enviado mensajes en este pedido.")]
    filas = [Fila((legible(m.en, tz), m.de, m.para, relato.texto(m, tz))) for m in datos.mensajes]
    return [Parrafo("Del más antiguo al más reciente."), Tabla(("Cuándo", "De", "Para", "Mensaje"), filas)]


def _historial(v, tz: tzinfo) -> list:
    filas = [Fila((legible(e.en, tz), e.actor, relato.detalle(e, tz))) for e in v.eventos]
    return [Tabla(("Cuándo", "Quién", "Qué pasó"), filas)]


# What each event was, in a few words: the history above has the whole sentence.
_HITOS = {
    "pedido_creado": "{actor} crea el pedido",
    "pedido_entregado": "{actor} entrega el pedido",
    "pedido_completado": "{actor} acepta la entrega: pedido completado",
    "disputa_abierta": "{actor} abre la solicitud {solicitud}",
    "disputa_respondida": "{actor} envía la actualización: solicitud {solicitud} respondida",
    "disputa_aceptada": "{actor} acepta la solicitud {solicitud}",
    "disputa_rechazada": "{actor} rechaza la solicitud {solicitud}",
    "disputa_revocada": "{actor} revoca la solicitud {solicitud}",
}
_HITOS_SISTEMA = {
    "pedido_completado": "Nadie respondió a la entrega: el pedido se completa solo",
    "disputa_vencida": "Vence el plazo de la solicitud {solicitud} sin respuesta",
    "disputa_aceptada": "Vence el plazo de la solicitud {solicitud}: se acepta sola",
}
# Order among facts of the same instant: what happened, then the deadlines and the delivery
# date that fall then, then the clock (a deadline at the clock's instant has already fired).
_HECHO, _PLAZO, _ENTREGA, _RELOJ = range(4)


def _hito(e: Evento, disputas: dict[int, Disputa], tz: tzinfo) -> str:
    plantilla = (_HITOS_SISTEMA if e.actor == SISTEMA else _HITOS).get(e.tipo)
    if plantilla is None:  # a kind of event this report does not know yet: its whole sentence
        return relato.detalle(e, tz)
    d = disputas.get(e.disputa)
    solicitud = f"#{e.disputa} ({TIPO_CORTO[d.tipo]})" if d is not None else f"#{e.disputa}"
    # A handle opens most of them and keeps its lowercase, as in `relato`.
    return plantilla.format(actor=e.actor, solicitud=solicitud)


def _plazo(d: Disputa, ahora: datetime) -> str | None:
    """The deadline of a request as a moment of the timeline; an expiry is already an event."""
    if d.estado == EstadoDisputa.VENCIDA:
        return None
    if d.estado == EstadoDisputa.ABIERTA:
        return f"Vence el plazo de la solicitud #{d.id}: {d.destinatario} debe responder antes"
    if d.resuelta_en is not None and d.resuelta_en < d.vence_en:
        return f"Plazo de la solicitud #{d.id}, que ya no cuenta: se cerró antes"
    return None


def _cronologia(v, tz: tzinfo) -> list:
    ahora = v.reloj
    disputas = {d.id: d for d in v.disputas}
    momentos = [(e.en, _HECHO, i, _hito(e, disputas, tz)) for i, e in enumerate(v.eventos)]
    for d in v.disputas:
        texto = _plazo(d, ahora)
        if texto is not None:
            momentos.append((d.vence_en, _PLAZO, d.id, texto))
    momentos.append((v.pedido.fecha_entrega, _ENTREGA, 0, "Fecha de entrega del pedido"))
    momentos.append((ahora, _RELOJ, 0, "El reloj de la base marca esta hora: aquí termina lo ocurrido"))
    filas = []
    for momento, clase, _, texto in sorted(momentos, key=lambda m: m[:3]):
        if clase == _RELOJ:
            filas.append(Fila((legible(momento, tz), "ahora", texto), "ahora"))
            continue
        futuro = momento > ahora or (momento == ahora and clase != _HECHO)
        cuando = relativo(momento, ahora, "dentro de", "hace")
        filas.append(Fila((legible(momento, tz), cuando, texto), "futuro" if futuro else None))
    explicacion = (
        "Cada instante que consta en la base, en orden: lo que hizo cada parte y el sistema, los plazos "
        "de las solicitudes, la fecha de entrega y el reloj. Los «tick» que movieron el reloj no se "
        "guardan (la base solo recuerda la hora actual): se ven en los plazos que hicieron vencer."
    )
    return [Parrafo(explicacion), Tabla(("Cuándo", "Respecto al reloj", "Qué"), filas)]


# --- Markdown -----------------------------------------------------------------------------

# Every character that could start emphasis, code, a link, raw HTML, a table cell, a
# strikethrough or an entity; a backslash before any ASCII punctuation makes it literal
# (CommonMark §2.4), and GitHub's tables take `\|` as a literal bar.
_MD_ESPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md(texto: str) -> str:
    """Text made inert for Markdown; a line break becomes `<br>`, the only HTML we write, so
    that a comment of several lines neither ends a table row nor starts a heading or a list."""
    escapado = _MD_ESPECIAL.sub(r"\\\1", limpiar(texto))
    return "<br>".join(escapado.splitlines()) if "\n" in escapado else escapado


def _md_bloque(bloque) -> list[str]:
    if isinstance(bloque, Apartado):
        lineas = [f"{'#' * bloque.nivel} {md(bloque.titulo)}", ""]
        for hijo in bloque.bloques:
            lineas += _md_bloque(hijo)
        return lineas
    if isinstance(bloque, Parrafo):
        return [md(bloque.texto), ""]
    if isinstance(bloque, Pares):
        return [f"- **{md(clave)}:** {md(valor)}" for clave, valor in bloque.pares] + [""]
    cabecera = "| " + " | ".join(md(c) for c in bloque.columnas) + " |"
    lineas = [cabecera, "|" + "---|" * len(bloque.columnas)]
    for fila in bloque.filas:
        celdas = [md(c) for c in fila.celdas]
        if fila.marca == "ahora":
            celdas = [f"**{c}**" if c else c for c in celdas]
        elif fila.marca == "futuro":
            celdas = [f"_{c}_" if c else c for c in celdas]
        lineas.append("| " + " | ".join(celdas) + " |")
    return lineas + [""]


def markdown(titulo: str, bloques: list) -> str:
    lineas = [f"# {md(titulo)}", ""]
    for bloque in bloques:
        lineas += _md_bloque(bloque)
    return "\n".join(lineas).rstrip("\n") + "\n"


# --- HTML ---------------------------------------------------------------------------------

# Inline, no fonts to fetch, no scripts: the page is one file that opens anywhere, offline,
# and prints on paper without the screen's colours.
_CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1f2328;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; }
h1 { font-size: 1.55rem; margin: 0 0 1rem; padding-bottom: .4rem; border-bottom: 3px solid #1f6f5c; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; color: #1f4f6f; border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.02rem; margin: 0 0 .3rem; }
p, dd, td { white-space: pre-wrap; overflow-wrap: anywhere; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .3rem 0 1rem; }
dt { font-weight: 600; color: #57606a; }
dd { margin: 0; }
.np { white-space: nowrap; }
section.solicitud { margin: 1rem 0; padding: .6rem .9rem; border-left: 4px solid #1f6f5c;
  background: #f6f8fa; }
section.solicitud dl { margin-bottom: 0; }
table { width: 100%; border-collapse: collapse; margin: .3rem 0 1rem; font-size: .92rem; }
th, td { padding: .35rem .5rem; text-align: left; vertical-align: top; border-bottom: 1px solid #d8dee4; }
th { background: #eef1f4; }
td:not(:last-child) { white-space: nowrap; }
tr.ahora td { font-weight: 700; background: #fff4c2; }
tr.futuro td { color: #57606a; font-style: italic; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; }
  tr, section.solicitud { break-inside: avoid; }
  section.solicitud, th, tr.ahora td { background: none; }
}
""".strip()


def h(texto: str) -> str:
    """Text made inert for HTML: every <, >, &, and both quotes."""
    return html.escape(limpiar(texto), quote=True)


# A date, an amount or a state label: a browser would break `2026-03-04 15:00` after a hyphen.
_INSEPARABLE = re.compile(vista.INSEPARABLE)


def t(texto: str) -> str:
    """Text for an element's content: escaped, with each date, amount and state label kept on one line."""
    return _INSEPARABLE.sub(lambda m: f'<span class="np">{m.group()}</span>', h(texto))


def _html_bloque(bloque) -> list[str]:
    if isinstance(bloque, Apartado):
        clase = f' class="{h(bloque.clase)}"' if bloque.clase else ""
        lineas = [f"<section{clase}>", f"<h{bloque.nivel}>{t(bloque.titulo)}</h{bloque.nivel}>"]
        for hijo in bloque.bloques:
            lineas += _html_bloque(hijo)
        return lineas + ["</section>"]
    if isinstance(bloque, Parrafo):
        return [f"<p>{t(bloque.texto)}</p>"]
    if isinstance(bloque, Pares):
        return ["<dl>", *(f"<dt>{t(c)}</dt><dd>{t(v)}</dd>" for c, v in bloque.pares), "</dl>"]
    lineas = ["<table>", "<thead><tr>" + "".join(f"<th>{t(c)}</th>" for c in bloque.columnas) + "</tr></thead>"]
    lineas.append("<tbody>")
    for fila in bloque.filas:
        clase = f' class="{h(fila.marca)}"' if fila.marca else ""
        lineas.append(f"<tr{clase}>" + "".join(f"<td>{t(c)}</td>" for c in fila.celdas) + "</tr>")
    return lineas + ["</tbody>", "</table>"]


def pagina(titulo: str, bloques: list) -> str:
    lineas = [
        "<!DOCTYPE html>",
        '<html lang="es">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="resolucion informe">',
        f"<title>{h(titulo)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{t(titulo)}</h1>",
    ]
    for bloque in bloques:
        lineas += _html_bloque(bloque)
    return "\n".join([*lineas, "</main>", "</body>", "</html>"]) + "\n"


_ESCRITORES = {"md": markdown, "html": pagina}
