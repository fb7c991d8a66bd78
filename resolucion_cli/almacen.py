"""The only module that speaks SQL: schema, migrations, rows <-> model, transactions.

The schema is created and upgraded with sqlite-utils; the everyday reads and writes use
the same stdlib connection directly, so a command on an up-to-date file does not pay for
importing sqlite-utils. `PRAGMA user_version` is the schema version (SPEC §8).
"""

import json
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, datetime, tzinfo
from functools import cache, lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Protocol, get_args

from .entrada import limpiar
from .errores import BaseInutilizable
from .modelo import (
    SISTEMA,
    Disputa,
    EstadoDisputa,
    EstadoPedido,
    Evento,
    Hecho,
    Mensaje,
    Pedido,
    Plazo,
    Rol,
    TipoDisputa,
)
from .reglas import POLITICAS, REEMBOLSO_MINIMO
from .reloj import ModoReloj, desde_iso, iso, legible

CABECERA_SQLITE = b"SQLite format 3\x00"
ESPERA_SEGUNDOS = 5.0
TABLAS = ("usuarios", "pedidos", "disputas", "eventos", "mensajes", "reloj", "politica")

_CAMPOS_FECHA = {
    "fecha_entrega",
    "creado_en",
    "creada_en",
    "vence_en",
    "resuelta_en",
    "nueva_fecha_entrega",
    "en",
    "completar_en",
}


# --- long jobs ------------------------------------------------------------------------
# Here, at the bottom of the layers that run long jobs (`verificar` here, a tick's firing, `generar`),
# so that each of them can report without importing the ones above.


class Progreso(Protocol):
    """Who watches a long job (`generar`, a large `tick`, `verificar`): a bar on a terminal."""

    def empezar(self, que: str, total: int) -> None: ...

    def avanzar(self, cuantos: int) -> None: ...


class _Callado:
    """Nobody is watching: the default, and what scripts and `--json` get."""

    def empezar(self, que: str, total: int) -> None:
        pass

    def avanzar(self, cuantos: int) -> None:
        pass


CALLADO = _Callado()


# --- schema -----------------------------------------------------------------------------

# The conditions of the partial indexes, written once: SQLite uses a partial index only for a
# query whose WHERE repeats its condition.
ENTREGA_PENDIENTE = "(estado = 'activo' OR (estado = 'en_controversia' AND estado_anterior = 'activo'))"
POR_COMPLETAR = "(estado = 'entregado' AND completar_en IS NOT NULL)"
# Where pending deadlines come from: table, ids, kind, deadline column, who must act, condition.
_FUENTES_DE_PLAZOS = (
    ("disputas", "pedido, id", "tipo", "vence_en", "destinatario", "estado = 'abierta'"),
    ("pedidos", "id, NULL", "'entrega'", "fecha_entrega", "freelancer", ENTREGA_PENDIENTE),
    ("pedidos", "id, NULL", "'aceptar_entrega'", "completar_en", "cliente", POR_COMPLETAR),
)


def _fecha_bien(columna: str) -> str:
    """True when the text is a real instant written `YYYY-MM-DDTHH:MM:SSZ`: through a Julian
    day number SQLite normalises an impossible day like 02-30, so the round trip catches it."""
    return f"coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', julianday({columna})) = {columna}, 0)"


# What firing a request from its row reads (`Almacen.vencidas`), in this order: what names the
# request's kind, and what its outcome may copy from the row.
_VENCIDA = (
    ("disputa", "d.id"),
    ("pedido", "d.pedido"),
    ("vence_en", "d.vence_en"),
    ("tipo", "d.tipo"),
    ("politica", "d.politica"),
    ("rol", "d.rol"),
    ("abierta_por", "d.abierta_por"),
    ("destinatario", "d.destinatario"),
    ("cliente", "p.cliente"),
    ("freelancer", "p.freelancer"),
    ("estado", "p.estado"),
    ("estado_anterior", "p.estado_anterior"),
    ("por_completar", "p.completar_en IS NOT NULL"),
)
# Whether every instant of the request and its order is written as this code writes them: else
# the request goes through the objects, which read (and so check) every column, and a file
# edited by hand is refused as every other command refuses it.
_FECHAS = (
    "p.fecha_entrega",
    "p.creado_en",
    "p.completar_en",
    "d.creada_en",
    "d.vence_en",
    "d.resuelta_en",
    "d.nueva_fecha_entrega",
)
_FECHAS_BIEN = " AND ".join(f"({c} IS NULL OR {_fecha_bien(c)})" for c in _FECHAS)
VENCIDA = (*(nombre for nombre, _ in _VENCIDA), "fechas_bien")
_VENCIDA_SQL = ", ".join((*(columna for _, columna in _VENCIDA), _FECHAS_BIEN))


def _donde_pedidos(usuario: str | None, estado: str | None) -> tuple[str, list]:
    """The WHERE of `pedido listar`, shared by the list and its count."""
    condiciones, parametros = [], []
    if usuario:
        # Two index lookups joined by UNION keep this independent of the table's size.
        condiciones.append(
            "id IN (SELECT id FROM pedidos WHERE cliente = ? UNION SELECT id FROM pedidos WHERE freelancer = ?)"
        )
        parametros += [usuario, usuario]
    if estado:
        # `+` keeps SQLite off the delivery index for `activo`: counting through it looks up every
        # row and is ten times slower than reading the table once.
        condiciones.append("+estado = ?")
        parametros.append(estado)
    return (f"WHERE {' AND '.join(condiciones)}" if condiciones else ""), parametros


def _donde_disputas(usuario: str | None, pedido: int | None, abiertas: bool) -> tuple[str, list]:
    """The WHERE of `disputa listar`, shared by the list and its count."""
    condiciones, parametros = [], []
    if usuario:
        condiciones.append(
            "id IN (SELECT id FROM disputas WHERE abierta_por = ? UNION SELECT id FROM disputas WHERE destinatario = ?)"
        )
        parametros += [usuario, usuario]
    if pedido is not None:
        condiciones.append("pedido = ?")
        parametros.append(pedido)
    if abiertas:
        condiciones.append("estado = 'abierta'")
    return (f"WHERE {' AND '.join(condiciones)}" if condiciones else ""), parametros


def _v1_tablas(db) -> None:
    """The six tables, named after the JSON fields of SPEC §6."""
    db["usuarios"].create({"usuario": str, "creado_en": str}, pk="usuario", not_null={"creado_en"})
    db["pedidos"].create(
        {
            "id": int,
            "titulo": str,
            "cliente": str,
            "freelancer": str,
            "estado": str,
            "estado_anterior": str,
            "precio_centavos": int,
            "fecha_entrega": str,
            "creado_en": str,
        },
        pk="id",
        not_null={
            "titulo",
            "cliente",
            "freelancer",
            "estado",
            "precio_centavos",
            "fecha_entrega",
            "creado_en",
        },
        foreign_keys=[("cliente", "usuarios", "usuario"), ("freelancer", "usuarios", "usuario")],
    )
    db["disputas"].create(
        {
            "id": int,
            "pedido": int,
            "tipo": str,
            "estado": str,
            "abierta_por": str,
            "rol": str,
            "destinatario": str,
            "motivo": str,
            "comentario": str,
            "respuesta": str,
            "creada_en": str,
            "vence_en": str,
            "resuelta_en": str,
            "resuelta_por": str,
            "nueva_fecha_entrega": str,
            "extras_centavos": int,
            "extras_descripcion": str,
            "extras_dias": int,
        },
        pk="id",
        not_null={"pedido", "tipo", "estado", "abierta_por", "rol", "destinatario", "creada_en", "vence_en"},
        foreign_keys=[
            ("pedido", "pedidos", "id"),
            ("abierta_por", "usuarios", "usuario"),
            ("destinatario", "usuarios", "usuario"),
            ("resuelta_por", "usuarios", "usuario"),
        ],
    )
    db["eventos"].create(
        {"id": int, "pedido": int, "disputa": int, "en": str, "actor": str, "tipo": str, "detalle": str},
        pk="id",
        not_null={"pedido", "en", "actor", "tipo", "detalle"},
        foreign_keys=[
            ("pedido", "pedidos", "id"),
            ("disputa", "disputas", "id"),
            ("actor", "usuarios", "usuario"),
        ],
    )
    db["mensajes"].create(
        {"id": int, "pedido": int, "disputa": int, "de": str, "para": str, "texto": str, "en": str},
        pk="id",
        not_null={"pedido", "de", "para", "texto", "en"},
        foreign_keys=[
            ("pedido", "pedidos", "id"),
            ("disputa", "disputas", "id"),
            ("de", "usuarios", "usuario"),
            ("para", "usuarios", "usuario"),
        ],
    )
    db["reloj"].create({"id": int, "ahora": str, "modo": str}, pk="id", not_null={"ahora", "modo"})
    # `sistema` signs expiry notices; as a row it satisfies the foreign keys like anyone.
    db.execute("INSERT INTO usuarios (usuario, creado_en) VALUES (?, ?)", [SISTEMA, "1970-01-01T00:00:00Z"])


