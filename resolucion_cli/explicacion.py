"""Why a request went the way it did: each of its events, the rule behind it and its source.

Pure functions over the model and `reglas` data. The rule keys (`abrir.prorroga`,
`vencer.cancelacion`, ...) are derived from `reglas.ACCIONES` and `reglas.RESPUESTAS`; what they
point to lives in `datos/fuentes.toml`, one table per rule set: sentences quoted word for word
from the help page shipped as `datos/centro-de-resoluciones.txt`, kept apart from the tool's own
reading of them, so nothing the page does not say is ever shown as quoted from it.
"""

import functools
import tomllib
from dataclasses import dataclass
from datetime import datetime, tzinfo
from importlib import resources

from . import reglas, relato
from .modelo import SISTEMA, Disputa, EstadoDisputa, Evento, Respuesta, Rol, TipoDisputa
from .reloj import en_horas

REVOCAR = "revocar"
COMPLETAR_SOLO = "completar_solo"


@dataclass(frozen=True)
class Fuente:
    regla: str
    interpretacion: str
    citas: tuple[str, ...] = ()


@dataclass(frozen=True)
class Origen:
    """What a rule set is; `pagina` is the title of the help page it quotes, None for the tool's own."""

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
    citas: tuple[str, ...]
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


@functools.cache
def fuentes() -> dict[str, dict[str, Fuente]]:
    """rule set name -> rule key -> its name, quoted sentences and reading, from datos/fuentes.toml."""
    return {
        politica: {
            clave: Fuente(entrada["regla"], entrada["interpretacion"], tuple(entrada.get("citas", ())))
            for clave, entrada in tabla.get("reglas", {}).items()
        }
        for politica, tabla in _datos().items()
    }


def origen(politica: str) -> Origen | None:
    """What a rule set is and which help page, if any, its sentences are quoted from."""
    tabla = _datos().get(politica)
    if tabla is None:
        return None
    return Origen(tabla["nombre"], tabla["descripcion"], tabla.get("pagina"))


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
    resultado += [COMPLETAR_SOLO]
    return list(dict.fromkeys(resultado))


_RESPUESTA_DE_ESTADO = {
    f"disputa_{EstadoDisputa.RESPONDIDA}": Respuesta.ACTUALIZACION,
    f"disputa_{EstadoDisputa.ACEPTADA}": Respuesta.ACEPTAR,
    f"disputa_{EstadoDisputa.RECHAZADA}": Respuesta.RECHAZAR,
}


def clave_de_evento(disputa: Disputa, evento: Evento) -> str | None:
    """The rule behind one event of the request; None for an event no rule accounts for.

    `sistema` acts only when a deadline passes, whatever the request ended as: `vencida`
    under the classic rules, `aceptada` when the rule set accepts unanswered requests.
    """
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
