"""Use cases: each one transaction that loads, asks `reglas`, writes and returns what changed.

Every use case first processes the deadlines due at the current clock (SPEC §4), so no
command ever sees or acts on a request whose deadline has passed. Writers take the lock
(BEGIN IMMEDIATE) before reading what they check; readers take it only when something
is actually due.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, tzinfo

from . import reglas, vencimientos
from .almacen import CALLADO, Almacen, Progreso
from .errores import EntradaInvalida, NoEncontrado, NoPermitido, RechazadoPorRegla
from .modelo import (
    LIMITE_MAXIMO,
    TIPO_CORTO,
    Disputa,
    EstadoPedido,
    Evento,
    Mensaje,
    Pedido,
    Plazo,
    Respuesta,
    TipoDisputa,
)
from .reloj import MAXIMO, ModoReloj, ahora_efectivo, contar_desde
from .vencimientos import Procesados


@dataclass(frozen=True)
class ResultadoTick:
    reloj_anterior: datetime
    reloj: datetime
    simulado: bool
    procesados: Procesados  # read after the transaction, from a temporary file
    pendientes: list[Plazo]
    total_pendientes: int  # the pending deadlines there are, `pendientes` being the first of them


@dataclass(frozen=True)
class VistaPedido:
    reloj: datetime
    pedido: Pedido
    disputas: list[Disputa]
    eventos: list[Evento]
    plazos: list[Plazo]


@dataclass(frozen=True)
class DatosInforme:
    vista: VistaPedido
    mensajes: list[Mensaje]  # every message of the order, oldest first
    modo_reloj: ModoReloj


# --- the clock and due deadlines ------------------------------------------------------


def _ahora(almacen: Almacen) -> datetime:
    guardado, modo = almacen.reloj()
    return ahora_efectivo(guardado, modo)


def _aplicar(almacen: Almacen, decisiones: list[reglas.Decision]) -> None:
    almacen.aplicar(
        [d.pedido for d in decisiones],
        [d.disputa for d in decisiones],
        [e for d in decisiones for e in d.eventos],
        [m for d in decisiones for m in d.mensajes],
    )


def _politica(almacen: Almacen) -> reglas.Politica:
    """The rule set new requests and deliveries follow, with this database's overrides."""
    nombre, plazos = almacen.politica()
    return reglas.POLITICAS[nombre].con_plazos({TipoDisputa(t): timedelta(seconds=s) for t, s in plazos.items()})


@contextmanager
def _escribiendo(almacen: Almacen) -> Iterator[datetime]:
    """One write transaction, brought up to date with the clock; yields `ahora`."""
    with almacen.escritura():
        guardado, modo = almacen.reloj()
        ahora = ahora_efectivo(guardado, modo)
        if ahora > guardado:
            almacen.guardar_reloj(ahora)
        vencimientos.procesar(almacen, ahora, CALLADO)
        yield ahora


@contextmanager
def _leyendo(almacen: Almacen) -> Iterator[datetime]:
    """A read snapshot; the write lock is taken first only if something is due."""
    if almacen.hay_vencidas(_ahora(almacen)):
        with _escribiendo(almacen):
            pass
    with almacen.lectura():
        yield _ahora(almacen)


def _pedido(almacen: Almacen, id: int) -> Pedido:
    pedido = almacen.pedido(id)
    if pedido is None:
        disputa = almacen.disputa(id)
        if disputa is not None:
            raise NoEncontrado(
                f"No existe el pedido #{id}, pero sí la solicitud #{id} (del pedido #{disputa.pedido}): "
                "este comando pide el número de pedido."
            )
        raise NoEncontrado(f"No existe el pedido #{id}: consulta los pedidos con «resolucion pedido listar».")
    return pedido


def _disputa(almacen: Almacen, id: int) -> Disputa:
    disputa = almacen.disputa(id)
    if disputa is None:
        if almacen.pedido(id) is not None:
            raise NoEncontrado(
                f"No existe la solicitud #{id}, pero sí el pedido #{id}: este comando pide el número de "
                f"solicitud, y {_solicitudes_del_pedido(almacen, id)}."
            )
        raise NoEncontrado(f"No existe la solicitud #{id}: consulta las solicitudes con «resolucion disputa listar».")
    return disputa


