"""The state machines of orders and requests, drawn by asking the rules themselves.

No transition is written down here. Each edge is found by running the pure functions of
`reglas` on a sample order in every state: `entregar` and `completar` on each order state;
`abrir` for each role and type of `reglas.ACCIONES` (on that order, and on the same order as late
as the rule set's `cancelar_por_retraso`, where `abrir` may change the order at once); then, on
each request so opened, every answer of `reglas.RESPUESTAS`, `revocar` and `vencer` (which
follows the rule set's `al_vencer`). Whatever the rules do, the diagram shows — so it cannot
drift from them.
The one edge the rules do not make is an order's creation (`servicios.crear_pedido`).
"""

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from . import reglas
from .errores import ResolucionError
from .modelo import (
    ETIQUETA_ESTADO,
    ETIQUETA_ESTADO_DISPUTA,
    EstadoDisputa,
    EstadoPedido,
    Pedido,
    Resultado,
    Rol,
    TipoDisputa,
)
from .reloj import en_horas

INICIO = "[*]"
FORMATOS = ("mermaid", "dot")
MAQUINAS = ("pedidos", "disputas")

_AHORA = datetime(2026, 1, 1, tzinfo=UTC)
_CLIENTE, _FREELANCER = "cliente", "freelancer"

# How each outcome of an unanswered request reads on an edge.
_EFECTO = {
    Resultado.PEDIDO_RESTAURADO: "el pedido vuelve a su estado anterior",
    Resultado.PEDIDO_CANCELADO: "el pedido se cancela",
    Resultado.SOLICITUD_REVOCADA: "nada cambia",
    Resultado.SOLICITUD_ACEPTADA: "se acepta sola",
}


@dataclass(frozen=True)
class Maquina:
    """A state machine: states (id -> label), final states, and labelled edges (parallel ones too)."""

    nombre: str
    titulo: str
    estados: dict[str, str]
    finales: list[str]
    transiciones: list[tuple[str, str, str]]


def _pedido(estado: EstadoPedido) -> Pedido:
    return Pedido(1, "Ejemplo", _CLIENTE, _FREELANCER, estado, 10_000, _AHORA + timedelta(days=7), _AHORA)


def _usuario(rol: Rol) -> str:
    return _CLIENTE if rol == Rol.CLIENTE else _FREELANCER


def _solicitud(tipo: TipoDisputa, rol: Rol, pedido: Pedido) -> reglas.Solicitud:
    """A request that carries everything its type may need, so only the rules can refuse it."""
    freelancer_cancela = tipo == TipoDisputa.CANCELACION and rol == Rol.FREELANCER
    extras = tipo == TipoDisputa.EXTRAS
    reembolso = tipo == TipoDisputa.REEMBOLSO_PARCIAL
    return reglas.Solicitud(
        tipo=tipo,
        motivo="otro" if freelancer_cancela else None,
        comentario="Comentario de ejemplo",
        nueva_fecha_entrega=pedido.fecha_entrega + timedelta(days=3) if tipo == TipoDisputa.PRORROGA else None,
        extras_centavos=5_000 if extras else None,
        extras_descripcion="Extras de ejemplo" if extras else None,
        extras_dias=2 if extras else None,
        reembolso_centavos=reglas.REEMBOLSO_MINIMO if reembolso else None,
    )


def _o(partes: list[str]) -> str:
    """'a', 'a o b', 'a, b o c'."""
    return partes[0] if len(partes) == 1 else ", ".join(partes[:-1]) + " o " + partes[-1]


@dataclass(frozen=True)
class _Apertura:
    """What opening a request did to an order that was `desde`; `decision.disputa` is None
    when the rules changed the order at once instead of opening one."""

    rol: Rol
    tipo: TipoDisputa
    desde: EstadoPedido
    decision: reglas.Decision


def _pedidos_de_muestra(politica: reglas.Politica) -> list[Pedido]:
    """An order in every state; where the rule set lets the client cancel a late order alone,
    the same orders exactly that late too, so the rules themselves say what opening does there."""
    pedidos = [_pedido(estado) for estado in EstadoPedido]
    if politica.cancelar_por_retraso is None:
        return pedidos
    entrega = _AHORA - politica.cancelar_por_retraso
    return pedidos + [replace(p, fecha_entrega=entrega) for p in pedidos]


