"""Why a request went the way it did: each of its events, the rule behind it and its source.

Pure functions over the model and `reglas` data. The rule keys (`abrir.prorroga`,
`vencer.cancelacion`, ...) are derived from `reglas.ACCIONES` and `reglas.RESPUESTAS`; what they
point to lives in `datos/fuentes.toml`, one table per rule set: sentences quoted word for word,
each with the page it comes from (the help page shipped as `datos/centro-de-resoluciones.txt`, or
one of the marketplace's English pages, by title, address and the day it was read), kept apart
from the tool's own reading of them, so nothing a page does not say is ever shown as quoted from it.
"""

import functools
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from importlib import resources

from . import reglas, relato
from .modelo import SISTEMA, Disputa, EstadoDisputa, Evento, Hecho, Respuesta, Rol, TipoDisputa
from .reloj import en_horas

REVOCAR = "revocar"
COMPLETAR_SOLO = "completar_solo"
CANCELAR_POR_RETRASO = "cancelar_por_retraso"
# What happens to an order with no request behind it: the rule set's own rules, not a request's.
_CLAVE_DE_HECHO = {
    Hecho.PEDIDO_COMPLETADO_SOLO: COMPLETAR_SOLO,
    Hecho.PEDIDO_CANCELADO_POR_RETRASO: CANCELAR_POR_RETRASO,
}


@dataclass(frozen=True)
class Pagina:
    """A page the rules quote. `archivo`: the one shipped with the package; the marketplace's
    English pages are not shipped, so they are named by `url` and the day they were read."""

    clave: str
    titulo: str
    archivo: str | None = None
    url: str | None = None
    consultada: date | None = None


@dataclass(frozen=True)
class Cita:
    """A sentence copied word for word, and the page it is copied from."""

    texto: str
    pagina: Pagina


@dataclass(frozen=True)
class Fuente:
    regla: str
    interpretacion: str
    citas: tuple[Cita, ...] = ()


@dataclass(frozen=True)
class Origen:
    """What a rule set is; `pagina` is the title of the one page all its sentences are quoted
    from, None when they come from several (each quotation then names its own)."""

    nombre: str
    descripcion: str
    pagina: str | None = None


@dataclass(frozen=True)
class Paso:
    """One thing that happened to a request, and the rule that made it happen."""

    en: datetime
    actor: str
    evento: str
    detalle: str
    clave: str | None
    regla: str | None
    citas: tuple[Cita, ...]
    interpretacion: str | None


@dataclass(frozen=True)
class Explicacion:
    disputa: Disputa
    politica: str
    origen: Origen | None
    pasos: list[Paso]
    # For a request still open: what will happen at `vence_en` if nobody answers.
    pendiente: Paso | None


@functools.cache
def _datos() -> dict:
    texto = resources.files("resolucion_cli").joinpath("datos/fuentes.toml").read_text(encoding="utf-8")
    return tomllib.loads(texto)


def _politicas() -> dict[str, dict]:
    """The rule sets' tables of datos/fuentes.toml: every table but the pages'."""
    return {nombre: tabla for nombre, tabla in _datos().items() if nombre != "paginas"}


@functools.cache
def paginas() -> dict[str, Pagina]:
    """page key -> the page, from the `[paginas]` table of datos/fuentes.toml."""
    return {clave: Pagina(clave, **datos) for clave, datos in _datos()["paginas"].items()}


def _cita(entrada: dict) -> Cita:
    # An unknown page key fails here, when the file is read, not when a quotation is shown.
    return Cita(entrada["texto"], paginas()[entrada["pagina"]])


@functools.cache
def fuentes() -> dict[str, dict[str, Fuente]]:
    """rule set name -> rule key -> its name, quoted sentences and reading, from datos/fuentes.toml."""
    return {
        politica: {
            clave: Fuente(
                entrada["regla"], entrada["interpretacion"], tuple(_cita(c) for c in entrada.get("citas", ()))
            )
            for clave, entrada in tabla.get("reglas", {}).items()
        }
        for politica, tabla in _politicas().items()
    }


def origen(politica: str) -> Origen | None:
    """What a rule set is and, when all its sentences are quoted from one page, that page's title."""
    tabla = _politicas().get(politica)
    if tabla is None:
        return None
    pagina = tabla.get("pagina")
    return Origen(tabla["nombre"], tabla["descripcion"], paginas()[pagina].titulo if pagina else None)


# --- rule keys ------------------------------------------------------------------------


def clave_abrir(tipo: TipoDisputa, rol: Rol) -> str:
    """`abrir.TIPO`, with the role added when both roles may open that type (a cancellation)."""
    roles = [r for r, tipos in reglas.ACCIONES.items() if tipo in tipos]
    return f"abrir.{tipo}.{rol}" if len(roles) > 1 else f"abrir.{tipo}"


