"""`resolucion tablero`: the database in Datasette, read-only, with Spanish titles and two canned queries.

The metadata is built here, from the schema's own names (`almacen.TABLAS`, `almacen.VISTAS`);
the views of schema v5 are the contract with Datasette, so no table is read twice.
"""

from pathlib import Path

from .almacen import TABLAS, VISTAS

TITULO = "Centro de resoluciones"

# What a column means, once for every table or view that has it; a table's own meaning wins.
_COLUMNAS = {
    "id": "Número de la fila.",
    "pedido": "Número del pedido.",
    "titulo": "Título del pedido.",
    "solicitud": "Número de la solicitud (vacío si el plazo es de una entrega).",
    "disputa": "Número de la solicitud a la que se refiere (si se refiere a una).",
    "tipo": "Tipo, tal como se guarda.",
    "tipo_etiqueta": "Tipo, en español.",
    "estado": "Estado, tal como se guarda.",
    "estado_etiqueta": "Estado, en español.",
    "responde": "Quién debe actuar antes de que venza el plazo.",
    "vence_en": "Cuándo vence el plazo (UTC).",
    "vencido": "1 si el reloj de la base ya pasó el plazo y «resolucion tick» aún no lo procesó.",
    "cliente": "Usuario del cliente.",
    "freelancer": "Usuario del freelancer.",
    "usuario": "Nombre de usuario.",
    "creado_en": "Cuándo se creó (UTC).",
    "creada_en": "Cuándo se abrió (UTC).",
    "en": "Cuándo pasó (UTC).",
    "actor": "Quién lo hizo («sistema» para los vencimientos).",
    "hecho": "Qué pasó, tal como se guarda.",
    "datos": "Los datos del hecho (JSON: usuarios, importes e instantes en UTC).",
    "detalle": "La frase guardada por versiones anteriores (vacía desde el esquema v4).",
    "texto": "Lo que escribió una persona, o la frase guardada por versiones anteriores.",
    "de": "Quién lo envía.",
    "para": "A quién va dirigido.",
    "rol": "Papel de quien abrió la solicitud (cliente o freelancer).",
    "rol_etiqueta": "Papel de quien abrió la solicitud, en español.",
    "abierta_por": "Quién abrió la solicitud.",
    "destinatario": "Quién debe responder la solicitud.",
    "motivo": "Motivo elegido al pedir una cancelación.",
    "comentario": "Comentario de quien abrió la solicitud.",
    "respuesta": "Comentario o actualización de quien respondió.",
    "resuelta_en": "Cuándo se cerró la solicitud (UTC).",
    "resuelta_por": "Quién la cerró («sistema» si venció).",
    "nueva_fecha_entrega": "Fecha de entrega propuesta por una prórroga (UTC).",
    "extras_centavos": "Importe de los extras ofrecidos, en céntimos.",
    "extras_descripcion": "Qué incluyen los extras.",
    "extras_dias": "Días de plazo que añaden los extras.",
    "reembolso_centavos": "Reembolso parcial en céntimos: el que ofrece la solicitud, o el que el pedido devolvió.",
    "pedido_reembolso_centavos": "Reembolso parcial que el pedido devolvió al cliente, en céntimos.",
    "politica": "Reglas con las que se abrió la solicitud.",
    "precio_centavos": "Precio en céntimos.",
    "fecha_entrega": "Fecha de entrega acordada (UTC).",
    "estado_anterior": "Estado al que vuelve el pedido cuando termina su solicitud abierta.",
    "completar_en": "Cuándo se completa solo un pedido entregado sin respuesta del cliente (UTC).",
    "ahora": "La hora del reloj de la base (UTC).",
    "modo": "simulado (solo avanza con tick) o real.",
    "nombre": "Nombre de las reglas vigentes.",
    "plazos": "Plazos cambiados con «init --plazo» (JSON, en segundos).",
}