def _solicitudes_del_pedido(almacen: Almacen, pedido: int) -> str:
    """For someone who typed an order's number where a request's was asked: which is which."""
    abierta = almacen.disputa_abierta(pedido)
    if abierta is not None:
        return f"la solicitud abierta del pedido #{pedido} es la #{abierta.id}"
    return f"las solicitudes del pedido #{pedido} se ven con «resolucion disputa listar --pedido {pedido}»"


def _es_parte(pedido: Pedido | None, como: str) -> bool:
    return pedido is not None and reglas.rol_de(pedido, como) is not None


def _pista_de_numero(almacen: Almacen, como: str, pedido: int | None, disputa: int | None) -> str | None:
    """When `como` is no party of the order named but is one of the order the other kind of
    number points at, the sentence that tells the two numbers apart."""
    if pedido is not None and not _es_parte(almacen.pedido(pedido), como):
        otra = almacen.disputa(pedido)
        if otra is not None and _es_parte(almacen.pedido(otra.pedido), como):
            return (
                f"#{pedido} es también el número de una solicitud tuya (del pedido #{otra.pedido}), "
                "y este comando pide el número de pedido."
            )
    if disputa is not None and not _es_parte(almacen.pedido(almacen.disputa(disputa).pedido), como):
        if _es_parte(almacen.pedido(disputa), como):
            return (
                f"este comando pide el número de solicitud y #{disputa} es también el de tu pedido #{disputa}: "
                f"{_solicitudes_del_pedido(almacen, disputa)}."
            )
    return None


@contextmanager
def _numero_confundido(almacen: Almacen, como: str | None, *, pedido: int | None = None, disputa: int | None = None):
    """Order and request numbers overlap: someone refused on an order they are no party of may
    have typed the other kind of number, and the refusal then says which is which."""
    try:
        yield
    except NoPermitido as error:
        pista = _pista_de_numero(almacen, como, pedido, disputa) if como is not None else None
        if pista is None:
            raise
        raise NoPermitido(f"{error.plantilla.removesuffix('.')}; {pista}", **error.instantes) from None


# --- init -----------------------------------------------------------------------------


def fijar_politica(almacen: Almacen, nombre: str | None, plazos: dict[TipoDisputa, timedelta]) -> str:
    """Switch the rule set for what is opened or delivered from now on; returns the one in force.

    Requests already open keep the rules (and deadline) they were opened under.
    """
    with _escribiendo(almacen):
        actual, cambios = almacen.politica()
        if nombre is None and not plazos:
            return actual
        nueva = nombre or actual
        if nombre is not None and nombre != actual:
            cambios = {}  # overrides belong to the rule set they were given for
        cambios = {**cambios, **{str(t): int(d.total_seconds()) for t, d in plazos.items()}}
        almacen.guardar_politica(nueva, cambios)
        return nueva


def comprobar_inicio(almacen: Almacen, reloj: datetime | None, modo: ModoReloj | None) -> tuple[datetime, ModoReloj]:
    """`init` on an existing database keeps its clock; asking for another one is refused."""
    guardado, modo_guardado = almacen.reloj()
    if not almacen.creada:
        if reloj is not None and reloj != guardado:
            raise EntradaInvalida(
                "La base ya existe y su reloj marca {reloj}: init no lo cambia. El reloj solo avanza, "
                "con «resolucion tick --at FECHA»; para volver atrás, restaura una instantánea con "
                "«resolucion instantanea restaurar NOMBRE», o empieza de cero con otro reloj en una base "
                "nueva con «resolucion init --db OTRA_RUTA --reloj FECHA».",
                reloj=guardado,
            )
        if modo is not None and modo != modo_guardado:
            raise EntradaInvalida(
                f"La base ya existe con el reloj en modo {modo_guardado}: init no cambia el modo. "
                "Para usar otro, crea una base nueva con «resolucion init --db OTRA_RUTA --modo-reloj MODO» "
                "(o vuelve a una instantánea guardada en ese modo con «resolucion instantanea restaurar NOMBRE»)."
            )
    return guardado, modo_guardado


# --- orders ---------------------------------------------------------------------------