def _aperturas(politica: reglas.Politica) -> list[_Apertura]:
    """Every request the rules let a party open, from every order state that allows it."""
    resultado = []
    for pedido in _pedidos_de_muestra(politica):
        for rol, tipos in reglas.ACCIONES.items():
            for tipo in tipos:
                try:
                    decision = reglas.abrir(pedido, _usuario(rol), _solicitud(tipo, rol, pedido), _AHORA, politica)
                except ResolucionError:
                    continue
                if decision.disputa is not None:
                    decision = replace(decision, disputa=replace(decision.disputa, id=1))
                resultado.append(_Apertura(rol, tipo, pedido.estado, decision))
    return resultado


def _desenlaces(d: reglas.Decision):
    """Each way an open request can end: (how, the request's end state, order after, outcome)."""
    pedido, disputa = d.pedido, d.disputa
    ahora = disputa.creada_en
    for respuesta in reglas.RESPUESTAS[disputa.tipo]:
        fin = reglas.responder(pedido, disputa, disputa.destinatario, respuesta, "Texto de ejemplo", ahora)
        yield respuesta, fin.disputa.estado, fin.pedido.estado, None
    fin = reglas.revocar(pedido, disputa, disputa.abierta_por, None, ahora)
    yield "revocar", fin.disputa.estado, fin.pedido.estado, None
    fin = reglas.vencer(pedido, disputa)
    yield "vencer", fin.disputa.estado, fin.pedido.estado, fin.resultado


def _agregar(transiciones: list, origen: str, destino: str, etiqueta: str) -> None:
    transicion = (str(origen), str(destino), etiqueta)
    if transicion not in transiciones:
        transiciones.append(transicion)


def _sin_salida(estados: dict[str, str], transiciones: list) -> list[str]:
    """Final states: those no edge leaves."""
    origenes = {origen for origen, _, _ in transiciones}
    return [e for e in estados if e not in origenes]


def _ordenadas(estados: dict[str, str], transiciones: list) -> list[tuple[str, str, str]]:
    """Edges by where they leave from, then where they go, in the order of the state enums."""
    orden = {estado: i for i, estado in enumerate([INICIO, *estados])}
    return sorted(transiciones, key=lambda t: (orden[t[0]], orden[t[1]]))


def maquina_pedidos(politica: reglas.Politica) -> Maquina:
    transiciones: list[tuple[str, str, str]] = []
    _agregar(transiciones, INICIO, EstadoPedido.ACTIVO, "pedido crear")  # made by servicios, not by a rule
    for estado in EstadoPedido:
        pedido = _pedido(estado)
        for accion, regla, quien in (
            ("pedido entregar", reglas.entregar, Rol.FREELANCER),
            ("pedido completar", reglas.completar, Rol.CLIENTE),
        ):
            try:
                nuevo, _ = regla(pedido, _usuario(quien), _AHORA, politica)
            except ResolucionError:
                continue
            _agregar(transiciones, estado, nuevo.estado, f"{accion} ({quien})")
            if nuevo.completar_en is not None:
                solo = reglas.completar_solo(nuevo)
                espera = en_horas(nuevo.completar_en - _AHORA)
                _agregar(transiciones, nuevo.estado, solo.pedido.estado, f"el cliente no responde en {espera}")
    for apertura in _aperturas(politica):
        antes, disputa = apertura.desde, apertura.decision.disputa
        abierto = apertura.decision.pedido.estado
        if disputa is None:
            retraso = en_horas(_AHORA - apertura.decision.pedido.fecha_entrega)
            etiqueta = f"{apertura.tipo} del {apertura.rol} con {retraso} de retraso — sin esperar respuesta"
            _agregar(transiciones, antes, abierto, etiqueta)
            continue
        _agregar(transiciones, antes, abierto, "disputa abrir")
        for como, final, despues, _ in _desenlaces(apertura.decision):
            if despues == antes:
                etiqueta = "la solicitud termina — vuelve al estado anterior"
            elif como == "vencer":
                etiqueta = f"{disputa.tipo} sin respuesta en {en_horas(disputa.vence_en - disputa.creada_en)}"
            else:
                etiqueta = f"{disputa.tipo} {final}"
            _agregar(transiciones, abierto, despues, etiqueta)
    estados = {str(e): ETIQUETA_ESTADO[e] for e in EstadoPedido}
    titulo = f"Pedidos (reglas «{politica.nombre}»)"
    return Maquina("pedidos", titulo, estados, _sin_salida(estados, transiciones), _ordenadas(estados, transiciones))


