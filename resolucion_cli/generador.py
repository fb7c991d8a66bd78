"""`resolucion generar`: a synthetic marketplace for demos and load tests.

Rows go straight into the tables (the store's per-command path would take minutes for a
million orders), but what happens to each order is decided by the pure functions of `reglas`
under the database's rule set — its request types, deadlines, what its unanswered requests
and delivered orders do — and their events are the facts the rows record, so `relato` tells a
synthetic story like a real one. The dice only choose who acts, what and when, and each
order's story is consistent by construction: events in time order, one open request on every
order in dispute and none elsewhere, each cancelled order cancelled by an accepted or expired
cancellation (or by its client for a very late delivery, where the rule set allows it), each
accepted partial refund recorded on the order it completed, open requests due within the next
four days. `verificar` agrees, and a test checks it under every rule set. Everything comes from
one `random.Random(semilla)`, so the same seed on the same database at the same clock gives the
same data (under `clasica`, the same rows as before partial refunds existed).
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from . import reglas
from .almacen import COLUMNAS_FILA, a_fila
from .modelo import (
    MOTIVOS,
    Disputa,
    EstadoPedido,
    Evento,
    Mensaje,
    Pedido,
    Respuesta,
    Rol,
    TipoDisputa,
    cambiar,
)

MAX_PEDIDOS = 5_000_000
LOTE = 5_000
NOMBRES = ("ana", "beto", "carla", "dario", "elena", "fede", "gala", "hugo", "ines", "juan", "lola", "mario")
TRABAJOS = (
    "Logo",
    "Traducción",
    "Landing page",
    "Ilustraciones",
    "Edición de vídeo",
    "Plantilla de newsletter",
    "Manual de marca",
    "App móvil",
    "Catálogo",
    "Podcast",
)
VENTANA_ABIERTAS = timedelta(days=4)
# Of the completed orders that could take a partial refund, how many ended with one.
REEMBOLSADOS = 0.4
_SEGUNDO = timedelta(seconds=1)


@dataclass
class Lote:
    """Rows for every table, as tuples in the column order of `COLUMNAS`."""

    pedidos: list = field(default_factory=list)
    disputas: list = field(default_factory=list)
    eventos: list = field(default_factory=list)
    mensajes: list = field(default_factory=list)
    abiertas: int = 0


# The store's own serialisation, with the ids the generator hands out itself in front.
COLUMNAS = {
    "pedidos": ("id", *COLUMNAS_FILA[Pedido]),
    "disputas": ("id", *COLUMNAS_FILA[Disputa]),
    "eventos": COLUMNAS_FILA[Evento],
    "mensajes": COLUMNAS_FILA[Mensaje],
}


def _fila_pedido(p: Pedido) -> tuple:
    return (p.id, *a_fila(p))


def _fila_disputa(d: Disputa, id: int) -> tuple:
    """A request of the rules as a row, with the id the rules left to the store."""
    return (id, *a_fila(d))


def _fila_evento(e: Evento, disputa: int | None = None) -> tuple:
    """An event of the rules as a row; `disputa`, the request id the rules left to the store."""
    return a_fila(cambiar(e, disputa=e.disputa or disputa))


def _fila_mensaje(m: Mensaje, disputa: int) -> tuple:
    return a_fila(cambiar(m, disputa=disputa))


def usuarios(cuantos: int) -> list[str]:
    return [f"{NOMBRES[i % len(NOMBRES)]}{i // len(NOMBRES) + 1}" for i in range(cuantos)]


class Generador:
    def __init__(
        self,
        semilla: int,
        ahora: datetime,
        n_usuarios: int,
        primer_pedido: int,
        primera_disputa: int,
        politica: reglas.Politica = reglas.CLASICA,
    ):
        self.azar = random.Random(semilla)
        self.ahora = ahora
        self.usuarios = usuarios(n_usuarios)
        self.siguiente_pedido = primer_pedido
        self.siguiente_disputa = primera_disputa
        self.politica = politica

    def _segundos(self, maximo: timedelta) -> timedelta:
        return timedelta(seconds=self.azar.randint(1, int(maximo.total_seconds())))

    def _id_disputa(self) -> int:
        id = self.siguiente_disputa
        self.siguiente_disputa += 1
        return id

    def lotes(self, cuantos: int) -> Iterator[Lote]:
        lote = Lote()
        for _ in range(cuantos):
            self._pedido(lote)
            if len(lote.pedidos) >= LOTE:
                yield lote
                lote = Lote()
        if lote.pedidos:
            yield lote

    def _pedido(self, lote: Lote) -> None:
        azar = self.azar
        id = self.siguiente_pedido
        self.siguiente_pedido += 1
        cliente, freelancer = azar.sample(self.usuarios, 2)
        titulo = f"{azar.choice(TRABAJOS)} #{id}"
        precio = azar.randint(5, 2000) * 100 + azar.choice((0, 0, 50, 99))
        tirada = azar.random()
        if tirada < 1 / 3:
            self._en_controversia(lote, id, titulo, cliente, freelancer, precio)
            return
        creado = self.ahora - self._segundos(timedelta(days=30))
        entrega = creado + self._segundos(timedelta(days=20))
        pedido = Pedido(id, titulo, cliente, freelancer, EstadoPedido.ACTIVO, precio, entrega, creado)
        eventos = [_fila_evento(reglas.creado(pedido))]
        if tirada < 0.55:
            historia = []
        elif tirada < 0.7:
            pedido, historia = self._entrega(pedido, self._cuando_se_entrega(creado, sigue_entregado=True))
        elif tirada < 0.85:
            pedido, historia = self._completado(lote, pedido)
        else:
            rol = azar.choice((Rol.CLIENTE, Rol.FREELANCER))
            pedido, historia = self._cerrada(lote, pedido, rol, TipoDisputa.CANCELACION)
        lote.pedidos.append(_fila_pedido(pedido))
        lote.eventos += eventos + historia

    def _cuando_se_entrega(self, desde: datetime, sigue_entregado: bool = False) -> datetime:
        """When an order made at `desde` was delivered; one `sigue_entregado` recently enough that,
        under a rule set that completes delivered orders, it has not completed by itself yet."""
        tras = self.politica.completar_tras
        if sigue_entregado and tras is not None:
            return self.ahora - self._segundos(min(self.ahora - desde, tras - _SEGUNDO))
        return desde + (self.ahora - desde) * self.azar.random() / 2

    def _entrega(self, pedido: Pedido, en: datetime) -> tuple[Pedido, list[tuple]]:
        """The order delivered at `en`, and its event row."""
        entregado, evento = reglas.entregar(pedido, pedido.freelancer, en, self.politica)
        return entregado, [_fila_evento(evento)]

    def _completado(self, lote: Lote, pedido: Pedido) -> tuple[Pedido, list[tuple]]:
        """A completed order: the client accepted the delivery (or, under a rule set that completes
        orders, left it unanswered until it completed by itself), or accepted a partial refund."""
        if (
            TipoDisputa.REEMBOLSO_PARCIAL in self.politica.tipos
            and pedido.precio_centavos > reglas.REEMBOLSO_MINIMO_PEDIDO
            and self.azar.random() < REEMBOLSADOS
        ):
            importe = self.azar.randint(reglas.REEMBOLSO_MINIMO, reglas.reembolso_maximo(pedido))
            return self._cerrada(
                lote, pedido, Rol.FREELANCER, TipoDisputa.REEMBOLSO_PARCIAL, reembolso_centavos=importe
            )
        en = self._cuando_se_entrega(pedido.creado_en)
        entregado, eventos = self._entrega(pedido, en)
        acepta = en + (self.ahora - en) / 2
        if entregado.completar_en is not None and entregado.completar_en <= acepta:
            solo = reglas.completar_solo(entregado)
            return solo.pedido, eventos + [_fila_evento(e) for e in solo.eventos]
        completado, fin = reglas.completar(entregado, pedido.cliente, acepta, self.politica)
        return completado, eventos + [_fila_evento(fin)]

    def _cerrada(self, lote: Lote, pedido: Pedido, rol: Rol, tipo: TipoDisputa, **campos) -> tuple[Pedido, list[tuple]]:
        """A request on the active order, opened early enough to have ended before the clock:
        accepted by the other party or left unanswered until its deadline, with what the rules
        then do to the order (a client's cancellation of a very late order ends it at once)."""
        azar = self.azar
        plazo = self.politica.plazos[tipo]
        creado = pedido.creado_en
        # Opened early enough that even its deadline lies before the clock.
        creada = creado + (self.ahora - plazo - creado) * azar.random() if self.ahora - plazo > creado else creado
        vence = creada + plazo
        contestada = azar.random() < 0.5 or vence > self.ahora
        abre, recibe = (
            (pedido.cliente, pedido.freelancer) if rol == Rol.CLIENTE else (pedido.freelancer, pedido.cliente)
        )
        motivo = comentario = None
        if tipo == TipoDisputa.CANCELACION:
            motivo = azar.choice(list(MOTIVOS)) if rol == Rol.FREELANCER else None
            comentario = "Ya no lo necesito" if rol == Rol.CLIENTE or motivo == "otro" else None
        solicitud = reglas.Solicitud(tipo, motivo, comentario, **campos)
        abierta = reglas.abrir(pedido, abre, solicitud, creada, self.politica)
        if abierta.disputa is None:
            return abierta.pedido, [_fila_evento(e) for e in abierta.eventos]
        disputa = self._id_disputa()
        if contestada:
            en = creada + (min(vence, self.ahora) - creada) / 2
            fin = reglas.responder(abierta.pedido, abierta.disputa, recibe, Respuesta.ACEPTAR, None, en)
        else:
            fin = reglas.vencer(abierta.pedido, abierta.disputa)
        lote.disputas.append(_fila_disputa(fin.disputa, disputa))
        return fin.pedido, [_fila_evento(e, disputa) for e in (*abierta.eventos, *fin.eventos)]

    def _en_controversia(self, lote: Lote, id: int, titulo: str, cliente: str, freelancer: str, precio: int) -> None:
        azar = self.azar
        disputa = self._id_disputa()
        rol = azar.choice((Rol.CLIENTE, Rol.FREELANCER))
        tipo = azar.choice(self._tipos(rol, precio))
        plazo = self.politica.plazos[tipo]
        vence = self.ahora + self._segundos(min(plazo, VENTANA_ABIERTAS))
        creada = vence - plazo
        creado = creada - self._segundos(timedelta(days=10))
        entrega = creado + self._segundos(timedelta(days=20))
        anterior = EstadoPedido.ACTIVO if azar.random() < 0.8 else EstadoPedido.ENTREGADO
        abre = cliente if rol == Rol.CLIENTE else freelancer
        margen = self.politica.cancelar_por_retraso
        if margen is not None and (rol, tipo, anterior) == (Rol.CLIENTE, TipoDisputa.CANCELACION, EstadoPedido.ACTIVO):
            # Still a request: not yet late enough for the client to cancel it alone.
            entrega = max(entrega, creada - margen + self._segundos(margen))
        pedido = Pedido(id, titulo, cliente, freelancer, EstadoPedido.ACTIVO, precio, entrega, creado)
        eventos = [_fila_evento(reglas.creado(pedido))]
        if anterior == EstadoPedido.ENTREGADO:
            entregado = creado + (creada - creado) / 2
            if self.politica.completar_tras is not None:
                # Delivered recently enough that it had not completed by itself when the request came.
                entregado = max(entregado, creada - self.politica.completar_tras / 2)
            pedido, entregado_en = self._entrega(pedido, entregado)
            eventos += entregado_en
        motivo = comentario = nueva = extras = descripcion = dias = reembolso = None
        if tipo == TipoDisputa.CANCELACION:
            motivo = azar.choice(list(MOTIVOS)) if rol == Rol.FREELANCER else None
            comentario = "Necesito cancelar el pedido" if rol == Rol.CLIENTE or motivo == "otro" else None
        elif tipo == TipoDisputa.PRORROGA:
            nueva = max(entrega, creada) + self._segundos(timedelta(days=14))
        elif tipo == TipoDisputa.EXTRAS:
            extras, descripcion, dias = azar.randint(1, 300) * 100, "Revisión adicional", azar.choice((None, 1, 2, 3))
        elif tipo == TipoDisputa.REEMBOLSO_PARCIAL:
            reembolso = azar.randint(reglas.REEMBOLSO_MINIMO, reglas.reembolso_maximo(pedido))
        solicitud = reglas.Solicitud(tipo, motivo, comentario, nueva, extras, descripcion, dias, reembolso)
        abierta = reglas.abrir(pedido, abre, solicitud, creada, self.politica)
        lote.disputas.append(_fila_disputa(abierta.disputa, disputa))
        lote.pedidos.append(_fila_pedido(abierta.pedido))
        lote.eventos += eventos + [_fila_evento(e, disputa) for e in abierta.eventos]
        lote.mensajes += [_fila_mensaje(m, disputa) for m in abierta.mensajes]
        lote.abiertas += 1

    def _tipos(self, rol: Rol, precio: int) -> list[TipoDisputa]:
        """What this role may open under the rule set, a partial refund only on an order over its minimum."""
        return [
            tipo
            for tipo in reglas.ACCIONES[rol]
            if tipo in self.politica.tipos
            and (tipo != TipoDisputa.REEMBOLSO_PARCIAL or precio > reglas.REEMBOLSO_MINIMO_PEDIDO)
        ]