def crear_pedido(
    almacen: Almacen, cliente: str, freelancer: str, titulo: str, precio_centavos: int, entrega
) -> tuple[datetime, Pedido]:
    """`entrega` is a datetime, or a timedelta counted from the clock."""
    if cliente == freelancer:
        raise EntradaInvalida(f"El cliente y el freelancer deben ser dos usuarios distintos (los dos son «{cliente}»).")
    with _escribiendo(almacen) as ahora:
        fecha_entrega = contar_desde(entrega, ahora)
        if fecha_entrega <= ahora:
            raise EntradaInvalida("La fecha de entrega debe ser posterior al reloj actual ({reloj}).", reloj=ahora)
        almacen.asegurar_usuarios([cliente, freelancer], ahora)
        pedido = Pedido(0, titulo, cliente, freelancer, EstadoPedido.ACTIVO, precio_centavos, fecha_entrega, ahora)
        pedido = replace(pedido, id=almacen.insertar_pedido(pedido))
        almacen.insertar_eventos([reglas.creado(pedido)])
    return ahora, pedido


def _abierta(almacen: Almacen, pedido: Pedido) -> Disputa | None:
    """The request that blocks the order, so a refusal can tell each party what they can do."""
    return almacen.disputa_abierta(pedido.id) if pedido.estado == EstadoPedido.EN_CONTROVERSIA else None


def _cambiar_pedido(almacen: Almacen, id: int, como: str, regla) -> tuple[datetime, Pedido]:
    with _escribiendo(almacen) as ahora, _numero_confundido(almacen, como, pedido=id):
        pedido = _pedido(almacen, id)
        pedido, evento = regla(pedido, como, ahora, _politica(almacen), _abierta(almacen, pedido))
        almacen.actualizar_pedido(pedido)
        almacen.insertar_eventos([evento])
    return ahora, pedido


def entregar(almacen: Almacen, id: int, como: str) -> tuple[datetime, Pedido]:
    return _cambiar_pedido(almacen, id, como, reglas.entregar)


def completar(almacen: Almacen, id: int, como: str) -> tuple[datetime, Pedido]:
    return _cambiar_pedido(almacen, id, como, reglas.completar)


def _vista_pedido(almacen: Almacen, id: int, como: str | None, ahora: datetime) -> VistaPedido:
    pedido = _pedido(almacen, id)
    if como is not None:
        reglas.exigir_parte(pedido, como)
    disputas = almacen.disputas_de(id)
    abierta = next((d for d in disputas if reglas.esta_abierta(d, ahora)), None)
    return VistaPedido(ahora, pedido, disputas, almacen.eventos_de(id), reglas.plazos(pedido, abierta))


def ver_pedido(almacen: Almacen, id: int, como: str | None) -> VistaPedido:
    with _leyendo(almacen) as ahora, _numero_confundido(almacen, como, pedido=id):
        return _vista_pedido(almacen, id, como, ahora)


def informe(almacen: Almacen, id: int, como: str | None) -> DatosInforme:
    """What `pedido ver` reads, plus every message of the order and the clock's mode (`informe`)."""
    with _leyendo(almacen) as ahora, _numero_confundido(almacen, como, pedido=id):
        vista = _vista_pedido(almacen, id, como, ahora)
        return DatosInforme(vista, almacen.mensajes_de(id), almacen.reloj()[1])


def _total(lista: list, limite: int, contar) -> int:
    """How many items there are, for a list cut at `limite`: counted only when it was cut, and
    only up to one past the largest limit (the screen then says there are more than that)."""
    return contar(LIMITE_MAXIMO + 1) if len(lista) >= limite else len(lista)


def listar_pedidos(
    almacen: Almacen, como: str | None, estado: str | None, limite: int
) -> tuple[datetime, list[Pedido], dict[int, Plazo], int]:
    """The first `limite` orders, how many there are in all, and for each listed order the
    deadline that matters now: its open request, else the delivery."""
    with _leyendo(almacen) as ahora:
        pedidos = almacen.pedidos(como, estado, limite)
        total = _total(pedidos, limite, lambda hasta: almacen.contar_pedidos(como, estado, hasta))
        proximos = {}
        for pedido in pedidos:
            abierta = almacen.disputa_abierta(pedido.id) if pedido.estado == EstadoPedido.EN_CONTROVERSIA else None
            plazos = sorted(reglas.plazos(pedido, abierta), key=lambda p: p.disputa is None)
            if plazos:
                proximos[pedido.id] = plazos[0]
        return ahora, pedidos, proximos, total


