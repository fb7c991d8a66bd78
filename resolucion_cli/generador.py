"""`resolucion generar`: a synthetic marketplace for demos and load tests.

Rows are built directly (the rules would take minutes for a million orders) but from the
same constants (`reglas.PLAZOS`, `reglas.ACCIONES`, `MOTIVOS`) and the same facts
(`reglas.datos_*`, so `relato` tells a synthetic story like a real one), and each order's story is
made consistent by construction: events in time order, one open request on every order in
dispute and none elsewhere, each cancelled order cancelled by an accepted or expired
cancellation, open requests due within the next four days. `verificar` agrees, and a test
checks it. Everything comes from one `random.Random(semilla)`, so the same seed on the same
database at the same clock gives the same data.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from . import reglas
from .almacen import datos_json
from .modelo import MOTIVOS, SISTEMA, EstadoDisputa, EstadoPedido, Hecho, Resultado, Rol, TipoDisputa
from .reloj import iso

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


@dataclass
class Lote:
    """Rows for every table, as tuples in the column order of `COLUMNAS`."""

    pedidos: list = field(default_factory=list)
    disputas: list = field(default_factory=list)
    eventos: list = field(default_factory=list)
    mensajes: list = field(default_factory=list)
    abiertas: int = 0


COLUMNAS = {
    "pedidos": (
        "id",
        "titulo",
        "cliente",
        "freelancer",
        "estado",
        "estado_anterior",
        "precio_centavos",
        "fecha_entrega",
        "creado_en",
    ),
    "disputas": (
        "id",
        "pedido",
        "tipo",
        "estado",
        "abierta_por",
        "rol",
        "destinatario",
        "motivo",
        "comentario",
        "respuesta",
        "creada_en",
        "vence_en",
        "resuelta_en",
        "resuelta_por",
        "nueva_fecha_entrega",
        "extras_centavos",
        "extras_descripcion",
        "extras_dias",
    ),
    "eventos": ("pedido", "disputa", "en", "actor", "tipo", "detalle", "hecho", "datos"),
    "mensajes": ("pedido", "disputa", "de", "para", "texto", "en", "hecho", "datos"),
}
# Facts without data are the same JSON on every row.
_SIN_DATOS = datos_json({})


def _evento(id: int, disputa: int | None, en: datetime, actor: str, tipo: str, hecho: Hecho, datos: str) -> tuple:
    """An event row (its `en` still a datetime, for ordering); `datos` already JSON."""
    return (id, disputa, en, actor, tipo, "", str(hecho), datos)


def _creado(id: int, en: datetime, titulo: str, cliente: str, freelancer: str, precio: int, entrega: datetime) -> tuple:
    datos = datos_json(reglas.datos_pedido_creado(titulo, freelancer, precio, entrega))
    return _evento(id, None, en, cliente, "pedido_creado", Hecho.PEDIDO_CREADO, datos)


def usuarios(cuantos: int) -> list[str]:
    return [f"{NOMBRES[i % len(NOMBRES)]}{i // len(NOMBRES) + 1}" for i in range(cuantos)]


class Generador:
    def __init__(self, semilla: int, ahora: datetime, n_usuarios: int, primer_pedido: int, primera_disputa: int):
        self.azar = random.Random(semilla)
        self.ahora = ahora
        self.usuarios = usuarios(n_usuarios)
        self.siguiente_pedido = primer_pedido
        self.siguiente_disputa = primera_disputa

    def _segundos(self, maximo: timedelta) -> timedelta:
        return timedelta(seconds=self.azar.randint(1, int(maximo.total_seconds())))

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
        eventos = [_creado(id, creado, titulo, cliente, freelancer, precio, entrega)]
        if tirada < 0.55:
            estado = EstadoPedido.ACTIVO
        elif tirada < 0.7:
            estado = EstadoPedido.ENTREGADO
            eventos.append(self._entrega(id, freelancer, creado))
        elif tirada < 0.85:
            estado = EstadoPedido.COMPLETADO
            entregado = self._entrega(id, freelancer, creado)
            completado = entregado[2] + (self.ahora - entregado[2]) / 2
            eventos += [
                entregado,
                _evento(id, None, completado, cliente, "pedido_completado", Hecho.PEDIDO_COMPLETADO, _SIN_DATOS),
            ]
        else:
            estado = EstadoPedido.CANCELADO
            eventos += self._cancelacion(lote, id, cliente, freelancer, creado)
        lote.pedidos.append((id, titulo, cliente, freelancer, str(estado), None, precio, iso(entrega), iso(creado)))
        lote.eventos += [(*e[:2], iso(e[2]), *e[3:]) for e in eventos]

    def _entrega(self, id: int, freelancer: str, desde: datetime) -> tuple:
        en = desde + (self.ahora - desde) * self.azar.random() / 2
        return _evento(id, None, en, freelancer, "pedido_entregado", Hecho.PEDIDO_ENTREGADO, _SIN_DATOS)

    def _cancelacion(self, lote: Lote, id: int, cliente: str, freelancer: str, creado: datetime) -> list[tuple]:
        """A closed cancellation that cancelled the order: accepted, or expired unanswered."""
        azar = self.azar
        disputa = self.siguiente_disputa
        self.siguiente_disputa += 1
        rol = azar.choice((Rol.CLIENTE, Rol.FREELANCER))
        abre, recibe = (cliente, freelancer) if rol == Rol.CLIENTE else (freelancer, cliente)
        plazo = reglas.PLAZOS[TipoDisputa.CANCELACION]
        # Opened early enough that even its deadline lies before the clock.
        creada = creado + (self.ahora - plazo - creado) * azar.random() if self.ahora - plazo > creado else creado
        vence = creada + plazo
        efecto = reglas.datos_efecto(EstadoPedido.CANCELADO)
        if azar.random() < 0.5 or vence > self.ahora:
            resuelta, por, estado = creada + (min(vence, self.ahora) - creada) / 2, recibe, EstadoDisputa.ACEPTADA
            hecho = Hecho.SOLICITUD_CONTESTADA
            cierre = reglas.datos_contestada(TipoDisputa.CANCELACION, rol, estado, efecto)
        else:
            resuelta, por, estado = vence, SISTEMA, EstadoDisputa.VENCIDA
            hecho = Hecho.SOLICITUD_VENCIDA
            cierre = reglas.datos_vencida(TipoDisputa.CANCELACION, rol, recibe, Resultado.PEDIDO_CANCELADO, efecto)
        motivo = azar.choice(list(MOTIVOS)) if rol == Rol.FREELANCER else None
        comentario = "Ya no lo necesito" if rol == Rol.CLIENTE or motivo == "otro" else None
        lote.disputas.append(
            (disputa, id, "cancelacion", str(estado), abre, str(rol), recibe, motivo, comentario, None,
             iso(creada), iso(vence), iso(resuelta), por, None, None, None, None)
        )  # fmt: skip
        abierta = datos_json(reglas.datos_solicitud(TipoDisputa.CANCELACION, rol, motivo))
        return [
            _evento(id, disputa, creada, abre, "disputa_abierta", Hecho.SOLICITUD_ABIERTA, abierta),
            _evento(id, disputa, resuelta, por, f"disputa_{estado}", hecho, datos_json(cierre)),
        ]

    def _en_controversia(self, lote: Lote, id: int, titulo: str, cliente: str, freelancer: str, precio: int) -> None:
        azar = self.azar
        disputa = self.siguiente_disputa
        self.siguiente_disputa += 1
        rol = azar.choice((Rol.CLIENTE, Rol.FREELANCER))
        tipo = azar.choice([t for t in reglas.ACCIONES[rol] if t in reglas.CLASICA.tipos])
        plazo = reglas.PLAZOS[tipo]
        vence = self.ahora + self._segundos(min(plazo, VENTANA_ABIERTAS))
        creada = vence - plazo
        creado = creada - self._segundos(timedelta(days=10))
        entrega = creado + self._segundos(timedelta(days=20))
        anterior = EstadoPedido.ACTIVO if azar.random() < 0.8 else EstadoPedido.ENTREGADO
        abre, recibe = (cliente, freelancer) if rol == Rol.CLIENTE else (freelancer, cliente)
        motivo = comentario = nueva = extras = descripcion = dias = None
        if tipo == TipoDisputa.CANCELACION:
            motivo = azar.choice(list(MOTIVOS)) if rol == Rol.FREELANCER else None
            comentario = "Necesito cancelar el pedido" if rol == Rol.CLIENTE or motivo == "otro" else None
        elif tipo == TipoDisputa.PRORROGA:
            nueva = max(entrega, creada) + self._segundos(timedelta(days=14))
        elif tipo == TipoDisputa.EXTRAS:
            extras, descripcion, dias = azar.randint(1, 300) * 100, "Revisión adicional", azar.choice((None, 1, 2, 3))
        lote.disputas.append(
            (disputa, id, str(tipo), "abierta", abre, str(rol), recibe, motivo, comentario, None,
             iso(creada), iso(vence), None, None, nueva and iso(nueva), extras, descripcion, dias)
        )  # fmt: skip
        lote.pedidos.append(
            (id, titulo, cliente, freelancer, "en_controversia", str(anterior), precio, iso(entrega), iso(creado))
        )
        solicitud = reglas.datos_solicitud(tipo, rol, motivo, nueva, extras, descripcion, dias)
        eventos = [_creado(id, creado, titulo, cliente, freelancer, precio, entrega)]
        if anterior == EstadoPedido.ENTREGADO:
            eventos.append(
                _evento(
                    id, None, creado + (creada - creado) / 2, freelancer, "pedido_entregado",
                    Hecho.PEDIDO_ENTREGADO, _SIN_DATOS,
                )
            )  # fmt: skip
        eventos.append(
            _evento(id, disputa, creada, abre, "disputa_abierta", Hecho.SOLICITUD_ABIERTA, datos_json(solicitud))
        )
        lote.eventos += [(*e[:2], iso(e[2]), *e[3:]) for e in eventos]
        mensaje = datos_json({**solicitud, "comentario": comentario} if comentario else solicitud)
        lote.mensajes.append((id, disputa, abre, recibe, "", iso(creada), str(Hecho.SOLICITUD_ABIERTA), mensaje))
        lote.abiertas += 1