def _v2_indices(db) -> None:
    """Indexes for what commands look up, so no command scans a big table."""
    db.execute("CREATE INDEX disputas_abiertas_por_vence_en ON disputas (vence_en, id) WHERE estado = 'abierta'")
    db.execute("CREATE INDEX disputas_abiertas_por_pedido ON disputas (pedido) WHERE estado = 'abierta'")
    db.execute("CREATE INDEX disputas_por_pedido ON disputas (pedido, id)")
    db.execute("CREATE INDEX disputas_por_abierta_por ON disputas (abierta_por, id)")
    db.execute("CREATE INDEX disputas_por_destinatario ON disputas (destinatario, id)")
    db.execute("CREATE INDEX pedidos_por_cliente ON pedidos (cliente, id)")
    db.execute("CREATE INDEX pedidos_por_freelancer ON pedidos (freelancer, id)")
    db.execute(f"CREATE INDEX pedidos_entrega_pendiente ON pedidos (fecha_entrega, id) WHERE {ENTREGA_PENDIENTE}")
    db.execute("CREATE INDEX eventos_por_pedido ON eventos (pedido, id)")
    db.execute("CREATE INDEX mensajes_por_para ON mensajes (para, id)")


def _v3_politicas(db) -> None:
    """Rule sets: the database's current one, and the one each request was opened under."""
    db["politica"].create({"id": int, "nombre": str, "plazos": str}, pk="id", not_null={"nombre", "plazos"})
    db.execute("INSERT INTO politica (id, nombre, plazos) VALUES (1, 'clasica', '{}')")
    db["disputas"].add_column("politica", str, not_null_default="clasica")
    db["pedidos"].add_column("completar_en", str)
    db.execute(f"CREATE INDEX pedidos_por_completar ON pedidos (completar_en, id) WHERE {POR_COMPLETAR}")
    # One user's pending deadlines (`tick --como U`), soonest first, without walking everyone's.
    db.execute(
        "CREATE INDEX disputas_abiertas_por_destinatario ON disputas (destinatario, vence_en, id) "
        "WHERE estado = 'abierta'"
    )
    db.execute(
        "CREATE INDEX pedidos_entrega_por_freelancer ON pedidos (freelancer, fecha_entrega, id) "
        f"WHERE {ENTREGA_PENDIENTE}"
    )
    db.execute(
        f"CREATE INDEX pedidos_por_completar_por_cliente ON pedidos (cliente, completar_en, id) WHERE {POR_COMPLETAR}"
    )


def _v4_hechos(db) -> None:
    """Events and messages record facts (`hecho` and its `datos` as JSON) instead of a finished
    sentence, so each reader gets the sentence in their own zone. Older rows keep their text."""
    for tabla in ("eventos", "mensajes"):
        db[tabla].add_column("hecho", str)
        db[tabla].add_column("datos", str)


def _caso(columna: str, etiquetas: dict) -> str:
    """A CASE that gives the Spanish label of each stored value (the value itself if unknown)."""
    ramas = " ".join(f"WHEN '{valor}' THEN '{etiqueta}'" for valor, etiqueta in etiquetas.items())
    return f"CASE {columna} {ramas} ELSE {columna} END"


# Frozen here, not read from `modelo`: a view is written once by its migration, so a later change
# of wording needs a migration of its own, and v5 must build the same views on every database.
_ETIQUETAS_TIPO_V5 = {
    "actualizacion": "Actualización",
    "cancelacion": "Cancelación",
    "prorroga": "Prórroga",
    "extras": "Extras",
    "entrega": "Entrega",
    "aceptar_entrega": "Aceptar la entrega",
}
_ETIQUETAS_ESTADO_PEDIDO = {
    "activo": "Activo",
    "entregado": "Entregado",
    "en_controversia": "En controversia",
    "completado": "Completado",
    "cancelado": "Cancelado de mutuo acuerdo",
}
_ETIQUETAS_ESTADO_SOLICITUD = {
    "abierta": "Abierta",
    "respondida": "Respondida",
    "aceptada": "Aceptada",
    "rechazada": "Rechazada",
    "revocada": "Revocada",
    "vencida": "Vencida",
}
_ETIQUETAS_ROL = {"cliente": "Cliente", "freelancer": "Freelancer"}
_ETIQUETAS_HECHO_V5 = {
    "pedido_creado": "Pedido creado",
    "pedido_entregado": "Pedido entregado",
    "pedido_completado": "Pedido completado",
    "pedido_completado_solo": "Pedido completado sin respuesta del cliente",
    "solicitud_abierta": "Solicitud abierta",
    "solicitud_contestada": "Solicitud contestada",
    "solicitud_revocada": "Solicitud revocada",
    "solicitud_vencida": "Solicitud vencida",
    "mensaje": "Mensaje",
}
# v6: partial refunds and the client's cancellation of a very late order.
_ETIQUETAS_TIPO_V6 = {**_ETIQUETAS_TIPO_V5, "reembolso_parcial": "Reembolso parcial"}
_ETIQUETAS_HECHO_V6 = {
    **_ETIQUETAS_HECHO_V5,
    "pedido_cancelado_por_retraso": "Pedido cancelado por el cliente por retraso",
}
# The views, for people (`resolucion tablero`, any SQLite tool); no command reads them.
VISTAS = ("vista_plazos_pendientes", "vista_solicitudes", "vista_historial")


def _v5_vistas(db) -> None:
    """Views for people: pending deadlines with who must act, requests with their order's title
    and Spanish labels, and each order's timeline. Only definitions: they cost nothing until read.

    SQLite checks views when a column is dropped or a table renamed: a later migration that drops,
    renames or rebuilds (sqlite-utils `transform`) what these views read must drop them first and
    create them again after."""
    _crear_vistas(db, _ETIQUETAS_TIPO_V5, _ETIQUETAS_HECHO_V5, "")


def _v6_reembolsos(db) -> None:
    """Partial refunds: the amount a request offers and what an order gave back; the views
    show them, with the labels of the new request type and fact."""
    db["pedidos"].add_column("reembolso_centavos", int)
    db["disputas"].add_column("reembolso_centavos", int)
    for vista in VISTAS:
        db.execute(f"DROP VIEW {vista}")
    _crear_vistas(
        db,
        _ETIQUETAS_TIPO_V6,
        _ETIQUETAS_HECHO_V6,
        "d.reembolso_centavos, p.reembolso_centavos AS pedido_reembolso_centavos, ",
    )


def _crear_vistas(db, etiquetas_tipo: dict, etiquetas_hecho: dict, reembolsos: str) -> None:
    """The three views with one version's labels; `reembolsos`, the refund columns of the
    requests' view (empty before v6)."""
    tipo = _caso("tipo", etiquetas_tipo)
    db.execute(
        "CREATE VIEW vista_plazos_pendientes AS "
        "SELECT pedido, titulo, solicitud, tipo, "
        f"{tipo} AS tipo_etiqueta, responde, vence_en, "
        "vence_en <= (SELECT ahora FROM reloj WHERE id = 1) AS vencido FROM ("
        "SELECT d.pedido, p.titulo, d.id AS solicitud, d.tipo, d.destinatario AS responde, d.vence_en "
        "FROM disputas d JOIN pedidos p ON p.id = d.pedido WHERE d.estado = 'abierta' "
        "UNION ALL SELECT id, titulo, NULL, 'entrega', freelancer, fecha_entrega "
        f"FROM pedidos WHERE {ENTREGA_PENDIENTE} "
        "UNION ALL SELECT id, titulo, NULL, 'aceptar_entrega', cliente, completar_en "
        f"FROM pedidos WHERE {POR_COMPLETAR}"
        ") ORDER BY vence_en, pedido, solicitud IS NULL"
    )
    db.execute(
        "CREATE VIEW vista_solicitudes AS "
        "SELECT d.id, d.pedido, p.titulo, d.tipo, "
        f"{_caso('d.tipo', etiquetas_tipo)} AS tipo_etiqueta, d.estado, "
        f"{_caso('d.estado', _ETIQUETAS_ESTADO_SOLICITUD)} AS estado_etiqueta, d.rol, "
        f"{_caso('d.rol', _ETIQUETAS_ROL)} AS rol_etiqueta, d.abierta_por, d.destinatario, d.motivo, "
        "d.comentario, d.respuesta, d.creada_en, d.vence_en, d.resuelta_en, d.resuelta_por, "
        f"d.nueva_fecha_entrega, d.extras_centavos, d.extras_descripcion, d.extras_dias, {reembolsos}d.politica, "
        f"p.estado AS pedido_estado, {_caso('p.estado', _ETIQUETAS_ESTADO_PEDIDO)} AS pedido_estado_etiqueta "
        "FROM disputas d JOIN pedidos p ON p.id = d.pedido ORDER BY d.id"
    )
    # Rows with a fact keep no sentence (it is written when read, in the reader's zone): the
    # timeline shows the fact's label, what a person wrote (or an old row's sentence), and the data.
    escrito = (
        "coalesce(nullif({0}, ''), json_extract(datos, '$.mensaje'), json_extract(datos, '$.texto'), "
        "json_extract(datos, '$.comentario'))"
    )
    db.execute(
        "CREATE VIEW vista_historial AS "
        "SELECT h.pedido, p.titulo, h.en, h.clase, h.id, h.solicitud, h.actor, h.para, "
        f"{_caso('h.hecho', etiquetas_hecho)} AS que, h.texto, h.hecho, h.datos FROM ("
        "SELECT pedido, en, 'evento' AS clase, id, disputa AS solicitud, actor, NULL AS para, "
        f"coalesce(hecho, tipo) AS hecho, {escrito.format('detalle')} AS texto, datos FROM eventos "
        "UNION ALL SELECT pedido, en, 'mensaje', id, disputa, de, para, coalesce(hecho, 'mensaje'), "
        f"{escrito.format('texto')}, datos FROM mensajes"
        ") h JOIN pedidos p ON p.id = h.pedido ORDER BY h.pedido, h.en, h.clase, h.id"
    )