# --- requests -------------------------------------------------------------------------


def acciones(almacen: Almacen, pedido_id: int, como: str) -> tuple[datetime, Pedido, dict[TipoDisputa, str]]:
    """What `como` may open on the order now (for the interactive menu)."""
    with _leyendo(almacen) as ahora, _numero_confundido(almacen, como, pedido=pedido_id):
        pedido = _pedido(almacen, pedido_id)
        acciones = reglas.acciones_disponibles(
            pedido, como, ahora, _politica(almacen), _abierta(almacen, pedido), precio_original(almacen, pedido)
        )
        return ahora, pedido, acciones


def precio_original(almacen: Almacen, pedido: Pedido) -> int:
    """The order's price without the extras accepted since: what a partial refund is measured on."""
    return pedido.precio_centavos - almacen.extras_aceptados(pedido.id)


def abrir_disputa(
    almacen: Almacen, pedido_id: int, como: str, solicitud: reglas.Solicitud
) -> tuple[datetime, Disputa | None, Pedido]:
    """Open a request; None instead of it when the client cancelled a very late order at once."""
    with _escribiendo(almacen) as ahora, _numero_confundido(almacen, como, pedido=pedido_id):
        solicitud = replace(solicitud, nueva_fecha_entrega=contar_desde(solicitud.nueva_fecha_entrega, ahora))
        pedido = _pedido(almacen, pedido_id)
        politica, abierta = _politica(almacen), _abierta(almacen, pedido)
        decision = reglas.abrir(pedido, como, solicitud, ahora, politica, abierta, precio_original(almacen, pedido))
        disputa = decision.disputa
        if disputa is not None:
            disputa = replace(disputa, id=almacen.insertar_disputa(disputa))
        numero = disputa.id if disputa is not None else None
        almacen.actualizar_pedido(decision.pedido)
        almacen.insertar_eventos([replace(e, disputa=numero) for e in decision.eventos])
        almacen.insertar_mensajes([replace(m, disputa=numero) for m in decision.mensajes])
    return ahora, disputa, decision.pedido


def _cerrar_disputa(almacen: Almacen, id: int, como: str, decidir) -> tuple[datetime, Disputa, Pedido]:
    with _escribiendo(almacen) as ahora, _numero_confundido(almacen, como, disputa=id):
        disputa = _disputa(almacen, id)
        decision = decidir(_pedido(almacen, disputa.pedido), disputa, ahora)
        _aplicar(almacen, [decision])
    return ahora, decision.disputa, decision.pedido


def responder_disputa(
    almacen: Almacen, id: int, como: str, respuesta: Respuesta, texto: str | None
) -> tuple[datetime, Disputa, Pedido]:
    return _cerrar_disputa(almacen, id, como, lambda p, d, ahora: reglas.responder(p, d, como, respuesta, texto, ahora))


def revocar_disputa(almacen: Almacen, id: int, como: str, comentario: str | None) -> tuple[datetime, Disputa, Pedido]:
    return _cerrar_disputa(almacen, id, como, lambda p, d, ahora: reglas.revocar(p, d, como, comentario, ahora))


def disputa_por_responder(almacen: Almacen, id: int, como: str) -> tuple[datetime, Disputa, Pedido]:
    """The request `como` is about to answer, refused now if they may not (for the menu)."""
    with _leyendo(almacen) as ahora, _numero_confundido(almacen, como, disputa=id):
        disputa = _disputa(almacen, id)
        pedido = _pedido(almacen, disputa.pedido)
        reglas.exigir_destinatario(pedido, disputa, como, ahora)
        return ahora, disputa, pedido


def disputa_por_revocar(almacen: Almacen, id: int, como: str) -> tuple[datetime, Disputa, Pedido]:
    """The request `como` is about to revoke, refused now if they may not (for the confirmation).

    The rule itself decides, on a decision that is then thrown away: one place says who may revoke.
    """
    with _leyendo(almacen) as ahora, _numero_confundido(almacen, como, disputa=id):
        disputa = _disputa(almacen, id)
        pedido = _pedido(almacen, disputa.pedido)
        reglas.revocar(pedido, disputa, como, None, ahora)
        return ahora, disputa, pedido