def maquina_disputas(politica: reglas.Politica) -> Maquina:
    aperturas = _aperturas(politica)
    # (from, to, how: an answer, revocar, or an expiry with its effect) -> the types it applies to.
    causas: dict[tuple[str, str, str], list[str]] = {}
    for a in aperturas:
        disputa = a.decision.disputa
        if disputa is None:  # no request was opened: the order machine draws it
            continue
        causas.setdefault((INICIO, str(disputa.estado), f"el {a.rol} abre"), []).append(str(a.tipo))
        for como, final, _, resultado in _desenlaces(a.decision):
            if como == "vencer":
                plazo = en_horas(disputa.vence_en - disputa.creada_en)
                clave = f"sin respuesta en {plazo} — {_EFECTO.get(resultado, str(resultado))}"
            elif como == "revocar":
                clave = "disputa revocar (quien la abrió)"
            else:
                clave = f"disputa responder --{como}"
            causas.setdefault((str(disputa.estado), str(final), clave), []).append(str(a.tipo))
    todos = {str(t) for t in politica.tipos}
    transiciones: list[tuple[str, str, str]] = []
    for (origen, destino, clave), tipos in causas.items():
        tipos = list(dict.fromkeys(tipos))
        etiqueta = clave if set(tipos) == todos and origen != INICIO else f"{clave} ({_o(tipos)})"
        _agregar(transiciones, origen, destino, etiqueta)
    estados = {str(e): ETIQUETA_ESTADO_DISPUTA[e] for e in EstadoDisputa}
    titulo = f"Solicitudes (reglas «{politica.nombre}»)"
    return Maquina("disputas", titulo, estados, _sin_salida(estados, transiciones), _ordenadas(estados, transiciones))


def maquinas(politica: reglas.Politica, cuales: tuple[str, ...] = MAQUINAS) -> list[Maquina]:
    fabricas = {"pedidos": maquina_pedidos, "disputas": maquina_disputas}
    return [fabricas[nombre](politica) for nombre in cuales]


# --- rendering ------------------------------------------------------------------------


def _mermaid_texto(texto: str) -> str:
    """Mermaid reads `:` and `;` in a label as syntax; say them another way."""
    return texto.replace(":", " —").replace(";", ",").replace('"', "'")


def mermaid(m: Maquina) -> str:
    lineas = ["stateDiagram-v2", f"    %% {m.titulo}, generado por «resolucion diagrama» desde reglas.py"]
    lineas += [f'    state "{_mermaid_texto(etiqueta)}" as {estado}' for estado, etiqueta in m.estados.items()]
    for origen, destino, etiqueta in m.transiciones:
        lineas.append(f"    {origen} --> {destino} : {_mermaid_texto(etiqueta)}")
    lineas += [f"    {estado} --> {INICIO}" for estado in m.finales]
    return "\n".join(lineas)


def _dot_texto(texto: str) -> str:
    return texto.replace("\\", "\\\\").replace('"', '\\"')


def dot(m: Maquina) -> str:
    lineas = [
        f"digraph {m.nombre} {{",
        f'    label="{_dot_texto(m.titulo)}";',
        "    labelloc=t;",
        "    rankdir=LR;",
        '    node [shape=box, style=rounded, fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10];',
        '    inicio [shape=point, width=0.15, label=""];',
    ]
    for estado, etiqueta in m.estados.items():
        final = ", peripheries=2" if estado in m.finales else ""
        lineas.append(f'    {estado} [label="{_dot_texto(etiqueta)}\\n({estado})"{final}];')
    for origen, destino, etiqueta in m.transiciones:
        desde = "inicio" if origen == INICIO else origen
        lineas.append(f'    {desde} -> {destino} [label="{_dot_texto(etiqueta)}"];')
    lineas.append("}")
    return "\n".join(lineas)


def diagrama(formato: str, politica: reglas.Politica, cuales: tuple[str, ...] = MAQUINAS) -> str:
    """The chosen state machines in Mermaid (`stateDiagram-v2`) or Graphviz (`digraph`) text."""
    dibujar = mermaid if formato == "mermaid" else dot
    return "\n\n".join(dibujar(m) for m in maquinas(politica, cuales)) + "\n"