def _v7_sin_indice_redundante(db) -> None:
    """The open request of an order is found as well through `disputas_por_pedido` (an order has
    a handful of requests), and one index less is one write less for every request a tick fires.
    tests/almacen/test_indices.py names the query that needs each index left."""
    db.execute("DROP INDEX IF EXISTS disputas_abiertas_por_pedido")


MIGRACIONES = (
    _v1_tablas,
    _v2_indices,
    _v3_politicas,
    _v4_hechos,
    _v5_vistas,
    _v6_reembolsos,
    _v7_sin_indice_redundante,
)
ESQUEMA = len(MIGRACIONES)


# --- opening ----------------------------------------------------------------------------


def _codigo(error: sqlite3.Error) -> int | None:
    """SQLite's primary result code (the extended code's low byte); None for errors the
    sqlite3 module raises on its own."""
    codigo = getattr(error, "sqlite_errorcode", None)
    return None if codigo is None else codigo & 0xFF


def bloqueo() -> sqlite3.OperationalError:
    """The error SQLite gives when the write lock stayed taken past the wait, for the waits we
    make ourselves (a backup that keeps finding the destination busy)."""
    error = sqlite3.OperationalError("database is locked")
    error.sqlite_errorcode = sqlite3.SQLITE_BUSY
    return error


def es_bloqueo(error: Exception) -> bool:
    """Another connection held the write lock past the busy wait (on SQLite, or on a server:
    `postgres.Bloqueada`)."""
    return _codigo(error) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or getattr(error, "bloqueo", False)


def frase_de_bloqueo(nombre) -> str:
    """The sentence for a write lock held past the wait, on a file or on a server."""
    return (
        f"La base de datos «{nombre}» está bloqueada por otro proceso desde hace más de "
        f"{ESPERA_SEGUNDOS:.0f} segundos: espera a que termine y vuelve a intentarlo."
    )


def error_de_base(error: sqlite3.Error, ruta: Path) -> BaseInutilizable:
    """Say in Spanish why SQLite could not use the file, and what to do about it; told apart
    by SQLite's result code, never by the wording of its English message."""
    codigo = _codigo(error)
    if es_bloqueo(error):
        return BaseInutilizable(frase_de_bloqueo(ruta))
    if codigo == sqlite3.SQLITE_READONLY:
        return BaseInutilizable(
            f"No se puede escribir en «{ruta}» (el archivo o su carpeta son de solo lectura): "
            "da permiso de escritura o usa otra base con --db."
        )
    if codigo in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return BaseInutilizable(
            f"«{ruta}» no es una base de datos SQLite utilizable (está dañada o es otro tipo de archivo): "
            "usa otra ruta con --db."
        )
    if codigo == sqlite3.SQLITE_CANTOPEN:
        return BaseInutilizable(f"No se puede abrir «{ruta}»: comprueba que la carpeta existe y tienes permiso.")
    return BaseInutilizable(f"La base de datos «{ruta}» no se puede usar ({error}): usa otra con --db.")


LIMITE_DIARIO = 64 * 1024 * 1024  # bytes of WAL kept on disk after a checkpoint
OTRA_RUTA = "Indica otra ruta con --db."


def _comprobar_archivo(ruta: Path, remedio: str = OTRA_RUTA) -> bool:
    """Refuse, without touching it, a path that cannot hold our database; True if it has data."""
    if ruta.is_dir():
        raise BaseInutilizable(f"«{ruta}» es una carpeta, no un archivo: indica un archivo con --db.")
    if ruta.exists() and not ruta.is_file():
        # A link to /dev/null, a device, a pipe: SQLite would fail halfway, or read nothing forever.
        destino = f" (apunta a «{ruta.resolve()}»)" if ruta.is_symlink() else ""
        raise BaseInutilizable(f"«{ruta}»{destino} no es un archivo normal: no lo toco. {remedio}")
    if not ruta.parent.is_dir():
        raise BaseInutilizable(f"La carpeta «{ruta.parent}» no existe: créala antes o indica otra ruta con --db.")
    if not ruta.exists() or ruta.stat().st_size == 0:
        return False
    try:
        with ruta.open("rb") as archivo:
            cabecera = archivo.read(len(CABECERA_SQLITE))
    except OSError:
        raise BaseInutilizable(f"No se puede leer «{ruta}»: comprueba sus permisos.") from None
    if cabecera != CABECERA_SQLITE:
        raise BaseInutilizable(f"«{ruta}» no es una base de datos SQLite: no lo toco. {remedio}")
    return True


def _solo_lectura(ruta: Path, inmutable: bool = False) -> sqlite3.Connection:
    """A connection that can neither write nor create anything next to the file; `inmutable`
    also tells SQLite nobody else writes it, so it needs no -shm beside it."""
    opciones = "mode=ro&immutable=1" if inmutable else "mode=ro"
    return sqlite3.connect(f"{ruta.absolute().as_uri()}?{opciones}", uri=True, isolation_level=None)


def reloj_de_copia(ruta: Path) -> datetime | None:
    """The clock stored in a copy of a database (a snapshot), or None if it cannot be read."""
    try:
        conexion = _solo_lectura(ruta)
        try:
            fila = conexion.execute("SELECT ahora FROM reloj WHERE id = 1").fetchone()
        finally:
            conexion.close()
        return desde_iso(fila[0]) if fila else None
    except (sqlite3.Error, ValueError, TypeError):
        return None


def comprobar_copia(ruta: Path, remedio: str) -> None:
    """Refuse, naming it and without changing it, a copy this code could not open as its database:
    not SQLite, another application's, empty, made by a newer version, or damaged."""
    if not _comprobar_archivo(ruta, remedio):
        raise BaseInutilizable(f"«{ruta}» está vacío: no es una base de resolucion. {remedio}")
    try:
        conexion = _solo_lectura(ruta)
        try:
            prueba = Almacen(ruta, conexion)
            version = prueba.version()
            prueba._comprobar_version(version, remedio)
            if version == 0:
                raise BaseInutilizable(f"«{ruta}» no tiene las tablas de resolucion. {remedio}")
            sano = [fila[0] for fila in conexion.execute("PRAGMA quick_check")] == ["ok"]
        finally:
            conexion.close()
    except sqlite3.Error:
        sano = False
    if not sano:
        raise BaseInutilizable(f"«{ruta}» está dañado: SQLite no puede leerlo entero. {remedio}")