def pedido_de(almacen: Almacen, *, pedido_id: int | None = None, disputa_id: int | None = None) -> Pedido:
    """The order named, or the order of the request named: whose parties may act on it."""
    with _leyendo(almacen):
        if disputa_id is not None:
            pedido_id = _disputa(almacen, disputa_id).pedido
        return _pedido(almacen, pedido_id)


def explicar_disputa(almacen: Almacen, id: int, como: str | None, tz: tzinfo):
    """The request's events, each with the rule behind it and where that rule comes from (`explicar`)."""
    from .explicacion import explicar

    with _leyendo(almacen) as ahora, _numero_confundido(almacen, como, disputa=id):
        disputa = _disputa(almacen, id)
        pedido = _pedido(almacen, disputa.pedido)
        if como is not None:
            reglas.exigir_parte(pedido, como)
        return ahora, explicar(disputa, almacen.eventos_de(pedido.id), tz)


def listar_disputas(
    almacen: Almacen, como: str | None, pedido_id: int | None, abiertas: bool, limite: int
) -> tuple[datetime, list[Disputa], int]:
    """The first `limite` requests and how many there are in all."""
    with _leyendo(almacen) as ahora:
        if pedido_id is not None:
            _pedido(almacen, pedido_id)
        disputas = almacen.disputas(como, pedido_id, abiertas, limite)
        return (
            ahora,
            disputas,
            _total(disputas, limite, lambda hasta: almacen.contar_disputas(como, pedido_id, abiertas, hasta)),
        )


def bandeja(almacen: Almacen, como: str) -> tuple[datetime, list[Mensaje]]:
    with _leyendo(almacen) as ahora:
        if not almacen.usuario_existe(como):
            raise NoPermitido(f"«{como}» no es cliente ni freelancer de ningún pedido, así que no tiene bandeja.")
        return ahora, almacen.mensajes_para(como)


def para_quien(almacen: Almacen, pedido_id: int, como: str) -> str:
    """Whom `como` writes to on the order: the other party (refused to anyone else)."""
    with _leyendo(almacen), _numero_confundido(almacen, como, pedido=pedido_id):
        pedido = _pedido(almacen, pedido_id)
        reglas.exigir_parte(pedido, como)
        return reglas.otra_parte(pedido, como)


def enviar_mensaje(almacen: Almacen, pedido_id: int, como: str, texto: str) -> tuple[datetime, Mensaje]:
    with _escribiendo(almacen) as ahora, _numero_confundido(almacen, como, pedido=pedido_id):
        evento, mensaje = reglas.mensaje(_pedido(almacen, pedido_id), como, texto, ahora)
        almacen.insertar_eventos([evento])
        mensaje = replace(mensaje, id=almacen.insertar_mensaje(mensaje))
    return ahora, mensaje


@dataclass(frozen=True, slots=True)
class Pendiente:
    """One thing a user must do now: the deadline, the Spanish phrase and the command that does it."""

    plazo: Plazo
    que: str
    comando: str


def _pendiente(almacen: Almacen, plazo: Plazo, como: str) -> Pendiente:
    import shlex

    quien = shlex.quote(como)
    if plazo.tipo == "entrega":
        return Pendiente(plazo, "entregar el pedido", f"resolucion pedido entregar {plazo.pedido} --como {quien}")
    disputa = almacen.disputa(plazo.disputa)
    base = f"resolucion disputa responder {plazo.disputa} --como {quien}"
    if plazo.tipo == "actualizacion":
        que = f"enviar la actualización que pidió {disputa.abierta_por}"
        return Pendiente(plazo, que, f"{base} --actualizacion TEXTO")
    que = f"responder a la solicitud de {TIPO_CORTO[plazo.tipo].lower()} de {disputa.abierta_por}"
    return Pendiente(plazo, que, f"{base} --aceptar")


