"""All output: the JSON objects of SPEC §6, and Rich screens for people.

Rich is imported only inside the functions that draw, so a `--json` command never loads
it. Every piece of user-written text reaches Rich as a `Text` (never parsed as markup)
after `limpiar`, so neither `[bold]` nor an escape sequence can style or move anything.
"""

import functools
import json
import os
import sys
from datetime import datetime, tzinfo
from types import GeneratorType

from . import reglas
from .entrada import limpiar
from .modelo import (
    ETIQUETA_ESTADO,
    ETIQUETA_ESTADO_DISPUTA,
    MOTIVOS,
    Disputa,
    EstadoDisputa,
    EstadoPedido,
    Evento,
    Mensaje,
    Pedido,
    Plazo,
)
from .reloj import iso, legible, relativo

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
TIPO_CORTO = {
    "actualizacion": "Actualización",
    "cancelacion": "Cancelación",
    "prorroga": "Prórroga",
    "extras": "Extras",
    "entrega": "Entrega",
    "aceptar_entrega": "Aceptar la entrega",
}
RESULTADO_TEXTO = {
    "pedido_restaurado": "el pedido vuelve a su estado anterior",
    "pedido_cancelado": "pedido cancelado de mutuo acuerdo",
    "solicitud_revocada": "solicitud revocada: nada cambia",
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
        "politica": d.politica,
    }


def evento_json(e: Evento) -> dict:
    return {"en": iso(e.en), "actor": e.actor, "tipo": e.tipo, "detalle": e.detalle}