class Almacen:
    """One open database file: every read and write of the domain goes through here."""

    # A database on a server (`postgres.AlmacenPostgres`) rather than a file beside the user.
    SERVIDOR = False
    MOTOR = "SQLite"

    def __init__(self, ruta: Path, conexion: sqlite3.Connection):
        self.ruta = ruta
        self.conexion = conexion
        # True when this open created the database (so `init` knows the clock is its own).
        self.creada = False
        # True once a transaction of ours is committed: after that, no error may say
        # "no se ha cambiado nada" (SPEC §7).
        self.guardado = False

    @classmethod
    def abrir(
        cls,
        ruta: str | Path,
        reloj_inicial: datetime,
        modo_inicial: ModoReloj = ModoReloj.SIMULADO,
        crear: bool = True,
    ) -> "Almacen":
        """Open, upgrading the schema; a new database starts at `reloj_inicial`.

        With `crear=False` (every command but `init`) a path with no database is refused before
        SQLite is asked to connect, which would leave an empty file behind (SPEC §5).
        (A `postgresql://` URL is opened by `bases.abrir`, on a server.)
        """
        ruta = Path(ruta)
        tiene_datos = _comprobar_archivo(ruta)
        if not tiene_datos and not crear:
            absoluta = ruta.resolve()
            raise BaseInutilizable(
                f"No hay ninguna base de datos en «{absoluta}»: créala con «resolucion init --db {absoluta}» "
                "(o indica otra con --db)."
            )
        try:
            if tiene_datos and not os.access(ruta.parent, os.W_OK):
                # A WAL database is read through a -shm file beside it, which a folder nobody may
                # write cannot hold; nobody can write the database there either, so it is read
                # as it is (immutable), and a write is refused as on a read-only file (SPEC §7).
                conexion = _solo_lectura(ruta, inmutable=True)
            else:
                conexion = sqlite3.connect(ruta, isolation_level=None, timeout=ESPERA_SEGUNDOS)
        except sqlite3.Error as error:
            raise error_de_base(error, ruta) from None
        conexion.row_factory = sqlite3.Row
        almacen = cls(ruta, conexion)
        try:
            conexion.execute("PRAGMA foreign_keys = ON")
            # Once checkpointed, a WAL grown by a big tick is cut back to this size on disk.
            conexion.execute(f"PRAGMA journal_size_limit = {LIMITE_DIARIO}")
            almacen._preparar(reloj_inicial, modo_inicial)
        except BaseException:
            conexion.close()
            raise
        return almacen

    def cerrar(self) -> None:
        self.conexion.close()

    def version(self) -> int:
        return self.conexion.execute("PRAGMA user_version").fetchone()[0]

    def version_datos(self) -> int:
        """A number that changes whenever another connection commits (a cheap check for --seguir).

        Our own writes do not change it: whoever follows redraws after its own reads anyway.
        """
        return self.conexion.execute("PRAGMA data_version").fetchone()[0]

    def _tablas_ajenas(self) -> list[str]:
        return [
            fila[0]
            for fila in self.conexion.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]

    def _comprobar_version(self, version: int, remedio: str = OTRA_RUTA) -> None:
        if version > ESQUEMA:
            raise BaseInutilizable(
                f"«{self.ruta}» lo creó una versión más nueva de resolucion (esquema {version}; esta "
                f"entiende hasta el {ESQUEMA}): actualiza resolucion para usarlo."
            )
        if version == 0 and self._tablas_ajenas():
            raise BaseInutilizable(
                f"«{self.ruta}» es una base {self.MOTOR} de otra aplicación (no tiene las tablas de resolucion): "
                f"no la toco. {remedio}"
            )

    def _preparar(self, reloj_inicial: datetime, modo_inicial: ModoReloj) -> None:
        try:
            # Up to 12 MiB of pages (allocated only as used), six times the default: room for
            # every page a tick of ~6 700 deadlines dirties (~2 400), which at 8 MiB spilled to
            # the WAL mid-transaction and was written and read back twice. A larger tick still
            # spills: 64 MiB made a tick of 60 000 about a fifth faster, but its memory then
            # grew with what it fired (benchmarks/tick.py).
            self.conexion.execute("PRAGMA cache_size = -12288")
            self._al_dia(self.version(), reloj_inicial, modo_inicial)
            self._comprobar_tablas()
            self._en_wal()
        except sqlite3.Error as error:
            raise error_de_base(error, self.ruta) from None

    def _al_dia(self, version: int, reloj_inicial: datetime, modo_inicial: ModoReloj) -> None:
        """Bring the schema up to date (creating it on a new database), refusing a foreign or newer one."""
        self._comprobar_version(version)
        if version < ESQUEMA:
            with self.escritura():
                # Another process may have migrated while we waited for the lock.
                version = self.version()
                self._comprobar_version(version)
                if version < ESQUEMA:
                    self._migrar(version, reloj_inicial, modo_inicial)
                    self.creada = version == 0

    def _comprobar_tablas(self) -> None:
        """A table dropped by hand is refused when the file opens, not halfway through a command."""
        presentes = set(self._tablas_ajenas())
        faltan = [tabla for tabla in TABLAS if tabla not in presentes]
        if faltan:
            nombres = ", ".join(f"«{t}»" for t in faltan)
            cuales = "le falta la tabla" if len(faltan) == 1 else "le faltan las tablas"
            raise BaseInutilizable(
                f"A «{self.ruta}» {cuales} {nombres}: no se puede usar. Restaura una instantánea "
                "(«resolucion instantanea restaurar NOMBRE») o crea otra base con «resolucion init --db OTRA_RUTA»."
            )

    def _en_wal(self) -> None:
        """WAL, so readers never wait for a writer: a copy made with VACUUM INTO, or a file
        another tool switched, goes back to it the first time it is opened where it can be written."""
        if self.conexion.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            return
        try:
            self.conexion.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as error:
            if _codigo(error) not in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
                raise  # a file that cannot be written is still read as it is

    def _migrar(self, desde: int, reloj_inicial: datetime, modo_inicial: ModoReloj) -> None:
        import sqlite_utils

        db = sqlite_utils.Database(self.conexion)
        for numero, migracion in enumerate(MIGRACIONES[desde:], start=desde + 1):
            migracion(db)
            if numero == 1:
                self.conexion.execute(
                    "INSERT INTO reloj (id, ahora, modo) VALUES (1, ?, ?)",
                    [iso(reloj_inicial), str(modo_inicial)],
                )
        self.conexion.execute(f"PRAGMA user_version = {ESQUEMA}")

    # --- transactions ---------------------------------------------------------------

    @contextmanager
    def escritura(self) -> Iterator[None]:
        """Take the write lock before reading what is checked (BEGIN IMMEDIATE).

        Inside another transaction (a whole data file loaded at once) it becomes a
        savepoint, so a use case can run alone or as one step of a bigger all-or-nothing.
        """
        if self.conexion.in_transaction:
            self.conexion.execute("SAVEPOINT paso")
            try:
                yield
            except BaseException:
                self.conexion.execute("ROLLBACK TO paso")
                self.conexion.execute("RELEASE paso")
                raise
            self.conexion.execute("RELEASE paso")
            return
        self.conexion.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conexion.execute("ROLLBACK")
            raise
        # A signal (Ctrl-C, SIGTERM) can land between any two lines here. Raised only after
        # COMMIT, the flag would miss a commit interrupted on its way back, and the user would
        # be told "nothing changed" about a change that is in the file (a retry duplicates it).
        # Raised before, and corrected from SQLite's own state when COMMIT does not return,
        # it is right either way: a COMMIT that SQLite refused saved nothing, and after a
        # signal, a transaction still open means the COMMIT had not run.
        self.guardado = True
        try:
            self.conexion.execute("COMMIT")
        except sqlite3.Error:
            self.guardado = False
            raise
        except BaseException:
            self.guardado = not self.conexion.in_transaction
            raise

    @contextmanager
    def sin_comprobar_claves(self) -> Iterator[None]:
        """Around a transaction (SQLite ignores the switch inside one) whose every reference names
        a row read in that same transaction, under the write lock: firing deadlines refers only
        to the request, its order, their parties and «sistema», so the checks could not fail,
        and they cost a lookup per reference on every event and message written. `verificar`
        still checks the whole file (`foreign_key_check`)."""
        self.conexion.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            self.conexion.execute("PRAGMA foreign_keys = ON")

    @contextmanager
    def simulacion(self) -> Iterator[None]:
        """Like `escritura`, but everything done inside is undone at the end."""
        self.conexion.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            self.conexion.execute("ROLLBACK")

    @contextmanager
    def lectura(self) -> Iterator[None]:
        """A consistent snapshot for a read command (no lock held against writers)."""
        if self.conexion.in_transaction:
            yield
            return
        self.conexion.execute("BEGIN")
        try:
            yield
        finally:
            self.conexion.execute("COMMIT")

    # --- whole-file copies (instantaneas) ---------------------------------------------

    def copiar_en(self, destino: Path) -> None:
        """Write the whole database into the new file `destino`, consistent even while other
        terminals write: SQLite's online backup copies every page in one step (`pages=-1`), inside
        one read transaction, so it sees one committed state and never half of a write."""
        copia = sqlite3.connect(destino, isolation_level=None)
        try:
            self.conexion.backup(copia, pages=-1)
            # One self-contained file: in WAL mode, opening it would leave -wal/-shm files beside it.
            copia.execute("PRAGMA journal_mode = DELETE")
        finally:
            copia.close()

    def sustituir_por(self, origen: "Almacen") -> None:
        """Replace everything in this database by `origen`'s content, atomically.

        Why SQLite's backup *into* the live file rather than ATTACH plus DELETE/INSERT of every
        table, or a rename over the file: the backup writes into the live file through its own
        pager, as one write transaction that takes the WAL write lock (waiting, like any writer,
        up to the busy timeout). So a writer in another terminal either commits before it, and is
        overwritten whole, or after it, on top of the restored content — never in between. The file
        keeps its path and inode, so the connections other terminals hold open simply see a new
        commit: their `PRAGMA data_version` changes and `--seguir` screens redraw; the backup also
        bumps the schema cookie, so they reload the schema. A rename would leave them reading the
        old, unlinked file; copying table by table would have to know every table, the sequence
        and `user_version` of each schema version, and would be slower. Checked in WAL mode with
        other connections open (tests/test_instantanea.py).
        """
        tamanos = {c.execute("PRAGMA page_size").fetchone()[0] for c in (origen.conexion, self.conexion)}
        if len(tamanos) != 1:
            # A WAL database cannot change its page size: SQLite would refuse as "read-only".
            raise BaseInutilizable(
                f"La instantánea usa otro tamaño de página que «{self.ruta}», y SQLite no puede restaurarla "
                "sobre una base en modo WAL: no se ha cambiado nada."
            )
        cookie = self._cookie()

        def progreso(estado: int, _quedan: int, _total: int) -> None:
            # Python's backup retries a busy destination for ever; after the busy timeout the
            # restore ends like any command that waited too long for the lock.
            if estado in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
                raise bloqueo()

        try:
            origen.conexion.backup(self.conexion, pages=-1, progress=progreso)
        except BaseException:
            # A signal can land after the backup committed: a successful backup always bumps the
            # schema cookie, so it tells whether the content was replaced (SPEC §7).
            try:
                self.guardado = self._cookie() != cookie
            except sqlite3.Error:
                pass
            raise
        self.guardado = True

    def _cookie(self) -> int:
        return self.conexion.execute("PRAGMA schema_version").fetchone()[0]

    # --- clock ----------------------------------------------------------------------

    def reloj(self) -> tuple[datetime, ModoReloj]:
        fila = self.conexion.execute("SELECT ahora, modo FROM reloj WHERE id = 1").fetchone()
        if fila is None:
            raise ilegible("la tabla reloj sin su fila")
        try:
            return desde_iso(fila["ahora"]), ModoReloj(fila["modo"])
        except (ValueError, TypeError):
            raise ilegible(f"un reloj «{limpiar(str(fila['ahora']))}» en modo «{limpiar(str(fila['modo']))}»") from None

    def guardar_reloj(self, ahora: datetime) -> None:
        self.conexion.execute("UPDATE reloj SET ahora = ? WHERE id = 1", [iso(ahora)])

    # --- rule set -----------------------------------------------------------------------

    def politica(self) -> tuple[str, dict[str, int]]:
        """The rule set new requests open under, and its deadline overrides in seconds."""
        import json

        fila = self.conexion.execute("SELECT nombre, plazos FROM politica WHERE id = 1").fetchone()
        if fila is None:
            raise ilegible("la tabla politica sin su fila")
        try:
            plazos = json.loads(fila["plazos"])
        except (ValueError, TypeError):
            raise ilegible(f"unos plazos «{limpiar(str(fila['plazos']))}» en la tabla politica") from None
        if fila["nombre"] not in POLITICAS or not isinstance(plazos, dict):
            raise ilegible(f"unas reglas «{limpiar(str(fila['nombre']))}» en la tabla politica")
        return fila["nombre"], plazos

    def guardar_politica(self, nombre: str, plazos: dict[str, int]) -> None:
        import json

        self.conexion.execute(
            "UPDATE politica SET nombre = ?, plazos = ? WHERE id = 1", [nombre, json.dumps(plazos, sort_keys=True)]
        )

    # --- reading ----------------------------------------------------------------------

    def pedido(self, id: int) -> Pedido | None:
        fila = self.conexion.execute("SELECT * FROM pedidos WHERE id = ?", [id]).fetchone()
        return _pedido(fila) if fila else None

    def disputa(self, id: int) -> Disputa | None:
        fila = self.conexion.execute("SELECT * FROM disputas WHERE id = ?", [id]).fetchone()
        return _disputa(fila) if fila else None

    def disputa_abierta(self, pedido: int) -> Disputa | None:
        fila = self.conexion.execute(
            "SELECT * FROM disputas WHERE pedido = ? AND estado = 'abierta'", [pedido]
        ).fetchone()
        return _disputa(fila) if fila else None

    def disputas_de(self, pedido: int) -> list[Disputa]:
        filas = self.conexion.execute("SELECT * FROM disputas WHERE pedido = ? ORDER BY id", [pedido])
        return [_disputa(f) for f in filas]

    def eventos_de(self, pedido: int) -> list[Evento]:
        filas = self.conexion.execute("SELECT * FROM eventos WHERE pedido = ? ORDER BY id", [pedido])
        return [_evento(f) for f in filas]

    def mensajes_de(self, pedido: int) -> list[Mensaje]:
        """Every message of the order, both ways, oldest first."""
        filas = self.conexion.execute("SELECT * FROM mensajes WHERE pedido = ? ORDER BY en, id", [pedido])
        return [_mensaje(f) for f in filas]

    def mensajes_para(self, usuario: str) -> list[Mensaje]:
        filas = self.conexion.execute("SELECT * FROM mensajes WHERE para = ? ORDER BY id", [usuario])
        return [_mensaje(f) for f in filas]

    def extras_aceptados(self, pedido: int) -> int:
        """What the extras accepted on the order added to its price, in cents."""
        return self.conexion.execute(
            "SELECT coalesce(sum(extras_centavos), 0) FROM disputas "
            "WHERE pedido = ? AND tipo = 'extras' AND estado = 'aceptada'",
            [pedido],
        ).fetchone()[0]

    def usuario_existe(self, usuario: str) -> bool:
        return self.conexion.execute("SELECT 1 FROM usuarios WHERE usuario = ?", [usuario]).fetchone() is not None

    def hay_vencidas(self, hasta: datetime) -> bool:
        momento = iso(hasta)
        return (
            self.conexion.execute(
                "SELECT 1 FROM disputas WHERE estado = 'abierta' AND vence_en <= ? "
                f"UNION ALL SELECT 1 FROM pedidos WHERE {POR_COMPLETAR} "
                "AND completar_en <= ? LIMIT 1",
                [momento, momento],
            ).fetchone()
            is not None
        )

    def contar_vencidas(self, hasta: datetime) -> int:
        """How many deadlines fall due by `hasta` (open requests and automatic completions)."""
        momento = [iso(hasta)]
        solicitudes = "SELECT count(*) FROM disputas WHERE estado = 'abierta' AND vence_en <= ?"
        entregas = f"SELECT count(*) FROM pedidos WHERE {POR_COMPLETAR} AND completar_en <= ?"
        return sum(self.conexion.execute(consulta, momento).fetchone()[0] for consulta in (solicitudes, entregas))

    def proximo_vencimiento(self) -> datetime | None:
        fila = self.conexion.execute(
            "SELECT vence_en FROM disputas WHERE estado = 'abierta' ORDER BY vence_en, id LIMIT 1"
        ).fetchone()
        return desde_iso(fila[0]) if fila else None

    def vencidas(self, hasta: datetime, lote: int) -> list[tuple]:
        """The first `lote` open requests due by `hasta`, soonest first, as plain rows of the
        columns `VENCIDA` names: most are fired from these alone, without building objects.

        Called again once a batch is processed (and so no longer open), it gives the next:
        memory stays flat however many requests fall due, and no row is read twice.
        """
        cursor = self.conexion.cursor()
        cursor.row_factory = None
        consulta = (
            f"SELECT {_VENCIDA_SQL} FROM disputas d JOIN pedidos p ON p.id = d.pedido "
            "WHERE d.estado = 'abierta' AND d.vence_en <= ? ORDER BY d.vence_en, d.id LIMIT ?"
        )
        return cursor.execute(consulta, [iso(hasta), lote]).fetchall()

    def con_pedido(self, ids: list[int]) -> dict[int, tuple[Pedido, Disputa]]:
        """The requests named, each with its order, as objects (those `reglas` decides one by one)."""
        if not ids:
            return {}
        columnas_disputa = ", ".join(f"d.{c} AS d_{c}" for c in _COLUMNAS[Disputa])
        consulta = (
            f"SELECT p.*, {columnas_disputa} FROM disputas d JOIN pedidos p ON p.id = d.pedido "
            f"WHERE d.id IN ({', '.join('?' for _ in ids)})"
        )
        pares = ((_pedido(fila), _disputa(fila, "d_")) for fila in self.conexion.execute(consulta, ids))
        return {disputa.id: (pedido, disputa) for pedido, disputa in pares}

    def por_completar(self, hasta: datetime, lote: int) -> list[Pedido]:
        """Delivered orders whose automatic completion falls by `hasta`, soonest first."""
        filas = self.conexion.execute(
            f"SELECT * FROM pedidos WHERE {POR_COMPLETAR} AND completar_en <= ? ORDER BY completar_en, id LIMIT ?",
            [iso(hasta), lote],
        ).fetchall()
        return [_pedido(f) for f in filas]

    def pedidos(self, usuario: str | None, estado: str | None, limite: int) -> list[Pedido]:
        donde, parametros = _donde_pedidos(usuario, estado)
        filas = self.conexion.execute(f"SELECT * FROM pedidos {donde} ORDER BY id LIMIT ?", [*parametros, limite])
        return [_pedido(f) for f in filas]

    def _contar(self, consulta: str, parametros: list, hasta: int | None) -> int:
        """How many rows `consulta` gives, counting no further than `hasta`: a list that only
        says there are more than that needs no more, and counting a million reads them all."""
        if hasta is not None:
            consulta, parametros = f"{consulta} LIMIT ?", [*parametros, hasta]
        return self.conexion.execute(f"SELECT count(*) FROM ({consulta}) AS contadas", parametros).fetchone()[0]

    def contar_pedidos(self, usuario: str | None, estado: str | None, hasta: int | None = None) -> int:
        """How many orders `pedidos` would give without its limit (up to `hasta`)."""
        donde, parametros = _donde_pedidos(usuario, estado)
        return self._contar(f"SELECT 1 FROM pedidos {donde}", parametros, hasta)

    def disputas(self, usuario: str | None, pedido: int | None, abiertas: bool, limite: int) -> list[Disputa]:
        donde, parametros = _donde_disputas(usuario, pedido, abiertas)
        filas = self.conexion.execute(f"SELECT * FROM disputas {donde} ORDER BY id LIMIT ?", [*parametros, limite])
        return [_disputa(f) for f in filas]

    def contar_disputas(self, usuario: str | None, pedido: int | None, abiertas: bool, hasta: int | None = None) -> int:
        """How many requests `disputas` would give without its limit (up to `hasta`)."""
        donde, parametros = _donde_disputas(usuario, pedido, abiertas)
        return self._contar(f"SELECT 1 FROM disputas {donde}", parametros, hasta)

    def plazos_pendientes(self, responde: str | None, limite: int) -> list[Plazo]:
        """Open requests, owed deliveries and deliveries awaiting the client, soonest first;
        with `responde`, only those that user must meet."""
        plazos = []
        for tabla, ids, tipo, vence, quien, condicion in _FUENTES_DE_PLAZOS:
            filtro = f"AND {quien} = ?" if responde else ""
            filas = self.conexion.execute(
                f"SELECT {ids}, {tipo}, {vence}, {quien} FROM {tabla} WHERE {condicion} {filtro} "
                f"ORDER BY {vence}, id LIMIT ?",
                [*([responde] if responde else []), limite],
            )
            plazos += [Plazo(f[0], f[1], f[2], desde_iso(f[3]), f[4]) for f in filas]
        plazos.sort(key=lambda p: (p.vence_en, p.pedido, p.disputa is None))
        return plazos[:limite]

    def contar_plazos(self, responde: str | None, hasta: int | None = None) -> int:
        """How many deadlines `plazos_pendientes` would give without its limit (up to `hasta`)."""
        total = 0
        for tabla, _, _, _, quien, condicion in _FUENTES_DE_PLAZOS:
            filtro = f"AND {quien} = ?" if responde else ""
            consulta = f"SELECT 1 FROM {tabla} WHERE {condicion} {filtro}"
            total += self._contar(consulta, [responde] if responde else [], hasta)
        return total if hasta is None else min(total, hasta)

    # --- writing ----------------------------------------------------------------------

    def asegurar_usuarios(self, usuarios: list[str], ahora: datetime) -> None:
        self.conexion.executemany(
            "INSERT OR IGNORE INTO usuarios (usuario, creado_en) VALUES (?, ?)",
            [(u, iso(ahora)) for u in usuarios],
        )

    def insertar_pedido(self, pedido: Pedido) -> int:
        return self._insertar("pedidos", pedido)

    def actualizar_pedido(self, pedido: Pedido) -> None:
        self.actualizar_pedidos([pedido])

    def actualizar_pedidos(self, pedidos: list[Pedido]) -> None:
        self.conexion.executemany(
            "UPDATE pedidos SET estado = ?, estado_anterior = ?, precio_centavos = ?, fecha_entrega = ?, "
            "completar_en = ?, reembolso_centavos = ? WHERE id = ?",
            [
                (
                    str(p.estado),
                    str(p.estado_anterior) if p.estado_anterior else None,
                    p.precio_centavos,
                    iso(p.fecha_entrega),
                    iso(p.completar_en) if p.completar_en else None,
                    p.reembolso_centavos,
                    p.id,
                )
                for p in pedidos
            ],
        )

    def insertar_disputa(self, disputa: Disputa) -> int:
        return self._insertar("disputas", disputa)

    def actualizar_disputas(self, disputas: list[Disputa]) -> None:
        self.conexion.executemany(
            "UPDATE disputas SET estado = ?, respuesta = ?, resuelta_en = ?, resuelta_por = ? WHERE id = ?",
            [
                (str(d.estado), d.respuesta, iso(d.resuelta_en) if d.resuelta_en else None, d.resuelta_por, d.id)
                for d in disputas
            ],
        )

    def insertar_eventos(self, eventos: list[Evento]) -> None:
        self._insertar_muchos(eventos)

    def insertar_mensajes(self, mensajes: list[Mensaje]) -> None:
        self._insertar_muchos(mensajes)

    def insertar_mensaje(self, mensaje: Mensaje) -> int:
        return self._insertar("mensajes", mensaje)

    def aplicar(self, pedidos: list[Pedido], disputas: list[Disputa], eventos: list[Evento], mensajes: list[Mensaje]):
        """Write what decisions changed, one statement per table for the whole batch."""
        self.actualizar_pedidos(pedidos)
        self.actualizar_disputas([d for d in disputas if d is not None])
        self.insertar_eventos(eventos)
        self.insertar_mensajes(mensajes)

    def actualizar(self, tabla: str, columnas: tuple[str, ...], filas: list) -> None:
        """Set only `columnas` of each row; a row gives their values, then its id."""
        # Table and column names come from our own dataclasses, never from user input.
        asignaciones = ", ".join(f"{columna} = ?" for columna in columnas)
        self.conexion.executemany(f"UPDATE {tabla} SET {asignaciones} WHERE id = ?", filas)

    def insertar_en_bloque(self, clase, filas: list) -> None:
        """Insert rows of events or messages already in the order of `a_fila`."""
        if filas:
            self.conexion.executemany(self._sql_insertar(_TABLA_DE[clase], clase), filas)

    def problemas(self, tz: tzinfo = UTC, progreso=None) -> list[str]:
        """Every broken invariant, as Spanish sentences (empty when the file is sound), with the
        instants they quote written in `tz`; `progreso` (a `Progreso`) sees each check."""
        return list(_problemas(self, tz, progreso))

    def vaciar_diario(self) -> None:
        """Fold the WAL back into the file and cut it to nothing (after a bulk load)."""
        self.conexion.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def insertar_filas(self, tabla: str, columnas: tuple[str, ...], filas: list[tuple]) -> None:
        """Bulk insert for `generar`; `tabla` and `columnas` are our own constants."""
        marcas = ", ".join("?" for _ in columnas)
        self.conexion.executemany(f"INSERT INTO {tabla} ({', '.join(columnas)}) VALUES ({marcas})", filas)

    def siguientes_ids(self) -> tuple[int, int]:
        """The next order and request ids, for rows built outside the usual inserts."""
        pedido = self.conexion.execute("SELECT coalesce(max(id), 0) + 1 FROM pedidos").fetchone()[0]
        disputa = self.conexion.execute("SELECT coalesce(max(id), 0) + 1 FROM disputas").fetchone()[0]
        return pedido, disputa

    def _sql_insertar(self, tabla: str, clase) -> str:
        # Table and column names come from our own dataclasses, never from user input.
        columnas = COLUMNAS_FILA[clase]
        return f"INSERT INTO {tabla} ({', '.join(columnas)}) VALUES ({', '.join('?' for _ in columnas)})"

    def _insertar(self, tabla: str, objeto) -> int:
        """Insert one object; the database assigns its id."""
        return self.conexion.execute(self._sql_insertar(tabla, type(objeto)), a_fila(objeto)).lastrowid

    def _insertar_muchos(self, objetos: list) -> None:
        if objetos:
            self.insertar_en_bloque(type(objetos[0]), [a_fila(o) for o in objetos])