def pendientes(almacen: Almacen, como: str) -> tuple[datetime, list[Pendiente]]:
    """Requests `como` must answer and deliveries `como` owes, soonest deadline first. A delivery
    awaiting the client is left out: it completes by itself, nothing is owed."""
    with _leyendo(almacen) as ahora:
        if not almacen.usuario_existe(como):
            raise NoPermitido(f"«{como}» no es cliente ni freelancer de ningún pedido, así que no tiene pendientes.")
        plazos = almacen.plazos_pendientes(como, almacen.contar_plazos(como))
        return ahora, [_pendiente(almacen, p, como) for p in plazos if p.tipo != "aceptar_entrega"]


def generar(almacen: Almacen, pedidos: int, semilla: int, progreso: Progreso = CALLADO) -> tuple[int, int]:
    """Fill the database with a synthetic marketplace in one transaction; returns the counts."""
    from .generador import COLUMNAS, Generador

    with _escribiendo(almacen) as ahora:
        n_usuarios = max(2, pedidos // 5)
        primer_pedido, primera_disputa = almacen.siguientes_ids()
        generador = Generador(semilla, ahora, n_usuarios, primer_pedido, primera_disputa, _politica(almacen))
        almacen.asegurar_usuarios(generador.usuarios, ahora - timedelta(days=60))
        abiertas = 0
        progreso.empezar("Generando pedidos", pedidos)
        for lote in generador.lotes(pedidos):
            for tabla, columnas in COLUMNAS.items():
                almacen.insertar_filas(tabla, columnas, getattr(lote, tabla))
            abiertas += lote.abiertas
            progreso.avanzar(len(lote.pedidos))
    almacen.vaciar_diario()  # a million rows leave a WAL of hundreds of MB beside the file
    return pedidos, abiertas


def verificar(almacen: Almacen, tz: tzinfo, progreso: Progreso = CALLADO) -> list[str]:
    """Check the file against every invariant; never writes, so nothing due is processed.
    The sentences give the instants they quote in `tz`."""
    with almacen.lectura():
        return almacen.problemas(tz, progreso)


# --- tick -----------------------------------------------------------------------------


def tick(
    almacen: Almacen,
    *,
    hasta: datetime | None = None,
    avanzar: timedelta | None = None,
    siguiente: bool = False,
    simular: bool = False,
    responde: str | None = None,
    limite: int = 50,
    progreso: Progreso = CALLADO,
) -> ResultadoTick:
    """Move the clock (or not), then process every deadline due by the new time."""
    transaccion = almacen.simulacion if simular else almacen.escritura
    with almacen.sin_comprobar_claves(), transaccion():
        guardado, modo = almacen.reloj()
        anterior = ahora_efectivo(guardado, modo)
        # What was already due fires first, at its own instants, as in every command.
        procesados = Procesados()
        vencimientos.procesar(almacen, anterior, CALLADO, procesados)
        nuevo = anterior
        if hasta is not None:
            if hasta < anterior:
                raise EntradaInvalida(
                    "El reloj no puede retroceder: marca {anterior} y pediste {hasta}.", anterior=anterior, hasta=hasta
                )
            nuevo = hasta
        elif avanzar is not None:
            nuevo = anterior + avanzar
            if nuevo > MAXIMO:
                # Dates are checked up to 9000 when typed; a clock pushed past it by durations
                # would end in deadlines past the year 9999, which no datetime can hold.
                raise EntradaInvalida(
                    "El reloj no puede pasar del año 9000: marca {anterior} y --avanzar lo llevaría al {nuevo}.",
                    anterior=anterior,
                    nuevo=nuevo,
                )
        elif siguiente:
            proximo = almacen.proximo_vencimiento()
            if proximo is None:
                raise RechazadoPorRegla("No hay ninguna solicitud abierta con plazo pendiente: el reloj no se mueve.")
            nuevo = proximo
        if nuevo > guardado:
            almacen.guardar_reloj(nuevo)
        if progreso is not CALLADO:  # counting costs a pass over the due range: only for a watcher
            progreso.empezar("Venciendo plazos", almacen.contar_vencidas(nuevo))
        vencimientos.procesar(almacen, nuevo, progreso, procesados)
        pendientes = almacen.plazos_pendientes(responde, limite)
        total = _total(pendientes, limite, lambda hasta: almacen.contar_plazos(responde, hasta))
    return ResultadoTick(anterior, nuevo, simular, procesados, pendientes, total)