# Each table and view: its title, its description, and the columns that mean something else there.
_TABLAS = {
    "vista_plazos_pendientes": (
        "Plazos pendientes",
        "Lo que alguien debe hacer y antes de cuándo: responder una solicitud abierta, entregar un "
        "pedido o aceptar una entrega. El más próximo primero.",
        {"tipo": "Qué hay que hacer: un tipo de solicitud, «entrega» o «aceptar_entrega»."},
    ),
    "vista_solicitudes": (
        "Solicitudes",
        "Cada solicitud del Centro de resoluciones con el título de su pedido y sus estados en español.",
        {
            "id": "Número de la solicitud.",
            "pedido_estado": "Estado del pedido ahora, tal como se guarda.",
            "pedido_estado_etiqueta": "Estado del pedido ahora, en español.",
        },
    ),
    "vista_historial": (
        "Historial",
        "La historia de cada pedido: sus eventos y sus mensajes por orden (a la misma hora, primero "
        "los eventos). Filtra por pedido para ver uno.",
        {
            "clase": "evento o mensaje.",
            "id": "Número del evento o del mensaje.",
            "que": "Qué pasó, en español.",
            "actor": "Quién lo hizo o lo envió.",
            "para": "A quién iba el mensaje (vacío para un evento).",
        },
    ),
    "pedidos": ("Pedidos", "Los pedidos: quién encarga a quién, por cuánto y para cuándo.", {}),
    "disputas": ("Solicitudes (tabla)", "Las solicitudes tal como se guardan; más legibles en «Solicitudes».", {}),
    "eventos": ("Eventos", "Lo que pasó en cada pedido, como hechos; más legible en «Historial».", {}),
    "mensajes": ("Mensajes", "La bandeja de cada usuario: avisos y mensajes.", {"id": "Número del mensaje."}),
    "usuarios": ("Usuarios", "Cada usuario que ha aparecido en un pedido, y «sistema».", {}),
    "reloj": ("Reloj", "El reloj de la base: una sola fila.", {}),
    "politica": ("Reglas", "Las reglas vigentes para lo que se abra o entregue desde ahora.", {}),
}

_HOY = "strftime('%Y-%m-%dT%H:%M:%SZ', (SELECT ahora FROM reloj WHERE id = 1), '+1 day')"
CONSULTAS = {
    "quien_debe_actuar": {
        "title": "¿Quién debe actuar?",
        "description": "Cada persona con algo pendiente: cuántos plazos tiene, el más próximo y cuántos "
        "ya vencieron (los procesa «resolucion tick»).",
        "sql": 'SELECT responde AS "Quién debe actuar", count(*) AS "Plazos", min(vence_en) AS '
        '"El más próximo vence", sum(vencido) AS "Ya vencidos" FROM vista_plazos_pendientes '
        "GROUP BY responde ORDER BY min(vence_en), responde",
    },
    "plazos_de_hoy": {
        "title": "Plazos de hoy",
        "description": "Los plazos que vencen en las próximas 24 horas según el reloj de la base, y los "
        "que ya vencieron sin procesar.",
        "sql": 'SELECT pedido AS "Pedido", titulo AS "Título", solicitud AS "Solicitud", tipo_etiqueta AS '
        '"Qué", responde AS "Quién debe actuar", vence_en AS "Vence (UTC)", vencido AS "Vencido" '
        f"FROM vista_plazos_pendientes WHERE vence_en <= {_HOY} ORDER BY vence_en, pedido",
    },
}


def metadatos(nombre_base: str, columnas: dict[str, list[str]]) -> dict:
    """Datasette's metadata for the database `nombre_base`, whose tables and views have `columnas`."""
    tablas = {}
    for tabla in (*VISTAS, *TABLAS):
        titulo, descripcion, propias = _TABLAS[tabla]
        tablas[tabla] = {
            "title": titulo,
            "description": descripcion,
            "columns": {c: propias.get(c) or _COLUMNAS.get(c, "") for c in columnas.get(tabla, [])},
        }
    return {
        "title": TITULO,
        "description": "El marketplace de la clase, de solo lectura: se actualiza al recargar la página.",
        "databases": {
            nombre_base: {
                "title": TITULO,
                "description": "Empieza por «¿Quién debe actuar?», «Plazos de hoy» o las vistas.",
                "tables": tablas,
                "queries": CONSULTAS,
            }
        },
    }


def columnas(conexion) -> dict[str, list[str]]:
    """The columns of every table and view, as SQLite reports them."""
    return {
        tabla: [fila[1] for fila in conexion.execute(f"PRAGMA table_info({tabla})")] for tabla in (*VISTAS, *TABLAS)
    }


def servir(ruta: Path, puerto: int, columnas: dict[str, list[str]], avisar) -> None:
    """Serve `ruta` with Datasette on 127.0.0.1:`puerto` until Ctrl-C.

    The file is live (other terminals write to it), so it is opened as a mutable database, whose
    queries Datasette runs on read-only connections; `immutable` would promise it never changes.
    The socket is bound here, to the loopback address only, before anything else starts: a busy
    port is refused at once, and nothing can make the server listen elsewhere."""
    import socket

    import uvicorn
    from datasette.app import Datasette

    from .errores import EntradaInvalida

    enchufe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    enchufe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        enchufe.bind(("127.0.0.1", puerto))
    except OSError:
        enchufe.close()
        raise EntradaInvalida(f"El puerto {puerto} ya está en uso: elige otro con --puerto.") from None
    # Datasette names a database after its file's stem.
    nombre = ruta.stem
    datasette = Datasette([str(ruta)], metadata=metadatos(nombre, columnas), settings={"default_page_size": 50})
    avisar(f"http://127.0.0.1:{puerto}{datasette.urls.database(nombre)}")
    configuracion = uvicorn.Config(datasette.app(), log_level="warning", lifespan="on")
    uvicorn.Server(configuracion).run(sockets=[enchufe])