# --- integrity ------------------------------------------------------------------------

# Each invariant of SPEC §1–§4 as a query that returns one row per violation; the row's
# columns fill the Spanish sentence. `:reloj` is the stored clock.


# The rule sets a request or the database may name, as SQL literals.
_CONOCIDAS = ", ".join(f"'{nombre}'" for nombre in POLITICAS)
_TIPOS = ", ".join(f"'{tipo}'" for tipo in TipoDisputa)
# Each type with the rule sets that offer it: a request opened under one that does not is forged.
_REGLAS_DE_TIPO = {
    tipo: ", ".join(f"'{p.nombre}'" for p in POLITICAS.values() if tipo in p.tipos) for tipo in TipoDisputa
}
_TIPO_SIN_SUS_REGLAS = " OR ".join(
    f"(tipo = '{tipo}' AND politica NOT IN ({reglas}))" for tipo, reglas in _REGLAS_DE_TIPO.items()
)
INVARIANTES = (
    (
        "El pedido #{0} está en controversia pero tiene {1} solicitudes abiertas (debe tener exactamente una).",
        "SELECT p.id, (SELECT count(*) FROM disputas d WHERE d.pedido = p.id AND d.estado = 'abierta') AS n "
        "FROM pedidos p WHERE p.estado = 'en_controversia' AND n != 1",
    ),
    (
        "El pedido #{0} está «{1}» pero tiene una solicitud abierta (#{2}).",
        "SELECT p.id, p.estado, d.id FROM disputas d JOIN pedidos p ON p.id = d.pedido "
        "WHERE d.estado = 'abierta' AND p.estado != 'en_controversia'",
    ),
    (
        "La solicitud #{0} sigue abierta aunque su plazo venció el {1} (el reloj marca {2}).",
        "SELECT id, vence_en, :reloj FROM disputas WHERE estado = 'abierta' AND vence_en <= :reloj",
    ),
    (
        "La solicitud #{0} está «{1}» pero le falta cuándo o quién la cerró.",
        "SELECT id, estado FROM disputas WHERE estado != 'abierta' AND (resuelta_en IS NULL OR resuelta_por IS NULL)",
    ),
    (
        "La solicitud #{0} está abierta pero tiene fecha o autor de cierre.",
        "SELECT id FROM disputas WHERE estado = 'abierta' AND (resuelta_en IS NOT NULL OR resuelta_por IS NOT NULL)",
    ),
    (
        "La solicitud #{0} se cerró ({1}) fuera de su intervalo: creada {2}, reloj {3}.",
        "SELECT id, resuelta_en, creada_en, :reloj FROM disputas "
        "WHERE resuelta_en IS NOT NULL AND (resuelta_en < creada_en OR resuelta_en > :reloj)",
    ),
    (
        "La solicitud #{0} venció el {1}, antes de su plazo ({2}).",
        "SELECT id, resuelta_en, vence_en FROM disputas WHERE estado = 'vencida' AND resuelta_en != vence_en",
    ),
    (
        "La solicitud #{0} vence antes de abrirse (creada {1}, vence {2}).",
        "SELECT id, creada_en, vence_en FROM disputas WHERE vence_en <= creada_en",
    ),
    (
        "La solicitud #{0} dice haberse abierto con un conjunto de reglas desconocido («{1}»).",
        f"SELECT id, politica FROM disputas WHERE politica NOT IN ({_CONOCIDAS})",
    ),
    (
        "La tabla politica debe tener una sola fila, con reglas conocidas y plazos en JSON (tiene «{0}», «{1}»).",
        "SELECT nombre, plazos FROM politica WHERE (SELECT count(*) FROM politica) != 1 "
        f"OR nombre NOT IN ({_CONOCIDAS}) OR NOT json_valid(plazos) OR json_type(plazos) != 'object'",
    ),
    (
        "La solicitud #{0} no la abrió una parte de su pedido con el rol que dice, o no va a la otra parte.",
        "SELECT d.id FROM disputas d JOIN pedidos p ON p.id = d.pedido WHERE NOT ("
        "(d.rol = 'cliente' AND d.abierta_por = p.cliente AND d.destinatario = p.freelancer) OR "
        "(d.rol = 'freelancer' AND d.abierta_por = p.freelancer AND d.destinatario = p.cliente))",
    ),
    (
        "La solicitud #{0} es de tipo «{1}», que un {2} no puede abrir.",
        "SELECT id, tipo, rol FROM disputas WHERE (rol = 'cliente' AND tipo NOT IN ('actualizacion', 'cancelacion')) "
        "OR (rol = 'freelancer' AND tipo NOT IN ('cancelacion', 'prorroga', 'extras', 'reembolso_parcial'))",
    ),
    (
        "La solicitud #{0} es de tipo «{1}», que sus reglas («{2}») no tienen.",
        f"SELECT id, tipo, politica FROM disputas WHERE politica IN ({_CONOCIDAS}) AND ({_TIPO_SIN_SUS_REGLAS})",
    ),
    (
        "El pedido #{0} está cancelado pero ni una solicitud de cancelación aceptada o vencida ni el cliente "
        "por retraso lo cancelaron.",
        "SELECT p.id FROM pedidos p WHERE p.estado = 'cancelado' AND NOT EXISTS (SELECT 1 FROM disputas d "
        "WHERE d.pedido = p.id AND d.tipo = 'cancelacion' AND d.estado IN ('aceptada', 'vencida')) "
        "AND NOT EXISTS (SELECT 1 FROM eventos e WHERE e.pedido = p.id AND e.hecho = 'pedido_cancelado_por_retraso')",
    ),
    (
        "El pedido #{0} dice haber devuelto {1} céntimos, pero no está completado con una solicitud de "
        "reembolso parcial aceptada por ese importe.",
        "SELECT p.id, p.reembolso_centavos FROM pedidos p WHERE p.reembolso_centavos IS NOT NULL AND "
        "(p.estado != 'completado' OR NOT EXISTS (SELECT 1 FROM disputas d WHERE d.pedido = p.id AND "
        "d.tipo = 'reembolso_parcial' AND d.estado = 'aceptada' AND d.reembolso_centavos = p.reembolso_centavos))",
    ),
    (
        "La solicitud #{0} es un reembolso parcial aceptado, pero su pedido no registra el reembolso.",
        "SELECT d.id FROM disputas d JOIN pedidos p ON p.id = d.pedido WHERE d.tipo = 'reembolso_parcial' "
        "AND d.estado = 'aceptada' AND p.reembolso_centavos IS NOT d.reembolso_centavos",
    ),
    (
        "El pedido #{0} tiene un estado desconocido («{1}») o un estado anterior que no corresponde («{2}»).",
        "SELECT id, estado, estado_anterior FROM pedidos WHERE "
        "estado NOT IN ('activo', 'entregado', 'en_controversia', 'completado', 'cancelado') OR "
        "(estado = 'en_controversia' AND coalesce(estado_anterior, '') NOT IN ('activo', 'entregado')) OR "
        "(estado != 'en_controversia' AND estado_anterior IS NOT NULL)",
    ),
    (
        "La solicitud #{0} tiene un tipo o un estado desconocido («{1}», «{2}»).",
        "SELECT id, tipo, estado FROM disputas WHERE "
        f"tipo NOT IN ({_TIPOS}) OR "
        "estado NOT IN ('abierta', 'respondida', 'aceptada', 'rechazada', 'revocada', 'vencida')",
    ),
    (
        "El evento #{0} del pedido #{1} ({2}) es anterior al evento que lo precede ({3}).",
        "SELECT id, pedido, en, previo FROM (SELECT id, pedido, en, "
        "lag(en) OVER (PARTITION BY pedido ORDER BY id) AS previo FROM eventos) WHERE en < previo",
    ),
    (
        "El pedido #{0} tiene un precio no válido ({1}): debe ser un entero de céntimos mayor que 0.",
        "SELECT id, precio_centavos FROM pedidos WHERE typeof(precio_centavos) != 'integer' OR precio_centavos <= 0",
    ),
    (
        "La solicitud #{0} ofrece extras por un importe no válido ({1}).",
        "SELECT id, extras_centavos FROM disputas WHERE tipo = 'extras' AND "
        "(typeof(extras_centavos) != 'integer' OR extras_centavos <= 0)",
    ),
    (
        "La solicitud #{0} ofrece un reembolso parcial por un importe no válido ({1}): debe ser un entero "
        f"de al menos {REEMBOLSO_MINIMO} céntimos.",
        "SELECT id, reembolso_centavos FROM disputas WHERE tipo = 'reembolso_parcial' AND "
        f"(typeof(reembolso_centavos) != 'integer' OR reembolso_centavos < {REEMBOLSO_MINIMO})",
    ),
    (
        "El pedido #{0} tiene una fecha mal formada: {1}.",
        f"SELECT id, fecha_entrega || ' / ' || creado_en FROM pedidos WHERE NOT {_fecha_bien('fecha_entrega')} "
        f"OR NOT {_fecha_bien('creado_en')} OR (completar_en IS NOT NULL AND NOT {_fecha_bien('completar_en')})",
    ),
    (
        "La solicitud #{0} tiene una fecha mal formada.",
        f"SELECT id FROM disputas WHERE NOT {_fecha_bien('creada_en')} OR NOT {_fecha_bien('vence_en')} "
        f"OR (resuelta_en IS NOT NULL AND NOT {_fecha_bien('resuelta_en')}) "
        f"OR (nueva_fecha_entrega IS NOT NULL AND NOT {_fecha_bien('nueva_fecha_entrega')})",
    ),
    (
        "El pedido #{0} tiene al mismo usuario ({1}) como cliente y como freelancer.",
        "SELECT id, cliente FROM pedidos WHERE cliente = freelancer",
    ),
    *(
        (
            f"{que} #{{0}} del pedido #{{1}} no dice qué pasó: un hecho desconocido («{{2}}»), unos datos "
            "que no son JSON, o ni hecho ni texto.",
            f"SELECT id, pedido, coalesce(hecho, '') FROM {tabla} WHERE CASE WHEN hecho IS NULL THEN {texto} = '' "
            f"ELSE hecho NOT IN ({', '.join(repr(str(h)) for h in Hecho)}) OR NOT json_valid(coalesce(datos, '')) END",
        )
        for que, tabla, texto in (("El evento", "eventos", "detalle"), ("El mensaje", "mensajes", "texto"))
    ),
)
_INSTANTE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# Past this many, a problem is summarised: a broken file can have millions.
MAX_EJEMPLOS = 20