def mensaje_json(m: Mensaje) -> dict:
    return {
        "id": m.id,
        "pedido": m.pedido,
        "disputa": m.disputa,
        "de": m.de,
        "para": m.para,
        "texto": m.texto,
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


def imprimir_json(objeto: dict) -> None:
    """Exactly one JSON object on stdout: indented on a terminal, compact (and far faster) for
    scripts. A list given as a generator is written item by item, so a tick that fires 100 000
    deadlines never holds its whole answer in memory."""
    sangria = 2 if sys.stdout.isatty() else None
    escribir = sys.stdout.write
    escapar = not admite_unicode(sys.stdout)

    def valor(v) -> str:
        return json.dumps(v, ensure_ascii=escapar, indent=sangria)

    escribir("{")
    for i, (clave, v) in enumerate(objeto.items()):
        escribir(f"{', ' if i else ''}{json.dumps(clave)}: ")
        if isinstance(v, GeneratorType):
            escribir("[")
            for j, item in enumerate(v):
                escribir(f"{', ' if j else ''}{valor(item)}")
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


def sin_color() -> bool:
    """Plain text when stdout is not a terminal or NO_COLOR is set (SPEC §6)."""
    return bool(os.environ.get("NO_COLOR")) or not sys.stdout.isatty()


def consola(stderr: bool = False):
    Console = _clase_consola()
    if sin_color():
        # color_system=None renders no escape codes at all, whatever FORCE_COLOR says.
        return Console(stderr=stderr, color_system=None, highlight=False, emoji=False)
    return Console(stderr=stderr, highlight=False, emoji=False)


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


def _tabla(titulo: str, *columnas: str):
    from rich import box
    from rich.table import Table

    tabla = Table(title=titulo, box=box.SIMPLE_HEAVY, title_justify="left", title_style="bold")
    for columna in columnas:
        tabla.add_column(columna)
    return tabla


def _insignia(estado: EstadoPedido):
    return _t(f" {ETIQUETA_ESTADO[estado]} ", f"bold white on {COLOR_ESTADO[estado]}")


def _accion(d: Disputa) -> str:
    return reglas.etiqueta_accion(d.tipo, d.rol)


def detalle_solicitud(d, tz: tzinfo) -> str:
    """What a request asks and answers, line by line (a `Disputa` or a `reglas.Solicitud`)."""
    partes = []
    if d.motivo:
        partes.append(f"Motivo: {MOTIVOS.get(d.motivo, d.motivo)}")
    if d.nueva_fecha_entrega:
        partes.append(f"Nueva entrega: {legible(d.nueva_fecha_entrega, tz)}")
    if d.extras_centavos is not None:
        dias = f" (+{d.extras_dias} días)" if d.extras_dias else ""
        partes.append(f"Extras: {d.extras_descripcion} por {reglas.dinero(d.extras_centavos)}{dias}")
    if d.comentario:
        partes.append(f"Comentario: {d.comentario}")
    if getattr(d, "respuesta", None):
        partes.append(f"Respuesta: {d.respuesta}")
    return "\n".join(partes)


def _quien_actua(plazo: Plazo) -> str:
    if plazo.tipo == "entrega":
        return f"{plazo.responde} debe entregar"
    if plazo.tipo == "aceptar_entrega":
        return f"{plazo.responde} debe aceptar o se completa solo"
    return f"{plazo.responde} debe responder"


def _tabla_plazos(plazos: list[Plazo], ahora: datetime, tz: tzinfo, titulo: str = "Plazos pendientes"):
    tabla = _tabla(titulo, "Pedido", "Solicitud", "Qué", "Quién debe actuar", "Vence", "Tiempo")
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


def _zona(tz: tzinfo) -> str:
    return getattr(tz, "key", None) or getattr(tz, "name", None) or str(tz)


def mostrar_pedido(c, vista, tz: tzinfo) -> None:
    c.print(pantalla_pedido(vista, tz))


def pantalla_pedido(vista, tz: tzinfo):
    """The whole `pedido ver` screen as one renderable (printed once, or redrawn by --seguir)."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    p, ahora = vista.pedido, vista.reloj
    ficha = Table.grid(padding=(0, 2))
    ficha.add_column(style="bold")
    ficha.add_column()
    ficha.add_row("Cliente", _t(p.cliente))
    ficha.add_row("Freelancer", _t(p.freelancer))
    ficha.add_row("Precio", _t(reglas.dinero(p.precio_centavos)))
    entrega = f"{legible(p.fecha_entrega, tz)} ({relativo(p.fecha_entrega, ahora, 'en', 'hace')})"
    ficha.add_row("Entrega", _t(entrega))
    estado = _insignia(p.estado)
    if p.estado == EstadoPedido.EN_CONTROVERSIA and p.estado_anterior:
        estado.append_text(_t(f"  (antes: {ETIQUETA_ESTADO[p.estado_anterior]})", "dim"))
    if reglas.atrasado(p, ahora):
        estado.append_text(_t("  ATRASADO", "bold red"))
    ficha.add_row("Estado", estado)
    ficha.add_row("Reloj", _t(f"{legible(ahora, tz)} ({_zona(tz)})"))
    partes = [ficha]
    abierta = next((d for d in vista.disputas if reglas.esta_abierta(d, ahora)), None)
    if abierta:
        aviso = _t(
            f"\nSolicitud abierta #{abierta.id}: {_accion(abierta)} (de {abierta.abierta_por}). "
            f"{abierta.destinatario} debe responder; {relativo(abierta.vence_en, ahora)}.",
            "bold yellow",
        )
        partes.append(aviso)
    titulo = _t(f"Pedido #{p.id} · ", "bold")
    titulo.append_text(_t(p.titulo, "bold"))
    pantalla = [Panel(Group(*partes), title=titulo, title_align="left", expand=False)]
    if vista.plazos:
        pantalla.append(_tabla_plazos(vista.plazos, ahora, tz))
    else:
        pantalla.append(_t("Sin plazos pendientes.", "dim"))
    if vista.disputas:
        pantalla.append(tabla_disputas(vista.disputas, ahora, tz, con_pedido=False))
    historial = _tabla("Historial", "Cuándo", "Quién", "Qué pasó")
    for e in vista.eventos:
        historial.add_row(_t(legible(e.en, tz)), _t(e.actor, "bold"), _t(e.detalle))
    pantalla.append(historial)
    return Group(*pantalla)


def tabla_disputas(disputas: list[Disputa], ahora: datetime, tz: tzinfo, con_pedido: bool = True):
    columnas = ["#", "Pedido", "Solicitud", "Estado", "De → Para", "Vence / resuelta", "Detalle"]
    if not con_pedido:
        columnas.remove("Pedido")
    tabla = _tabla("Solicitudes", *columnas)
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
    from rich.panel import Panel
    from rich.table import Table

    ficha = Table.grid(padding=(0, 2))
    ficha.add_column(style="bold")
    ficha.add_column()
    ficha.add_row("Pedido", _t(f"#{d.pedido}"))
    ficha.add_row("De", _t(f"{d.abierta_por} ({d.rol})"))
    ficha.add_row("Estado", _t(ETIQUETA_ESTADO_DISPUTA[d.estado], COLOR_DISPUTA[d.estado]))
    ficha.add_row("Vence", _t(f"{legible(d.vence_en, tz)} ({relativo(d.vence_en, ahora)})"))
    for linea in detalle_solicitud(d, tz).splitlines():
        campo, _, valor = linea.partition(": ")
        ficha.add_row(campo, _t(valor))
    titulo = _t(f"Solicitud #{d.id} · {_accion(d)}", "bold")
    return Panel(ficha, title=titulo, title_align="left", expand=False)


def mostrar_pedidos(c, pedidos: list[Pedido], proximos: dict[int, Plazo], ahora: datetime, tz: tzinfo) -> None:
    if not pedidos:
        c.print(_t("No hay pedidos que mostrar.", "dim"))
        return
    tabla = _tabla("Pedidos", "#", "Título", "Cliente → Freelancer", "Estado", "Precio", "Próximo plazo")
    for p in pedidos:
        estado = _t(ETIQUETA_ESTADO[p.estado], COLOR_ESTADO[p.estado])
        if reglas.atrasado(p, ahora):
            estado.append_text(_t(" (atrasado)", "bold red"))
        plazo = proximos.get(p.id)
        proximo = f"{_quien_actua(plazo)}\n{relativo(plazo.vence_en, ahora)}" if plazo else "—"
        tabla.add_row(
            _t(p.id),
            _t(p.titulo),
            _t(f"{p.cliente} → {p.freelancer}"),
            estado,
            _t(reglas.dinero(p.precio_centavos)),
            _t(proximo),
        )
    c.print(tabla)


def mostrar_disputas(c, disputas: list[Disputa], ahora: datetime, tz: tzinfo) -> None:
    if not disputas:
        c.print(_t("No hay solicitudes que mostrar.", "dim"))
        return
    c.print(tabla_disputas(disputas, ahora, tz))


def paso_json(p) -> dict:
    """One step of `resolucion explicar` (an `explicacion.Paso`)."""
    return {
        "en": iso(p.en),
        "actor": p.actor,
        "evento": p.evento,
        "detalle": p.detalle,
        "clave": p.clave,
        "regla": p.regla,
        "fuente": p.fuente,
    }


def explicacion_json(x) -> dict:
    return {
        "disputa": disputa_json(x.disputa),
        "politica": x.politica,
        "pasos": [paso_json(p) for p in x.pasos],
        "pendiente": paso_json(x.pendiente) if x.pendiente else None,
    }


def mostrar_explicacion(c, x, ahora: datetime, tz: tzinfo) -> None:
    """`resolucion explicar`: what happened to the request and which rule made it happen."""
    from .explicacion import origen

    d = x.disputa
    cabecera = _t(f"Solicitud #{d.id} · {_accion(d)} · pedido #{d.pedido} · ", "bold")
    cabecera.append_text(_t(ETIQUETA_ESTADO_DISPUTA[d.estado], f"bold {COLOR_DISPUTA[d.estado]}"))
    c.print(cabecera)
    procedencia = origen(x.politica)
    c.print(_t(f"Reglas «{x.politica}»" + (f": {procedencia}" if procedencia else "") + ".", "dim"))
    tabla = _tabla("Qué pasó y por qué", "Cuándo", "Quién", "Qué pasó", "Regla", "Fuente")
    # The dates and handles stay on one line; the texts share the rest, the source the most.
    tabla.expand = True
    for columna, ratio in zip(tabla.columns, (None, None, 3, 2, 4), strict=True):
        columna.no_wrap, columna.ratio = ratio is None, ratio
        columna.overflow = "fold"  # a narrow terminal folds a long word rather than cut the source
    for p in x.pasos:
        tabla.add_row(
            _t(legible(p.en, tz)),
            _t(p.actor, "bold"),
            _t(p.detalle),
            _t(p.regla or "—", "bold"),
            _t(f"«{p.fuente}»" if p.fuente else "—", "italic"),
        )
    c.print(tabla)
    if x.pendiente:
        p = x.pendiente
        c.print(_t(f"Pendiente ({relativo(p.en, ahora)}, {legible(p.en, tz)}): {p.detalle}", "yellow"))
        if p.regla:
            c.print(_t(f"Se aplicará «{p.regla}»: «{p.fuente}»", "dim"))


def mostrar_tick(c, r, tz: tzinfo) -> None:
    prefijo = "Simulación (no se ha cambiado nada): " if r.simulado else ""
    if r.reloj == r.reloj_anterior:
        c.print(_t(f"{prefijo}Reloj: {legible(r.reloj, tz)} ({_zona(tz)}), sin moverse.", "bold"))
    else:
        c.print(
            _t(
                f"{prefijo}Reloj: {legible(r.reloj_anterior, tz)} → {legible(r.reloj, tz)} ({_zona(tz)})",
                "bold",
            )
        )
    if r.procesados:
        tabla = _tabla("Plazos vencidos", "Vencía", "Pedido", "Solicitud", "Tipo", "Resultado")
        for x in r.procesados[:MAX_FILAS]:
            tabla.add_row(
                _t(legible(x.vence_en, tz)),
                _t(f"#{x.pedido}"),
                _t(f"#{x.disputa}" if x.disputa else "—"),
                _t(TIPO_CORTO[x.tipo]),
                _t(RESULTADO_TEXTO[x.resultado], "bold"),
            )
        c.print(tabla)
        if len(r.procesados) > MAX_FILAS:
            c.print(_t(f"… y {len(r.procesados) - MAX_FILAS} más (--json los da todos).", "dim"))
    else:
        c.print(_t("Ningún plazo ha vencido.", "dim"))
    if r.pendientes:
        c.print(_tabla_plazos(r.pendientes, r.reloj, tz))
    else:
        c.print(_t("No quedan plazos pendientes.", "dim"))


def mostrar_verificacion(c, db: str, problemas: list[str]) -> None:
    if not problemas:
        c.print(_t(f"✔ «{db}» está bien: integridad de SQLite y todas las invariantes.", "bold green"))
        return
    c.print(_t(f"✘ «{db}» tiene {len(problemas)} problema(s):", "bold red"))
    for problema in problemas:
        c.print(_t(f"  • {problema}"))


def mostrar_bandeja(c, usuario: str, mensajes: list[Mensaje], tz: tzinfo) -> None:
    c.print(pantalla_bandeja(usuario, mensajes, tz))


def pantalla_bandeja(usuario: str, mensajes: list[Mensaje], tz: tzinfo, anteriores: int = 0):
    """The inbox as one renderable (printed once, or redrawn by --seguir).

    `anteriores`: how many older messages were left out to fit a live screen.
    """
    if not mensajes and not anteriores:
        return _t(f"La bandeja de {usuario} está vacía.", "dim")
    tabla = _tabla(f"Bandeja de {limpiar(usuario)}", "Cuándo", "De", "Pedido", "Mensaje")
    for m in mensajes:
        de = "sistema (aviso)" if m.de == "sistema" else m.de
        tabla.add_row(_t(legible(m.en, tz)), _t(de, "bold"), _t(f"#{m.pedido}"), _t(m.texto))
    if anteriores:
        from rich.console import Group

        aviso = (
            f"Los {anteriores} mensaje(s) más antiguos no caben en la pantalla: «resolucion bandeja» los muestra todos."
        )
        return Group(_t(aviso, "dim"), tabla)
    return tabla


def pantalla_en_vivo(titulo: str, ahora: datetime, modo: str, tz: tzinfo, cuerpo):
    """A --seguir screen: what is followed and how to leave, the clock to the second, then the body."""
    from rich.console import Group

    cabecera = _t(f"{titulo} — Ctrl-C para salir", "bold")
    cabecera.append_text(_t(f" · reloj {modo} {ahora.astimezone(tz):%Y-%m-%d %H:%M:%S} ({_zona(tz)})", "dim"))
    return Group(cabecera, _t(""), cuerpo)


def mostrar_cambio_disputa(c, verbo: str, d: Disputa, p: Pedido, tz: tzinfo) -> None:
    linea = _t(f"Solicitud #{d.id} {verbo}: {_accion(d)}. ", "bold")
    linea.append_text(_t("Pedido: "))
    linea.append_text(_insignia(p.estado))
    c.print(linea)
    if d.estado == EstadoDisputa.ABIERTA:
        c.print(_t(f"{d.destinatario} tiene hasta el {legible(d.vence_en, tz)} para responder."))


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
    c.print(linea)