def clave_respuesta(tipo: TipoDisputa, respuesta: Respuesta) -> str:
    """A rejection is one rule for every type; an update and an acceptance depend on the type."""
    if respuesta == Respuesta.RECHAZAR:
        return "rechazar"
    if respuesta == Respuesta.ACTUALIZACION:
        return f"responder.{tipo}"
    return f"aceptar.{tipo}"


def clave_vencer(tipo: TipoDisputa) -> str:
    return f"vencer.{tipo}"


def claves() -> list[str]:
    """Every rule key the code can produce, in the order a request lives them."""
    resultado = [clave_abrir(tipo, rol) for rol, tipos in reglas.ACCIONES.items() for tipo in tipos]
    resultado += [clave_respuesta(tipo, r) for tipo, respuestas in reglas.RESPUESTAS.items() for r in respuestas]
    resultado += [REVOCAR]
    resultado += [clave_vencer(tipo) for tipo in TipoDisputa]
    resultado += list(_CLAVE_DE_HECHO.values())
    return list(dict.fromkeys(resultado))


_RESPUESTA_DE_ESTADO = {
    f"disputa_{EstadoDisputa.RESPONDIDA}": Respuesta.ACTUALIZACION,
    f"disputa_{EstadoDisputa.ACEPTADA}": Respuesta.ACEPTAR,
    f"disputa_{EstadoDisputa.RECHAZADA}": Respuesta.RECHAZAR,
}


def clave_de_evento(disputa: Disputa | None, evento: Evento) -> str | None:
    """The rule behind one event; None for an event no rule accounts for.

    An order that completes by itself or that the client cancels for being very late has no
    request (`disputa` None): its rule is the fact's own. Otherwise `sistema` acts only when a
    deadline passes, whatever the request ended as: `vencida` under the classic rules, `aceptada`
    when the rule set accepts unanswered requests.
    """
    if evento.hecho in _CLAVE_DE_HECHO:
        return _CLAVE_DE_HECHO[evento.hecho]
    if disputa is None:
        return None
    if evento.tipo == "disputa_abierta":
        return clave_abrir(disputa.tipo, disputa.rol)
    if evento.actor == SISTEMA and evento.tipo.startswith("disputa_"):
        return clave_vencer(disputa.tipo)
    if evento.tipo == f"disputa_{EstadoDisputa.REVOCADA}":
        return REVOCAR
    if evento.tipo in _RESPUESTA_DE_ESTADO:
        return clave_respuesta(disputa.tipo, _RESPUESTA_DE_ESTADO[evento.tipo])
    return None


# --- the explanation ------------------------------------------------------------------


def _paso(disputa: Disputa, en: datetime, actor: str, evento: str, detalle: str, clave: str | None) -> Paso:
    fuente = fuentes().get(disputa.politica, {}).get(clave) if clave else None
    if fuente is None:
        return Paso(en, actor, evento, detalle, clave, None, (), None)
    interpretacion = fuente.interpretacion
    if clave.startswith(("abrir.", "vencer.")):
        # `init --plazo` may have given this request another deadline than the rule set's.
        plazo = disputa.vence_en - disputa.creada_en
        politica = reglas.POLITICAS.get(disputa.politica)
        if politica is not None and plazo != politica.plazos[disputa.tipo]:
            interpretacion += f" Esta solicitud tiene otro plazo, {en_horas(plazo)}, cambiado con init --plazo."
    return Paso(en, actor, evento, detalle, clave, fuente.regla, fuente.citas, interpretacion)


def explicar(disputa: Disputa, eventos: list[Evento], tz: tzinfo) -> Explicacion:
    """Each event of the request, oldest first, with the rule of its rule set that applied;
    what happened is told in the reader's zone `tz`."""
    pasos = [
        _paso(disputa, e.en, e.actor, e.tipo, relato.detalle(e, tz), clave_de_evento(disputa, e))
        for e in eventos
        if e.disputa == disputa.id
    ]
    pendiente = None
    politica = reglas.POLITICAS.get(disputa.politica)
    if disputa.estado == EstadoDisputa.ABIERTA and politica is not None:
        final, _ = politica.al_vencer[disputa.tipo]
        detalle = f"Si {disputa.destinatario} no responde antes de que venza el plazo, la solicitud quedará {final}."
        pendiente = _paso(disputa, disputa.vence_en, SISTEMA, f"disputa_{final}", detalle, clave_vencer(disputa.tipo))
    return Explicacion(disputa, disputa.politica, origen(disputa.politica), pasos, pendiente)