def _legible_si_instante(valor, tz: tzinfo):
    """A stored instant as the reader reads it; anything else (a malformed date too) as it is."""
    if isinstance(valor, str) and _INSTANTE.fullmatch(valor):
        try:
            return legible(desde_iso(valor), tz)
        except ValueError:
            pass
    return valor


def _problemas(almacen: "Almacen", tz: tzinfo, progreso=None) -> Iterator[str]:
    conexion = almacen.conexion
    avanzar = progreso.avanzar if progreso is not None else lambda _cuantos: None
    if progreso is not None:
        progreso.empezar("Comprobando la base", 3 + len(INVARIANTES))
    integridad = [fila[0] for fila in conexion.execute("PRAGMA integrity_check")]
    avanzar(1)
    if integridad != ["ok"]:
        yield from (f"SQLite encuentra el archivo dañado: {linea}" for linea in integridad[:MAX_EJEMPLOS])
        return
    for fila in conexion.execute("PRAGMA foreign_key_check"):
        yield f"La tabla {fila[0]} (fila {fila[1]}) apunta a una fila de {fila[2]} que no existe."
    avanzar(1)
    relojes = conexion.execute("SELECT ahora, modo FROM reloj").fetchall()
    avanzar(1)
    if len(relojes) != 1 or relojes[0][1] not in ("simulado", "real"):
        yield "La tabla reloj debe tener exactamente una fila con modo «simulado» o «real»."
        return
    reloj = relojes[0][0]
    for plantilla, consulta in INVARIANTES:
        filas = conexion.execute(consulta, {"reloj": reloj}).fetchmany(MAX_EJEMPLOS + 1)
        for fila in filas[:MAX_EJEMPLOS]:
            yield plantilla.format(*(_legible_si_instante(valor, tz) for valor in fila))
        if len(filas) > MAX_EJEMPLOS:
            yield f"(y más casos como el anterior: se muestran solo los {MAX_EJEMPLOS} primeros)"
        avanzar(1)


