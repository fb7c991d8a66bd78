"""The JSON objects of SPEC §6 as the CLI tests expect them, and small helpers shared by those tests."""

from datetime import datetime, timedelta

from tests.conftest import T0, T0_ISO

# --- the JSON objects of SPEC §6 -------------------------------------------------------

CLAVES_PEDIDO = {
    "id",
    "titulo",
    "cliente",
    "freelancer",
    "estado",
    "estado_etiqueta",
    "precio_centavos",
    "fecha_entrega",
    "atrasado",
    "creado_en",
    "reembolso_centavos",  # what an accepted partial refund gave back (issue 13)
}
CLAVES_DISPUTA = {
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
    "reembolso_centavos",  # the partial refund offered (`--tipo reembolso_parcial`)
    "politica",  # the rule set it was opened under (`init --politica`)
}
CLAVES_EVENTO = {"en", "actor", "tipo", "detalle"}
CLAVES_MENSAJE = {"id", "pedido", "disputa", "de", "para", "texto", "en"}
CLAVES_PLAZO = {"pedido", "disputa", "tipo", "vence_en", "responde"}
CLAVES_TICK = {"reloj_anterior", "reloj", "simulado", "procesados", "pendientes"}
CLAVES_PROCESADO = {"disputa", "pedido", "tipo", "vence_en", "resultado"}
CLAVES_INIT = {"db", "reloj", "modo_reloj", "version_esquema", "politica"}
CLAVES_VER = {"reloj", "pedido", "disputas", "eventos", "plazos"}

ETIQUETAS = {
    "activo": "Activo",
    "entregado": "Entregado",
    "en_controversia": "En controversia",
    "completado": "Completado",
    "cancelado": "Cancelado de mutuo acuerdo",
}


def t(**delta) -> str:
    """T0 shifted by `delta`, as the JSON writes times."""
    return (T0 + timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


def pedido_esperado(
    id=1,
    titulo="Logo",
    cliente="ana",
    freelancer="beto",
    estado="activo",
    precio=10000,
    entrega=None,
    atrasado=False,
    creado=T0_ISO,
    reembolso=None,
) -> dict:
    return {
        "id": id,
        "titulo": titulo,
        "cliente": cliente,
        "freelancer": freelancer,
        "estado": estado,
        "estado_etiqueta": ETIQUETAS[estado],
        "precio_centavos": precio,
        "fecha_entrega": entrega or t(days=7),
        "atrasado": atrasado,
        "creado_en": creado,
        "reembolso_centavos": reembolso,
    }


def disputa_esperada(
    id, pedido, tipo, abierta_por, rol, destinatario, creada=T0_ISO, horas=None, estado="abierta", **resto
) -> dict:
    horas = horas if horas is not None else (48 if tipo in ("actualizacion", "cancelacion") else 96)
    creada_dt = datetime.fromisoformat(creada.replace("Z", "+00:00"))
    objeto = {
        "id": id,
        "pedido": pedido,
        "tipo": tipo,
        "estado": estado,
        "abierta_por": abierta_por,
        "rol": rol,
        "destinatario": destinatario,
        "motivo": None,
        "comentario": None,
        "respuesta": None,
        "creada_en": creada,
        "vence_en": (creada_dt + timedelta(hours=horas)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "resuelta_en": None,
        "resuelta_por": None,
        "nueva_fecha_entrega": None,
        "extras_centavos": None,
        "extras_descripcion": None,
        "extras_dias": None,
        "reembolso_centavos": None,
        "politica": "clasica",
    }
    assert set(resto) <= CLAVES_DISPUTA, resto
    objeto.update(resto)
    return objeto


def foto(cli, *pedidos) -> dict:
    """Everything a refused write could have touched, as the read commands show it."""
    return {
        "pedidos": cli.ok("pedido", "listar")["pedidos"],
        "ver": [cli.ok("pedido", "ver", p) for p in pedidos],
        "disputas": cli.ok("disputa", "listar")["disputas"],
        "bandeja_ana": cli.ok("bandeja", "--como", "ana")["mensajes"],
        "bandeja_beto": cli.ok("bandeja", "--como", "beto")["mensajes"],
    }


def una_linea_de_error(r) -> str:
    """A human error: stdout empty, one Spanish line on stderr starting with "Error:"."""
    assert r.out == "", r
    assert r.err.startswith("Error: "), r
    assert r.err.count("\n") == 1 and r.err.endswith("\n"), r
    assert "Traceback" not in r.err, r
    return r.err