# --- rows <-> model -------------------------------------------------------------------


def _politica_conocida(nombre: str) -> str:
    """A request's rule set must be one this version knows: it decides how the request ends."""
    if nombre not in POLITICAS:
        raise KeyError(nombre)
    return nombre


def _entero(valor) -> int:
    """A number of cents, days or rows as stored; anything else was edited by hand."""
    if type(valor) is not int:
        raise ValueError(valor)
    return valor


_COLUMNAS = {clase: tuple(f.name for f in fields(clase)) for clase in (Pedido, Disputa, Evento, Mensaje)}
# The columns `a_fila` gives, in its order: every field but the id the database assigns.
COLUMNAS_FILA = {clase: tuple(c for c in columnas if c != "id") for clase, columnas in _COLUMNAS.items()}
# Integer columns hold whatever a hand edit put there (SQLite keeps 'abc' in an INTEGER column):
# each is checked as it is read, so such a file is refused instead of failing later in a sum.
_ENTEROS = {
    clase: {f.name: _entero for f in fields(clase) if f.type in (int, int | None, "int", "int | None")}
    for clase in _COLUMNAS
}
_ENUMS = {
    Pedido: {**_ENTEROS[Pedido], "estado": EstadoPedido, "estado_anterior": EstadoPedido},
    Disputa: {
        **_ENTEROS[Disputa],
        "estado": EstadoDisputa,
        "tipo": TipoDisputa,
        "rol": Rol,
        "politica": _politica_conocida,
    },
    Evento: {**_ENTEROS[Evento], "hecho": Hecho, "datos": json.loads},
    Mensaje: {**_ENTEROS[Mensaje], "hecho": Hecho, "datos": json.loads},
}


# The `datos` column: compact JSON, Spanish letters as they are (one encoder, reused).
datos_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _al_guardar(campo) -> object:
    """How a field's value is stored: instants as ISO text, enums as plain text, data as JSON."""
    tipos = get_args(campo.type) or (campo.type,)
    if any(t is datetime for t in tipos):
        return iso
    if dict in tipos:
        return datos_json
    if any(isinstance(t, type) and issubclass(t, str) and t is not str for t in tipos):
        return str  # a StrEnum
    return None


@cache
def _plan_de_escritura(clase) -> tuple[attrgetter, tuple[tuple[int, object], ...]]:
    """For one class: a getter of its columns' values, and the position and converter of each
    value that is not stored as it is — worked out once: `generar` and a tick write rows by the
    hundred thousand."""
    por_nombre = {campo.name: campo for campo in fields(clase)}
    nombres = COLUMNAS_FILA[clase]
    convertir = ((i, _al_guardar(por_nombre[nombre])) for i, nombre in enumerate(nombres))
    return attrgetter(*nombres), tuple((i, c) for i, c in convertir if c is not None)


def a_fila(objeto) -> tuple:
    """An object's values but its id, in the order of `COLUMNAS_FILA`, as SQLite stores them."""
    leer, convertir = _plan_de_escritura(type(objeto))
    fila = list(leer(objeto))
    for i, convertidor in convertir:
        if fila[i] is not None:
            fila[i] = convertidor(fila[i])
    return tuple(fila)


@lru_cache(maxsize=64)
def _plan_de_lectura(clase, claves: tuple[str, ...], prefijo: str) -> tuple[tuple[str, int, object], ...]:
    """For rows with these columns: each field's name, column index and converter (or None).

    Worked out once per query shape instead of once per row: a tick reads thousands of rows.
    """
    posiciones = {columna: i for i, columna in enumerate(claves)}
    plan = []
    for nombre in _COLUMNAS[clase]:
        if prefijo + nombre in posiciones:
            convertir = desde_iso if nombre in _CAMPOS_FECHA else _ENUMS[clase].get(nombre)
            plan.append((nombre, posiciones[prefijo + nombre], convertir))
    return tuple(plan)


_TABLA_DE = {Pedido: "pedidos", Disputa: "disputas", Evento: "eventos", Mensaje: "mensajes"}


def ilegible(que: str) -> BaseInutilizable:
    """A value edited by hand that resolucion cannot read: the file is refused as it is."""
    return BaseInutilizable(
        f"La base de datos tiene {que}, que resolucion no reconoce (¿se editó a mano?): "
        "no se ha cambiado nada; «resolucion verificar» lista cada problema."
    )


def _desde_fila(clase, fila: sqlite3.Row, prefijo: str = "") -> object:
    valores = {}
    for nombre, i, convertir in _plan_de_lectura(clase, tuple(fila.keys()), prefijo):
        valor = fila[i]
        try:
            valores[nombre] = convertir(valor) if convertir is not None and valor is not None else valor
        except (ValueError, TypeError, KeyError):  # json.JSONDecodeError is a ValueError
            raise ilegible(f"«{limpiar(str(valor))}» en la columna «{nombre}» de {_TABLA_DE[clase]}") from None
    return clase(**valores)


def _pedido(fila: sqlite3.Row) -> Pedido:
    return _desde_fila(Pedido, fila)


def _disputa(fila: sqlite3.Row, prefijo: str = "") -> Disputa:
    return _desde_fila(Disputa, fila, prefijo)


def _evento(fila: sqlite3.Row) -> Evento:
    return _desde_fila(Evento, fila)


def _mensaje(fila: sqlite3.Row) -> Mensaje:
    return _desde_fila(Mensaje, fila)
