"""The `resolucion` command through its CLI: exit codes, whole JSON objects, human output.

Every test drives the Typer app in-process on a fresh database whose clock starts at
T0 (2026-03-02T09:00:00Z, simulated, zone UTC); a few run the installed command.
"""

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import T0, T0_ISO, Cli
from typer.testing import CliRunner

from resolucion_cli.cli import app
from resolucion_cli.errores import Terminado

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


# --- init ------------------------------------------------------------------------------


def test_init_on_a_new_file_reports_the_whole_init_object(tmp_path):
    otra = Cli(tmp_path / "nueva.db")
    data = otra.ok("init", "--reloj", "2026-05-01T10:30:00Z")
    assert data == {
        "db": str((tmp_path / "nueva.db").resolve()),
        "reloj": "2026-05-01T10:30:00Z",
        "modo_reloj": "simulado",
        "version_esquema": data["version_esquema"],
        "politica": "clasica",
    }
    assert isinstance(data["version_esquema"], int) and data["version_esquema"] >= 1
    assert (tmp_path / "nueva.db").exists()


def test_init_real_mode_is_reported_and_kept(tmp_path):
    otra = Cli(tmp_path / "real.db")
    data = otra.ok("init", "--reloj", "2099-01-01T00:00:00Z", "--modo-reloj", "real")
    assert set(data) == CLAVES_INIT
    assert data["modo_reloj"] == "real"
    assert data["reloj"] == "2099-01-01T00:00:00Z"
    assert otra.ok("init")["modo_reloj"] == "real"


def test_init_again_keeps_the_moved_clock_and_the_data(cli):
    cli.pedido()
    cli.ok("tick", "--avanzar", "1d")
    data = cli.ok("init")
    assert data["reloj"] == t(days=1)
    assert data["modo_reloj"] == "simulado"
    assert [p["id"] for p in cli.ok("pedido", "listar")["pedidos"]] == [1]


def test_init_with_another_clock_on_an_existing_database_is_bad_input_and_changes_nothing(cli):
    cli.pedido()
    antes = foto(cli, 1)
    r = cli.fails(2, "init", "--reloj", "2026-04-01T00:00:00Z")
    assert "resolucion tick --at" in r.error["mensaje"]
    assert "resolucion init --db OTRA_RUTA --reloj FECHA" in r.error["mensaje"]  # how to start over
    assert "resolucion instantanea restaurar NOMBRE" in r.error["mensaje"]  # or rewind (SPEC §5)
    r = cli.fails(2, "init", "--modo-reloj", "real")
    assert "resolucion init --db OTRA_RUTA --modo-reloj MODO" in r.error["mensaje"]
    assert "resolucion instantanea restaurar NOMBRE" in r.error["mensaje"]
    assert foto(cli, 1) == antes
    assert cli.ok("tick")["reloj"] == T0_ISO


def test_init_with_the_same_instant_written_in_another_zone_is_accepted(cli):
    assert cli.ok("init", "--reloj", "2026-03-02T10:00:00+01:00")["reloj"] == T0_ISO


def test_init_with_an_unknown_clock_mode_is_bad_input(tmp_path):
    otra = Cli(tmp_path / "modo.db")
    otra.fails(2, "init", "--modo-reloj", "lento")


# --- pedido crear ----------------------------------------------------------------------


def test_creating_an_order_returns_the_whole_order(cli):
    data = cli.ok(
        "pedido", "crear", "--cliente", "ana", "--freelancer", "beto",
        "--titulo", "Logo", "--precio", "100", "--entrega", "7d",
    )  # fmt: skip
    assert data == {"pedido": pedido_esperado()}


@pytest.mark.parametrize(
    ("precio", "centavos"),
    [("120", 12000), ("120.5", 12050), ("120,50", 12050), ("0.01", 1), ("  99,9 ", 9990)],
)
def test_prices_in_every_accepted_form_become_cents(cli, precio, centavos):
    assert cli.pedido(precio=precio)["precio_centavos"] == centavos


@pytest.mark.parametrize(
    ("entrega", "esperada"),
    [
        ("48h", t(hours=48)),
        ("1d12h", t(hours=36)),
        ("P2DT3H", t(hours=51)),
        ("1w", t(days=7)),
        ("90m", t(minutes=90)),
        ("2026-03-10", "2026-03-10T00:00:00Z"),
        ("2026-03-10T18:30", "2026-03-10T18:30:00Z"),
        ("2026-03-10 18:30", "2026-03-10T18:30:00Z"),
        ("2026-03-10T18:30:00+02:00", "2026-03-10T16:30:00Z"),
        ("2026-03-10T18:30Z", "2026-03-10T18:30:00Z"),
    ],
)
def test_delivery_takes_a_duration_from_the_clock_or_an_iso_date(cli, entrega, esperada):
    assert cli.pedido(entrega=entrega)["fecha_entrega"] == esperada


@pytest.mark.parametrize("falta", ["--cliente", "--freelancer", "--titulo", "--precio", "--entrega"])
def test_each_required_option_of_pedido_crear_is_named_when_missing(cli, falta):
    opciones = {
        "--cliente": "ana",
        "--freelancer": "beto",
        "--titulo": "Logo",
        "--precio": "100",
        "--entrega": "7d",
    }
    del opciones[falta]
    argumentos = [x for par in opciones.items() for x in par]
    r = cli.fails(2, "pedido", "crear", *argumentos)
    assert falta in r.error["mensaje"]
    assert cli.ok("pedido", "listar") == {"pedidos": []}


@pytest.mark.parametrize("precio", ["0", "0,00", "1.234", "abc", "-5", "12,345", "1e3", ""])
def test_a_bad_price_is_bad_input_and_creates_nothing(cli, precio):
    cli.fails(2, "pedido", "crear", "--cliente", "ana", "--freelancer", "beto",
              "--titulo", "Logo", "--precio", precio, "--entrega", "7d")  # fmt: skip
    assert cli.ok("pedido", "listar") == {"pedidos": []}


@pytest.mark.parametrize(
    ("opcion", "valor"),
    [
        ("--cliente", "Ana"),
        ("--freelancer", "BETO"),
        ("--cliente", "a"),
        ("--cliente", "ana maria"),
        ("--freelancer", "sistema"),
        ("--titulo", ""),
        ("--titulo", "x" * 121),
        ("--entrega", "mañana"),
        ("--entrega", "2026-02-30"),
        ("--entrega", "P1M"),
        ("--entrega", "2026-03-01"),
    ],
)
def test_a_bad_order_field_is_bad_input_and_creates_nothing(cli, opcion, valor):
    opciones = {
        "--cliente": "ana",
        "--freelancer": "beto",
        "--titulo": "Logo",
        "--precio": "100",
        "--entrega": "7d",
        opcion: valor,
    }
    cli.fails(2, "pedido", "crear", *[x for par in opciones.items() for x in par])
    assert cli.ok("pedido", "listar") == {"pedidos": []}


def test_a_capitalised_handle_is_refused_not_folded(cli):
    r = cli.fails(2, "pedido", "crear", "--cliente", "Ana", "--freelancer", "beto",
                  "--titulo", "Logo", "--precio", "1", "--entrega", "7d")  # fmt: skip
    assert "Ana" in r.error["mensaje"]
    p = cli.pedido()
    cli.fails(2, "pedido", "entregar", p["id"], "--como", "Beto")
    assert cli.ok("pedido", "ver", p["id"])["pedido"]["estado"] == "activo"


def test_the_same_user_on_both_sides_is_bad_input(cli):
    r = cli.fails(2, "pedido", "crear", "--cliente", "ana", "--freelancer", "ana",
                  "--titulo", "Logo", "--precio", "1", "--entrega", "7d")  # fmt: skip
    assert "ana" in r.error["mensaje"]
    assert cli.ok("pedido", "listar") == {"pedidos": []}


def test_a_title_of_exactly_120_characters_is_accepted(cli):
    assert cli.pedido(titulo="x" * 120)["titulo"] == "x" * 120


# --- pedido listar / ver / entregar / completar ----------------------------------------


def test_listing_orders_gives_whole_orders_by_id_and_filters_by_user_state_and_limit(cli):
    cli.pedido()
    cli.pedido(cliente="carla", freelancer="dario", titulo="Web", precio="250", entrega="3d")
    cli.pedido(cliente="beto", freelancer="carla", titulo="App")
    cli.ok("pedido", "entregar", 3, "--como", "carla")
    todos = cli.ok("pedido", "listar")
    assert todos == {
        "pedidos": [
            pedido_esperado(),
            pedido_esperado(2, "Web", "carla", "dario", precio=25000, entrega=t(days=3)),
            pedido_esperado(3, "App", "beto", "carla", estado="entregado"),
        ]
    }
    assert [p["id"] for p in cli.ok("pedido", "listar", "--como", "beto")["pedidos"]] == [1, 3]
    assert [p["id"] for p in cli.ok("pedido", "listar", "--estado", "entregado")["pedidos"]] == [3]
    assert [p["id"] for p in cli.ok("pedido", "listar", "--limite", "2")["pedidos"]] == [1, 2]
    assert cli.ok("pedido", "listar", "--como", "zoe") == {"pedidos": []}


@pytest.mark.parametrize("args", [("--estado", "pendiente"), ("--limite", "0"), ("--limite", "dos")])
def test_listing_orders_with_a_bad_filter_is_bad_input(cli, args):
    cli.fails(2, "pedido", "listar", *args)


def test_viewing_an_order_gives_the_whole_view_object(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "actualizacion", "--comentario", "¿Cómo va?")
    data = cli.ok("pedido", "ver", 1)
    assert set(data) == CLAVES_VER
    assert data["reloj"] == T0_ISO
    assert data["pedido"] == pedido_esperado(estado="en_controversia")
    assert data["disputas"] == [
        disputa_esperada(d["id"], 1, "actualizacion", "ana", "cliente", "beto", comentario="¿Cómo va?")
    ]
    assert data["plazos"] == [
        {"pedido": 1, "disputa": d["id"], "tipo": "actualizacion", "vence_en": t(hours=48), "responde": "beto"},
        {"pedido": 1, "disputa": None, "tipo": "entrega", "vence_en": t(days=7), "responde": "beto"},
    ]
    assert len(data["eventos"]) == 2
    for evento in data["eventos"]:
        assert set(evento) == CLAVES_EVENTO
        assert evento["en"] == T0_ISO and evento["actor"] == "ana"
        assert isinstance(evento["tipo"], str) and evento["detalle"]


def test_a_party_may_view_the_order_with_como(cli):
    cli.pedido()
    assert cli.ok("pedido", "ver", 1, "--como", "beto")["pedido"] == pedido_esperado()


def test_delivering_and_completing_return_the_whole_order(cli):
    cli.pedido()
    assert cli.ok("pedido", "entregar", 1, "--como", "beto") == {"pedido": pedido_esperado(estado="entregado")}
    assert cli.ok("pedido", "completar", 1, "--como", "ana") == {"pedido": pedido_esperado(estado="completado")}
    assert cli.ok("pedido", "ver", 1)["plazos"] == []


def test_a_delivered_order_owes_no_delivery_deadline(cli):
    cli.pedido()
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    assert cli.ok("pedido", "ver", 1)["plazos"] == []
    assert cli.ok("tick")["pendientes"] == []


def test_an_order_is_late_at_its_delivery_date_also_while_in_dispute(cli):
    cli.pedido(entrega="1d")
    cli.ok("tick", "--avanzar", "23h59m")
    assert cli.ok("pedido", "ver", 1)["pedido"]["atrasado"] is False
    cli.ok("tick", "--avanzar", "1m")
    assert cli.ok("pedido", "ver", 1)["pedido"]["atrasado"] is True
    cli.abrir(1, "ana", "actualizacion")
    assert cli.ok("pedido", "ver", 1)["pedido"]["atrasado"] is True
    # a late delivery is still a pending deadline
    entregas = [p for p in cli.ok("tick")["pendientes"] if p["tipo"] == "entrega"]
    assert entregas == [{"pedido": 1, "disputa": None, "tipo": "entrega", "vence_en": t(days=1), "responde": "beto"}]


def test_delivering_twice_or_completing_an_active_order_is_refused_by_a_rule(cli):
    cli.pedido()
    cli.fails(1, "pedido", "completar", 1, "--como", "ana")
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    antes = foto(cli, 1)
    cli.fails(1, "pedido", "entregar", 1, "--como", "beto")
    assert foto(cli, 1) == antes


def test_an_order_in_dispute_cannot_be_delivered(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    antes = foto(cli, 1)
    cli.fails(1, "pedido", "entregar", 1, "--como", "beto")
    assert foto(cli, 1) == antes


def test_only_the_freelancer_delivers_and_only_the_client_completes(cli):
    cli.pedido()
    cli.fails(4, "pedido", "entregar", 1, "--como", "ana")
    cli.fails(4, "pedido", "entregar", 1, "--como", "carla")
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    antes = foto(cli, 1)
    cli.fails(4, "pedido", "completar", 1, "--como", "beto")
    cli.fails(4, "pedido", "completar", 1, "--como", "carla")
    assert foto(cli, 1) == antes


@pytest.mark.parametrize(
    "args",
    [
        ("pedido", "ver", "999"),
        ("pedido", "entregar", "999", "--como", "beto"),
        ("pedido", "completar", "999", "--como", "ana"),
        ("disputa", "abrir", "999", "--como", "ana", "--tipo", "actualizacion"),
        ("disputa", "listar", "--pedido", "999"),
        ("disputa", "responder", "999", "--como", "beto", "--aceptar"),
        ("disputa", "revocar", "999", "--como", "ana"),
    ],
)
def test_unknown_orders_and_requests_are_not_found(cli, args):
    cli.pedido()
    r = cli.fails(3, *args)
    assert "999" in r.error["mensaje"]


@pytest.mark.parametrize("id", ["0", "-1", "tres", "1.5"])
def test_an_order_number_that_is_not_a_positive_integer_is_bad_input(cli, id):
    cli.fails(2, "pedido", "ver", id)


def test_a_non_party_cannot_view_an_order_with_como(cli):
    cli.pedido()
    r = cli.fails(4, "pedido", "ver", 1, "--como", "carla")
    assert "carla" in r.error["mensaje"]


@pytest.mark.parametrize(
    "args",
    [
        ("pedido", "entregar", "1"),
        ("pedido", "completar", "1"),
        ("disputa", "abrir", "1", "--tipo", "actualizacion"),
        ("disputa", "responder", "1", "--aceptar"),
        ("disputa", "revocar", "1"),
        ("bandeja",),
    ],
)
def test_commands_that_act_for_a_party_need_como(cli, args):
    cli.pedido()
    antes = foto(cli, 1)
    r = cli.fails(2, *args)
    assert "--como" in r.error["mensaje"]
    assert foto(cli, 1) == antes


# --- disputa abrir ---------------------------------------------------------------------


def test_a_client_update_request_returns_the_whole_request_and_order(cli):
    cli.pedido()
    data = cli.ok("disputa", "abrir", 1, "--como", "ana", "--tipo", "actualizacion")
    assert data == {
        "disputa": disputa_esperada(1, 1, "actualizacion", "ana", "cliente", "beto"),
        "pedido": pedido_esperado(estado="en_controversia"),
    }


def test_a_freelancer_cancellation_carries_its_reason_and_optional_comment(cli):
    cli.pedido()
    data = cli.ok("disputa", "abrir", 1, "--como", "beto", "--tipo", "cancelacion", "--motivo", "fuera_de_alcance")
    assert data["disputa"] == disputa_esperada(
        1, 1, "cancelacion", "beto", "freelancer", "ana", motivo="fuera_de_alcance"
    )


def test_the_other_reason_needs_a_comment(cli):
    cli.pedido()
    cli.fails(2, "disputa", "abrir", 1, "--como", "beto", "--tipo", "cancelacion", "--motivo", "otro")
    d = cli.abrir(1, "beto", "cancelacion", "--motivo", "otro", "--comentario", "Me mudo")
    assert (d["motivo"], d["comentario"]) == ("otro", "Me mudo")


def test_an_unknown_reason_is_bad_input(cli):
    cli.pedido()
    cli.fails(2, "disputa", "abrir", 1, "--como", "beto", "--tipo", "cancelacion", "--motivo", "aburrido")
    assert cli.ok("pedido", "ver", 1)["disputas"] == []


def test_an_extension_request_returns_the_whole_request(cli):
    cli.pedido()
    data = cli.ok("disputa", "abrir", 1, "--como", "beto", "--tipo", "prorroga", "--nueva-entrega", t(days=10))
    assert data == {
        "disputa": disputa_esperada(1, 1, "prorroga", "beto", "freelancer", "ana", nueva_fecha_entrega=t(days=10)),
        "pedido": pedido_esperado(estado="en_controversia"),
    }


def test_an_extension_must_be_later_than_the_current_delivery_date(cli):
    cli.pedido()
    cli.fails(2, "disputa", "abrir", 1, "--como", "beto", "--tipo", "prorroga", "--nueva-entrega", t(days=7))
    cli.fails(2, "disputa", "abrir", 1, "--como", "beto", "--tipo", "prorroga")
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == "activo"


def test_an_extras_offer_returns_the_whole_request_and_acceptance_adds_days_and_price(cli):
    cli.pedido()
    data = cli.ok(
        "disputa", "abrir", 1, "--como", "beto", "--tipo", "extras",
        "--extras-precio", "25,50", "--extras-descripcion", "Versión vectorial", "--extras-dias", "3",
    )  # fmt: skip
    assert data["disputa"] == disputa_esperada(
        1, 1, "extras", "beto", "freelancer", "ana",
        extras_centavos=2550, extras_descripcion="Versión vectorial", extras_dias=3,
    )  # fmt: skip
    r = cli.ok("disputa", "responder", 1, "--como", "ana", "--aceptar")
    assert r["pedido"] == pedido_esperado(precio=12550, entrega=t(days=10))


@pytest.mark.parametrize(
    "extra",
    [
        ("--extras-descripcion", "Más"),
        ("--extras-precio", "10"),
        ("--extras-precio", "0", "--extras-descripcion", "Más"),
        ("--extras-precio", "10", "--extras-descripcion", "Más", "--extras-dias", "0"),
        ("--extras-precio", "10", "--extras-descripcion", "Más", "--extras-dias", "x"),
    ],
)
def test_an_incomplete_or_bad_extras_offer_is_bad_input(cli, extra):
    cli.pedido()
    antes = foto(cli, 1)
    cli.fails(2, "disputa", "abrir", 1, "--como", "beto", "--tipo", "extras", *extra)
    assert foto(cli, 1) == antes


def test_opening_a_request_without_tipo_or_with_an_unknown_tipo_is_bad_input(cli):
    cli.pedido()
    r = cli.fails(2, "disputa", "abrir", 1, "--como", "ana")
    assert "--tipo" in r.error["mensaje"]
    cli.fails(2, "disputa", "abrir", 1, "--como", "ana", "--tipo", "reembolso")
    assert cli.ok("pedido", "ver", 1)["disputas"] == []


@pytest.mark.parametrize("comentario", ["", "   "])
def test_a_client_cancellation_needs_a_non_empty_comment(cli, comentario):
    cli.pedido()
    antes = foto(cli, 1)
    r = cli.fails(2, "disputa", "abrir", 1, "--como", "ana", "--tipo", "cancelacion", "--comentario", comentario)
    assert "--comentario" in r.error["mensaje"]
    assert foto(cli, 1) == antes


def test_a_comment_of_2000_characters_is_accepted_and_2001_is_bad_input(cli):
    cli.pedido()
    cli.pedido()
    antes = foto(cli, 1)
    cli.fails(2, "disputa", "abrir", 1, "--como", "ana", "--tipo", "cancelacion", "--comentario", "a" * 2001)
    assert foto(cli, 1) == antes
    d = cli.abrir(2, "ana", "cancelacion", "--comentario", "a" * 2000)
    assert d["comentario"] == "a" * 2000


def test_an_empty_optional_comment_is_no_comment(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "actualizacion", "--comentario", "  ")
    assert d["comentario"] is None
    r = cli.ok("disputa", "revocar", d["id"], "--como", "ana", "--comentario", "")
    assert r["disputa"]["estado"] == "revocada"


def test_the_opening_comment_reaches_the_other_party_only(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    mensajes = cli.ok("bandeja", "--como", "beto")["mensajes"]
    assert len(mensajes) == 1
    m = mensajes[0]
    assert set(m) == CLAVES_MENSAJE
    assert (m["pedido"], m["disputa"], m["de"], m["para"], m["en"]) == (1, d["id"], "ana", "beto", T0_ISO)
    assert isinstance(m["id"], int)
    assert "Ya no lo necesito" in m["texto"]
    assert cli.ok("bandeja", "--como", "ana") == {"mensajes": []}


@pytest.mark.parametrize(
    ("como", "tipo", "extra"),
    [
        ("carla", "actualizacion", ()),
        ("beto", "actualizacion", ()),
        ("ana", "prorroga", ("--nueva-entrega", t(days=10))),
        ("ana", "extras", ("--extras-precio", "5", "--extras-descripcion", "Más")),
    ],
)
def test_a_non_party_or_a_role_without_that_type_is_not_allowed_to_open(cli, como, tipo, extra):
    cli.pedido()
    antes = foto(cli, 1)
    cli.fails(4, "disputa", "abrir", 1, "--como", como, "--tipo", tipo, *extra)
    assert foto(cli, 1) == antes


def test_an_order_with_an_open_request_refuses_a_second_one(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    antes = foto(cli, 1)
    cli.fails(1, "disputa", "abrir", 1, "--como", "beto", "--tipo", "cancelacion", "--motivo", "otro",
              "--comentario", "x")  # fmt: skip
    cli.fails(1, "disputa", "abrir", 1, "--como", "ana", "--tipo", "actualizacion")
    assert foto(cli, 1) == antes


def test_a_completed_order_sends_the_user_to_customer_support(cli):
    cli.pedido()
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    cli.ok("pedido", "completar", 1, "--como", "ana")
    antes = foto(cli, 1)
    r = cli.fails(1, "disputa", "abrir", 1, "--como", "beto", "--tipo", "cancelacion", "--motivo", "cliente_lo_pidio")
    assert "Atención al cliente" in r.error["mensaje"]
    r = cli.run("disputa", "abrir", 1, "--como", "ana", "--tipo", "actualizacion")
    assert r.code == 1
    assert "Atención al cliente" in una_linea_de_error(r)
    assert foto(cli, 1) == antes


def test_a_cancelled_order_cannot_use_the_resolution_center(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "cancelacion", "--comentario", "Adiós")
    cli.ok("disputa", "responder", d["id"], "--como", "beto", "--aceptar")
    antes = foto(cli, 1)
    cli.fails(1, "disputa", "abrir", 1, "--como", "ana", "--tipo", "actualizacion")
    assert foto(cli, 1) == antes


@pytest.mark.parametrize(
    ("como", "tipo", "extra"),
    [
        ("ana", "cancelacion", ("--comentario", "x", "--motivo", "otro")),
        ("ana", "actualizacion", ("--motivo", "otro")),
        ("beto", "extras", ("--extras-precio", "5", "--extras-descripcion", "x", "--nueva-entrega", t(days=9))),
        ("beto", "prorroga", ("--nueva-entrega", t(days=9), "--extras-precio", "5")),
        ("ana", "actualizacion", ("--nueva-entrega", t(days=9))),
    ],
)
def test_an_option_that_does_not_fit_the_type_is_bad_input(cli, como, tipo, extra):
    cli.pedido()
    antes = foto(cli, 1)
    cli.fails(2, "disputa", "abrir", 1, "--como", como, "--tipo", tipo, *extra)
    assert foto(cli, 1) == antes


# --- disputa responder / revocar -------------------------------------------------------


def test_answering_an_update_returns_the_whole_request_and_the_text_reaches_the_opener(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    cli.ok("tick", "--avanzar", "2h")
    data = cli.ok("disputa", "responder", 1, "--como", "beto", "--actualizacion", "Voy al 80 %")
    assert data == {
        "disputa": disputa_esperada(
            1, 1, "actualizacion", "ana", "cliente", "beto",
            estado="respondida", respuesta="Voy al 80 %", resuelta_en=t(hours=2), resuelta_por="beto",
        ),
        "pedido": pedido_esperado(),
    }  # fmt: skip
    ultimo = cli.ok("bandeja", "--como", "ana")["mensajes"][-1]
    assert (ultimo["de"], ultimo["para"], ultimo["disputa"], ultimo["en"]) == ("beto", "ana", 1, t(hours=2))
    assert "Voy al 80 %" in ultimo["texto"]


def test_rejecting_with_a_comment_makes_it_the_answer_and_restores_the_previous_state(cli):
    cli.pedido()
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    cli.abrir(1, "ana", "cancelacion", "--comentario", "No me gusta")
    data = cli.ok("disputa", "responder", 1, "--como", "beto", "--rechazar", "--comentario", "Lo corrijo")
    assert data["disputa"]["estado"] == "rechazada"
    assert data["disputa"]["respuesta"] == "Lo corrijo"
    assert data["disputa"]["resuelta_por"] == "beto"
    assert data["pedido"] == pedido_esperado(estado="entregado")
    assert "Lo corrijo" in cli.ok("bandeja", "--como", "ana")["mensajes"][-1]["texto"]


def test_accepting_an_extension_moves_the_delivery_date_and_rejecting_keeps_it(cli):
    cli.pedido()
    cli.pedido()
    cli.abrir(1, "beto", "prorroga", "--nueva-entrega", t(days=9))
    cli.abrir(2, "beto", "prorroga", "--nueva-entrega", t(days=9))
    assert cli.ok("disputa", "responder", 1, "--como", "ana", "--aceptar")["pedido"]["fecha_entrega"] == t(days=9)
    assert cli.ok("disputa", "responder", 2, "--como", "ana", "--rechazar")["pedido"] == pedido_esperado(2)


def test_revoking_returns_the_whole_request_and_the_comment_reaches_the_other_party(cli):
    cli.pedido()
    cli.abrir(1, "beto", "extras", "--extras-precio", "5", "--extras-descripcion", "Más")
    data = cli.ok("disputa", "revocar", 1, "--como", "beto", "--comentario", "Me equivoqué")
    assert data == {
        "disputa": disputa_esperada(
            1, 1, "extras", "beto", "freelancer", "ana", estado="revocada",
            extras_centavos=500, extras_descripcion="Más", resuelta_en=T0_ISO, resuelta_por="beto",
        ),
        "pedido": pedido_esperado(),
    }  # fmt: skip
    ultimo = cli.ok("bandeja", "--como", "ana")["mensajes"][-1]
    assert (ultimo["de"], ultimo["para"]) == ("beto", "ana")
    assert "Me equivoqué" in ultimo["texto"]


def test_the_opener_cannot_answer_and_only_the_opener_can_revoke(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    antes = foto(cli, 1)
    cli.fails(4, "disputa", "responder", 1, "--como", "ana", "--aceptar")
    cli.fails(4, "disputa", "responder", 1, "--como", "carla", "--aceptar")
    cli.fails(4, "disputa", "revocar", 1, "--como", "beto")
    cli.fails(4, "disputa", "revocar", 1, "--como", "carla")
    assert foto(cli, 1) == antes


def test_an_answer_that_does_not_fit_the_type_is_bad_input(cli):
    cli.pedido()
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    cli.abrir(2, "ana", "cancelacion", "--comentario", "No")
    antes = foto(cli, 1, 2)
    cli.fails(2, "disputa", "responder", 1, "--como", "beto", "--aceptar")
    cli.fails(2, "disputa", "responder", 1, "--como", "beto", "--rechazar")
    cli.fails(2, "disputa", "responder", 2, "--como", "beto", "--actualizacion", "Voy bien")
    assert foto(cli, 1, 2) == antes


@pytest.mark.parametrize(
    "respuesta",
    [
        (),
        ("--aceptar", "--rechazar"),
        ("--aceptar", "--actualizacion", "x"),
        ("--rechazar", "--actualizacion", "x"),
    ],
)
def test_no_answer_or_two_answers_at_once_is_bad_input(cli, respuesta):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    antes = foto(cli, 1)
    cli.fails(2, "disputa", "responder", 1, "--como", "beto", *respuesta)
    assert foto(cli, 1) == antes


def test_an_empty_update_or_an_overlong_answer_comment_is_bad_input(cli):
    cli.pedido()
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    cli.abrir(2, "ana", "cancelacion", "--comentario", "No")
    antes = foto(cli, 1, 2)
    cli.fails(2, "disputa", "responder", 1, "--como", "beto", "--actualizacion", " ")
    cli.fails(2, "disputa", "responder", 2, "--como", "beto", "--rechazar", "--comentario", "z" * 2001)
    cli.fails(2, "disputa", "revocar", 2, "--como", "ana", "--comentario", "z" * 2001)
    assert foto(cli, 1, 2) == antes


def test_a_request_that_is_no_longer_open_cannot_be_answered_or_revoked(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    cli.ok("disputa", "revocar", 1, "--como", "ana")
    antes = foto(cli, 1)
    cli.fails(1, "disputa", "responder", 1, "--como", "beto", "--aceptar")
    cli.fails(1, "disputa", "revocar", 1, "--como", "ana")
    assert foto(cli, 1) == antes


# --- deadline edges --------------------------------------------------------------------


def test_a_request_can_be_answered_one_second_before_its_deadline(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    cli.ok("tick", "--at", t(hours=48, seconds=-1))
    r = cli.ok("disputa", "responder", d["id"], "--como", "beto", "--rechazar")
    assert r["disputa"]["estado"] == "rechazada"
    assert r["disputa"]["resuelta_en"] == t(hours=48, seconds=-1)
    assert r["pedido"]["estado"] == "activo"


def test_a_request_can_be_revoked_one_second_before_its_deadline(cli):
    cli.pedido()
    d = cli.abrir(1, "beto", "prorroga", "--nueva-entrega", t(days=9))
    cli.ok("tick", "--at", t(hours=96, seconds=-1))
    assert cli.ok("disputa", "revocar", d["id"], "--como", "beto")["disputa"]["estado"] == "revocada"


def test_at_its_deadline_exactly_a_request_has_expired_and_cannot_be_answered(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    cli.ok("tick", "--at", d["vence_en"])
    antes = foto(cli, 1)
    r = cli.fails(1, "disputa", "responder", d["id"], "--como", "beto", "--rechazar")
    assert "no está abierta" in r.error["mensaje"]
    cli.fails(1, "disputa", "revocar", d["id"], "--como", "ana")
    assert foto(cli, 1) == antes
    vista = cli.ok("pedido", "ver", 1)
    assert vista["disputas"] == [
        disputa_esperada(
            1, 1, "cancelacion", "ana", "cliente", "beto", estado="vencida",
            comentario="No", resuelta_en=d["vence_en"], resuelta_por="sistema",
        )
    ]  # fmt: skip
    assert vista["pedido"] == pedido_esperado(estado="cancelado")


def test_an_expiry_notifies_both_parties_from_sistema_at_the_deadline(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "actualizacion")
    cli.ok("tick", "--avanzar", "1w")
    for usuario in ("ana", "beto"):
        aviso = cli.ok("bandeja", "--como", usuario)["mensajes"][-1]
        assert (aviso["de"], aviso["para"], aviso["disputa"], aviso["en"]) == (
            "sistema",
            usuario,
            d["id"],
            d["vence_en"],
        )


# --- tick ------------------------------------------------------------------------------


def test_tick_alone_returns_the_whole_tick_object(cli):
    cli.pedido()
    assert cli.ok("tick") == {
        "reloj_anterior": T0_ISO,
        "reloj": T0_ISO,
        "simulado": False,
        "procesados": [],
        "pendientes": [{"pedido": 1, "disputa": None, "tipo": "entrega", "vence_en": t(days=7), "responde": "beto"}],
    }


@pytest.mark.parametrize(
    ("duracion", "delta"),
    [
        ("90m", timedelta(minutes=90)),
        ("48h", timedelta(hours=48)),
        ("2d", timedelta(days=2)),
        ("1w", timedelta(weeks=1)),
        ("1d12h", timedelta(hours=36)),
        ("P2DT3H", timedelta(hours=51)),
    ],
)
def test_tick_avanzar_moves_the_clock_by_the_duration(cli, duracion, delta):
    data = cli.ok("tick", "--avanzar", duracion)
    assert (data["reloj_anterior"], data["reloj"]) == (T0_ISO, t(seconds=delta.total_seconds()))
    assert cli.ok("tick")["reloj"] == data["reloj"]


@pytest.mark.parametrize("duracion", ["P1M", "P1Y", "0h", "5x", "-1d", "", "P", "1 dia"])
def test_tick_avanzar_refuses_bad_durations_and_keeps_the_clock(cli, duracion):
    cli.fails(2, "tick", "--avanzar", duracion)
    assert cli.ok("tick")["reloj"] == T0_ISO


@pytest.mark.parametrize("fecha", ["ayer", "2026-13-01", "2026-03-02T25:00", "02/03/2026"])
def test_tick_at_refuses_unparsable_dates_and_keeps_the_clock(cli, fecha):
    cli.fails(2, "tick", "--at", fecha)
    assert cli.ok("tick")["reloj"] == T0_ISO


def test_tick_refuses_two_ways_of_moving_at_once(cli):
    cli.fails(2, "tick", "--at", t(days=1), "--avanzar", "1d")
    cli.fails(2, "tick", "--avanzar", "1d", "--siguiente")
    assert cli.ok("tick")["reloj"] == T0_ISO


def test_tick_at_the_same_instant_is_a_no_op(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    antes = foto(cli, 1)
    data = cli.ok("tick", "--at", T0_ISO)
    assert (data["reloj_anterior"], data["reloj"], data["procesados"]) == (T0_ISO, T0_ISO, [])
    assert foto(cli, 1) == antes


def test_moving_the_clock_backwards_is_bad_input_and_changes_nothing(cli):
    cli.pedido()
    cli.ok("tick", "--avanzar", "1h")
    antes = foto(cli, 1)
    r = cli.fails(2, "tick", "--at", T0_ISO)
    assert T0_ISO in r.error["mensaje"] or "retroceder" in r.error["mensaje"]
    cli.fails(2, "tick", "--at", t(minutes=59, seconds=59))
    assert foto(cli, 1) == antes


def test_tick_simular_reports_what_would_happen_and_changes_nothing(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    antes = foto(cli, 1)
    data = cli.ok("tick", "--avanzar", "3d", "--simular")
    assert data == {
        "reloj_anterior": T0_ISO,
        "reloj": t(days=3),
        "simulado": True,
        "procesados": [
            {"disputa": d["id"], "pedido": 1, "tipo": "cancelacion", "vence_en": d["vence_en"],
             "resultado": "pedido_cancelado"}
        ],
        "pendientes": [],
    }  # fmt: skip
    assert foto(cli, 1) == antes
    assert cli.ok("tick")["reloj"] == T0_ISO


def test_deadlines_fire_in_deadline_order_each_at_its_own_instant(cli):
    for _ in range(3):
        cli.pedido(entrega="20d")
    prorroga = cli.abrir(1, "beto", "prorroga", "--nueva-entrega", t(days=25))  # due at +96h
    cli.ok("tick", "--avanzar", "1h")
    cancelacion = cli.abrir(2, "ana", "cancelacion", "--comentario", "No")  # due at +49h
    cli.ok("tick", "--avanzar", "1h")
    actualizacion = cli.abrir(3, "ana", "actualizacion")  # due at +50h
    assert [d["vence_en"] for d in (cancelacion, actualizacion, prorroga)] == [
        t(hours=49),
        t(hours=50),
        t(hours=96),
    ]

    data = cli.ok("tick", "--avanzar", "10d")
    assert set(data) == CLAVES_TICK
    assert data["reloj_anterior"] == t(hours=2)
    assert data["reloj"] == t(days=10, hours=2)
    assert data["simulado"] is False
    assert data["procesados"] == [
        {"disputa": 2, "pedido": 2, "tipo": "cancelacion", "vence_en": t(hours=49), "resultado": "pedido_cancelado"},
        {"disputa": 3, "pedido": 3, "tipo": "actualizacion", "vence_en": t(hours=50), "resultado": "pedido_restaurado"},
        {"disputa": 1, "pedido": 1, "tipo": "prorroga", "vence_en": t(hours=96), "resultado": "solicitud_revocada"},
    ]
    for procesado in data["procesados"]:
        assert set(procesado) == CLAVES_PROCESADO
        vista = cli.ok("pedido", "ver", procesado["pedido"])
        ultimo = vista["eventos"][-1]
        assert set(ultimo) == CLAVES_EVENTO
        assert (ultimo["en"], ultimo["actor"]) == (procesado["vence_en"], "sistema")
        assert vista["disputas"][-1]["resuelta_en"] == procesado["vence_en"]
        assert vista["disputas"][-1]["estado"] == "vencida"
    assert cli.ok("pedido", "ver", 1)["pedido"]["fecha_entrega"] == t(days=20)
    assert [p["estado"] for p in cli.ok("pedido", "listar")["pedidos"]] == ["activo", "cancelado", "activo"]


def test_tick_siguiente_moves_to_the_nearest_request_deadline_and_processes_only_it(cli):
    cli.pedido()
    cli.pedido()
    cli.abrir(1, "beto", "prorroga", "--nueva-entrega", t(days=9))
    cli.abrir(2, "ana", "actualizacion")
    data = cli.ok("tick", "--siguiente")
    assert (data["reloj_anterior"], data["reloj"]) == (T0_ISO, t(hours=48))
    assert data["procesados"] == [
        {"disputa": 2, "pedido": 2, "tipo": "actualizacion", "vence_en": t(hours=48), "resultado": "pedido_restaurado"}
    ]
    assert [p["tipo"] for p in data["pendientes"]] == ["prorroga", "entrega", "entrega"]


def test_tick_siguiente_with_no_request_pending_is_refused_and_keeps_the_clock(cli):
    cli.pedido()  # a delivery deadline is not a request deadline
    r = cli.fails(1, "tick", "--siguiente")
    assert r.error["mensaje"]
    assert cli.ok("tick")["reloj"] == T0_ISO


def test_pending_deadlines_are_soonest_first_and_include_owed_deliveries(cli):
    cli.pedido(entrega="10d")
    cli.pedido(entrega="1d")
    cli.pedido(entrega="5d")
    cli.ok("pedido", "entregar", 3, "--como", "beto")
    cli.abrir(1, "ana", "actualizacion")
    assert cli.ok("tick")["pendientes"] == [
        {"pedido": 2, "disputa": None, "tipo": "entrega", "vence_en": t(days=1), "responde": "beto"},
        {"pedido": 1, "disputa": 1, "tipo": "actualizacion", "vence_en": t(days=2), "responde": "beto"},
        {"pedido": 1, "disputa": None, "tipo": "entrega", "vence_en": t(days=10), "responde": "beto"},
    ]


def test_tick_como_lists_only_the_deadlines_of_that_user(cli):
    cli.pedido()  # 1: ana -> beto
    cli.pedido(cliente="beto", freelancer="carla", entrega="8d")  # 2: beto -> carla
    cli.pedido(cliente="ana", freelancer="carla", entrega="9d")  # 3: ana -> carla
    cli.abrir(1, "ana", "cancelacion", "--comentario", "No")  # beto must answer
    cli.abrir(2, "carla", "prorroga", "--nueva-entrega", t(days=12))  # beto must answer
    cli.abrir(3, "ana", "actualizacion")  # carla must answer
    data = cli.ok("tick", "--como", "beto")
    assert data["pendientes"] == [
        {"pedido": 1, "disputa": 1, "tipo": "cancelacion", "vence_en": t(hours=48), "responde": "beto"},
        {"pedido": 2, "disputa": 2, "tipo": "prorroga", "vence_en": t(hours=96), "responde": "beto"},
        {"pedido": 1, "disputa": None, "tipo": "entrega", "vence_en": t(days=7), "responde": "beto"},
    ]
    assert {p["responde"] for p in cli.ok("tick", "--como", "carla")["pendientes"]} == {"carla"}
    assert len(cli.ok("tick")["pendientes"]) == 6


def test_every_command_first_processes_what_is_due(cli):
    import sqlite3

    cli.pedido()
    cli.pedido()
    d = cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    # the stored clock jumps past the deadline without any tick processing it
    conexion = sqlite3.connect(cli.db)
    with conexion:
        conexion.execute("UPDATE reloj SET ahora = ? WHERE id = 1", [t(days=3)])
    conexion.close()
    r = cli.fails(1, "disputa", "responder", d["id"], "--como", "beto", "--rechazar")
    assert "no está abierta" in r.error["mensaje"]
    vista = cli.ok("pedido", "ver", 1)
    assert vista["pedido"]["estado"] == "cancelado"
    assert (vista["disputas"][0]["estado"], vista["disputas"][0]["resuelta_en"]) == ("vencida", d["vence_en"])
    assert cli.ok("tick")["procesados"] == []


# --- disputa listar / bandeja ----------------------------------------------------------


def test_listing_requests_gives_whole_requests_and_filters_by_order_open_and_user(cli):
    cli.pedido()
    cli.pedido(cliente="carla", freelancer="dario")
    cli.abrir(1, "ana", "actualizacion")
    cli.ok("disputa", "responder", 1, "--como", "beto", "--actualizacion", "Bien")
    cli.abrir(1, "beto", "prorroga", "--nueva-entrega", t(days=9))
    cli.abrir(2, "carla", "cancelacion", "--comentario", "No")
    todas = cli.ok("disputa", "listar")
    assert todas == {
        "disputas": [
            disputa_esperada(
                1, 1, "actualizacion", "ana", "cliente", "beto", estado="respondida",
                respuesta="Bien", resuelta_en=T0_ISO, resuelta_por="beto",
            ),
            disputa_esperada(2, 1, "prorroga", "beto", "freelancer", "ana", nueva_fecha_entrega=t(days=9)),
            disputa_esperada(3, 2, "cancelacion", "carla", "cliente", "dario", comentario="No"),
        ]
    }  # fmt: skip
    assert [d["id"] for d in cli.ok("disputa", "listar", "--pedido", 1)["disputas"]] == [1, 2]
    assert [d["id"] for d in cli.ok("disputa", "listar", "--abiertas")["disputas"]] == [2, 3]
    assert [d["id"] for d in cli.ok("disputa", "listar", "--pedido", 1, "--abiertas")["disputas"]] == [2]
    assert [d["id"] for d in cli.ok("disputa", "listar", "--como", "dario")["disputas"]] == [3]
    assert [d["id"] for d in cli.ok("disputa", "listar", "--como", "ana")["disputas"]] == [1, 2]


def test_the_inbox_returns_whole_messages_oldest_first(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion", "--comentario", "¿Novedades?")
    cli.ok("tick", "--avanzar", "1h")
    cli.ok("disputa", "responder", 1, "--como", "beto", "--actualizacion", "Casi")
    cli.ok("tick", "--avanzar", "1h")
    cli.abrir(1, "beto", "extras", "--extras-precio", "10", "--extras-descripcion", "Más")
    beto = cli.ok("bandeja", "--como", "beto")
    ana = cli.ok("bandeja", "--como", "ana")
    assert set(beto) == {"mensajes"} and set(ana) == {"mensajes"}
    assert [(m["de"], m["para"], m["pedido"], m["disputa"], m["en"]) for m in beto["mensajes"]] == [
        ("ana", "beto", 1, 1, T0_ISO)
    ]
    assert [(m["de"], m["para"], m["pedido"], m["disputa"], m["en"]) for m in ana["mensajes"]] == [
        ("beto", "ana", 1, 1, t(hours=1)),
        ("beto", "ana", 1, 2, t(hours=2)),
    ]
    for m in beto["mensajes"] + ana["mensajes"]:
        assert set(m) == CLAVES_MENSAJE
    ids = [m["id"] for m in ana["mensajes"]]
    assert ids == sorted(ids)


# --- order of §7 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("disputa", "abrir", "999", "--como", "beto", "--tipo", "prorroga", "--nueva-entrega", "el lunes"),
        ("disputa", "abrir", "999", "--como", "ana", "--tipo", "queja"),
        ("disputa", "abrir", "999", "--como", "Ana", "--tipo", "actualizacion"),
        ("disputa", "abrir", "999", "--como", "ana", "--tipo", "cancelacion", "--comentario", "x" * 2001),
        ("disputa", "responder", "999", "--como", "beto", "--aceptar", "--rechazar"),
        ("disputa", "revocar", "999", "--como", "ana", "--comentario", "x" * 2001),
        ("pedido", "entregar", "999", "--como", "BETO"),
    ],
)
def test_malformed_input_beats_not_found(cli, args):
    cli.fails(2, *args)


def test_not_found_beats_not_allowed(cli):
    cli.pedido()
    cli.fails(3, "pedido", "ver", 999, "--como", "carla")
    cli.fails(3, "disputa", "revocar", 999, "--como", "carla")
    cli.fails(3, "disputa", "responder", 999, "--como", "carla", "--aceptar")
    cli.fails(3, "pedido", "entregar", 999, "--como", "carla")


def test_not_allowed_beats_a_rule(cli):
    cli.pedido()
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    cli.ok("pedido", "completar", 1, "--como", "ana")
    cli.fails(4, "disputa", "abrir", 1, "--como", "carla", "--tipo", "actualizacion")
    cli.fails(4, "disputa", "abrir", 1, "--como", "beto", "--tipo", "actualizacion")
    cli.fails(4, "pedido", "entregar", 1, "--como", "carla")
    cli.fails(4, "pedido", "completar", 1, "--como", "beto")
    cli.pedido()
    d = cli.abrir(2, "ana", "cancelacion", "--comentario", "No")
    cli.ok("disputa", "revocar", d["id"], "--como", "ana")
    cli.fails(4, "disputa", "responder", d["id"], "--como", "ana", "--aceptar")  # opener, and closed
    cli.fails(4, "disputa", "revocar", d["id"], "--como", "beto")  # not the opener, and closed


def test_not_allowed_beats_input_that_does_not_fit_the_type(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "No")
    cli.fails(4, "disputa", "responder", 1, "--como", "ana", "--actualizacion", "x")
    cli.fails(4, "disputa", "abrir", 1, "--como", "carla", "--tipo", "actualizacion", "--motivo", "otro")


def test_a_rule_beats_input_that_does_not_fit_the_type(cli):
    cli.pedido()
    d = cli.abrir(1, "ana", "actualizacion")
    cli.ok("disputa", "responder", d["id"], "--como", "beto", "--actualizacion", "Listo")
    cli.fails(1, "disputa", "responder", d["id"], "--como", "beto", "--aceptar")
    cli.ok("tick", "--avanzar", "1h")
    d2 = cli.abrir(1, "ana", "actualizacion")
    cli.ok("tick", "--at", d2["vence_en"])
    cli.fails(1, "disputa", "responder", d2["id"], "--como", "beto", "--rechazar")
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    cli.ok("pedido", "completar", 1, "--como", "ana")
    cli.fails(1, "disputa", "abrir", 1, "--como", "ana", "--tipo", "cancelacion", "--comentario", "x",
              "--motivo", "otro")  # fmt: skip
    cli.fails(1, "disputa", "abrir", 1, "--como", "beto", "--tipo", "extras", "--nueva-entrega", t(days=30),
              "--extras-precio", "5", "--extras-descripcion", "Más")  # fmt: skip


# --- bad input changes nothing ---------------------------------------------------------


@pytest.fixture
def escenario(cli):
    """Order 1 in dispute (ana's cancellation #1), order 2 delivered, order 3 completed."""
    cli.pedido()
    cli.pedido(titulo="Web")
    cli.pedido(titulo="App")
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Demasiado lento")
    cli.ok("pedido", "entregar", 2, "--como", "beto")
    cli.ok("pedido", "entregar", 3, "--como", "beto")
    cli.ok("pedido", "completar", 3, "--como", "ana")
    cli.ok("tick", "--avanzar", "3h")
    return cli


@pytest.mark.parametrize(
    ("codigo", "args"),
    [
        (2, ("pedido", "crear", "--cliente", "ana", "--freelancer", "ana", "--titulo", "X", "--precio", "1",
             "--entrega", "1d")),
        (2, ("pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "X", "--precio", "1",
             "--entrega", "2020-01-01")),
        (1, ("pedido", "entregar", "1", "--como", "beto")),
        (1, ("pedido", "completar", "1", "--como", "ana")),
        (4, ("pedido", "completar", "2", "--como", "beto")),
        (1, ("pedido", "entregar", "3", "--como", "beto")),
        (1, ("disputa", "abrir", "1", "--como", "beto", "--tipo", "prorroga", "--nueva-entrega", "2026-04-01")),
        (2, ("disputa", "abrir", "2", "--como", "ana", "--tipo", "cancelacion")),
        (2, ("disputa", "abrir", "2", "--como", "beto", "--tipo", "cancelacion", "--motivo", "otro")),
        (1, ("disputa", "abrir", "3", "--como", "ana", "--tipo", "cancelacion", "--comentario", "Cancelar")),
        (4, ("disputa", "responder", "1", "--como", "ana", "--aceptar")),
        (2, ("disputa", "responder", "1", "--como", "beto", "--actualizacion", "x")),
        (2, ("disputa", "responder", "1", "--como", "beto", "--aceptar", "--rechazar")),
        (4, ("disputa", "revocar", "1", "--como", "beto")),
        (2, ("disputa", "revocar", "1", "--como", "ana", "--comentario", "x" * 2001)),
        (3, ("disputa", "responder", "9", "--como", "beto", "--aceptar")),
        (2, ("tick", "--at", T0_ISO)),
        (2, ("tick", "--avanzar", "P1M")),
        (2, ("tick", "--at", "2026-03-05", "--tz", "Nowhere/Ciudad")),
        (2, ("init", "--reloj", "2026-01-01")),
    ],
)  # fmt: skip
def test_a_refused_command_changes_nothing(escenario, codigo, args):
    antes = foto(escenario, 1, 2, 3)
    escenario.fails(codigo, *args)
    assert foto(escenario, 1, 2, 3) == antes


# --- human output and errors without --json --------------------------------------------


def test_a_human_error_is_one_spanish_line_on_stderr(cli):
    cli.pedido()
    casos = [
        (3, ("pedido", "ver", "999")),
        (4, ("pedido", "entregar", "1", "--como", "ana")),
        (1, ("pedido", "completar", "1", "--como", "ana")),
        (2, ("tick", "--at", "mañana")),
        (2, ("pedido", "entregar", "1")),
    ]
    for codigo, args in casos:
        r = cli.run(*args)
        assert r.code == codigo, r
        una_linea_de_error(r)


def test_an_unknown_option_is_a_spanish_usage_error(cli):
    r = cli.run("pedido", "listar", "--nope")
    assert r.code == 2, r
    linea = una_linea_de_error(r)
    assert "--nope" in linea and "no existe" in linea
    assert "No such option" not in linea and "Usage" not in linea


def test_a_missing_argument_is_a_spanish_usage_error(cli):
    r = cli.run("pedido", "ver")
    assert r.code == 2, r
    linea = una_linea_de_error(r)
    assert "Falta el argumento" in linea
    assert "Missing" not in linea


def test_usage_errors_with_json_are_a_json_error_on_stderr(cli):
    r = cli.fails(2, "pedido", "listar", "--nope")
    assert set(r.error) == {"codigo", "mensaje"}
    assert "--nope" in r.error["mensaje"]
    r = cli.fails(2, "disputa", "revocar")
    assert json.loads(r.err) == {"error": {"codigo": 2, "mensaje": r.error["mensaje"]}}


def test_a_json_error_is_exactly_one_object_with_code_and_message(cli):
    r = cli.fails(3, "pedido", "ver", 42)
    assert json.loads(r.err) == {"error": {"codigo": 3, "mensaje": r.error["mensaje"]}}
    assert r.error["mensaje"].strip()


def test_pedido_ver_shows_title_state_who_acts_relative_time_and_history(cli):
    cli.pedido(titulo="Rediseño de marca")
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Demasiado caro")
    cli.ok("tick", "--avanzar", "1h")
    r = cli.run("pedido", "ver", 1)
    assert r.code == 0, r
    assert "Rediseño de marca" in r.out
    assert "En controversia" in r.out
    assert "beto debe responder" in r.out
    assert "vence en 1 día y 23 horas" in r.out
    assert "Historial" in r.out
    assert "abrió una solicitud" in r.out
    assert "Demasiado caro" in r.out
    assert "\x1b[" not in r.out
    assert r.err == ""


def test_user_text_is_shown_literally_never_as_markup(cli):
    titulo = "[bold]x[/bold] y [link=http://e.com]z[/link]"
    cli.pedido(titulo=titulo)
    cli.abrir(1, "ana", "cancelacion", "--comentario", "[red]rojo[/red]")
    for args in (("pedido", "ver", 1), ("pedido", "listar"), ("disputa", "listar"), ("bandeja", "--como", "beto")):
        r = cli.run(*args)
        assert r.code == 0, r
        assert "\x1b[" not in r.out
        if args[0] == "pedido":
            assert titulo in r.out, r
        else:
            assert "[red]rojo[/red]" in r.out, r


def test_human_output_has_no_escape_codes_even_without_no_color_when_piped(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    for args in (("pedido", "ver", 1), ("pedido", "listar"), ("tick",), ("disputa", "listar")):
        r = cli.run(*args, env={"NO_COLOR": None})
        assert r.code == 0, r
        assert "\x1b[" not in r.out


def test_pedido_listar_renders_a_table_with_the_orders(cli):
    cli.pedido(titulo="Logo nuevo")
    cli.pedido(cliente="carla", freelancer="dario", titulo="Tienda web", precio="1234,5")
    r = cli.run("pedido", "listar")
    assert r.code == 0, r
    for texto in ("Pedidos", "Logo nuevo", "Tienda web", "carla", "dario", "Activo", "US$ 1.234,50", "debe entregar"):
        assert texto in r.out, texto


def test_pedido_listar_without_orders_says_so(cli):
    r = cli.run("pedido", "listar")
    assert r.code == 0 and "No hay pedidos" in r.out


def test_disputa_listar_renders_a_table_with_the_requests(cli):
    cli.pedido()
    cli.abrir(1, "beto", "cancelacion", "--motivo", "cliente_no_responde")
    r = cli.run("disputa", "listar")
    assert r.code == 0, r
    for texto in ("Solicitar a tu cliente que cancele el pedido", "Abierta", "beto → ana", "El cliente no responde"):
        assert texto in r.out, texto


def test_tick_renders_processed_and_pending_deadlines(cli):
    cli.pedido()
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    cli.abrir(2, "beto", "extras", "--extras-precio", "5", "--extras-descripcion", "Más")
    r = cli.run("tick", "--avanzar", "3d")
    assert r.code == 0, r
    assert "2026-03-02 09:00 → 2026-03-05 09:00" in r.out
    assert "Plazos vencidos" in r.out and "el pedido vuelve a su estado anterior" in r.out
    assert "Plazos pendientes" in r.out and "ana debe responder" in r.out and "beto debe entregar" in r.out
    r = cli.run("tick", "--simular")
    assert r.code == 0 and "Simulación" in r.out


def test_bandeja_renders_a_table_of_messages(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo quiero")
    cli.ok("tick", "--avanzar", "2d")
    r = cli.run("bandeja", "--como", "beto")
    assert r.code == 0, r
    assert "Bandeja de beto" in r.out
    assert "Ya no lo quiero" in r.out
    assert "sistema" in r.out
    assert "2026-03-04 09:00" in r.out  # the notice carries the deadline's time
    assert "se canceló automáticamente" in r.out


def test_init_and_change_commands_print_a_human_summary(cli, tmp_path):
    r = Cli(tmp_path / "h.db").run("init", "--reloj", T0_ISO)
    assert r.code == 0 and "creada" in r.out, r
    r = cli.run("pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "Logo",
                "--precio", "100", "--entrega", "7d")  # fmt: skip
    assert r.code == 0 and "Pedido #1 creado" in r.out, r
    r = cli.run("disputa", "abrir", 1, "--como", "ana", "--tipo", "actualizacion")
    assert r.code == 0 and "Solicitud #1 abierta" in r.out and "beto tiene hasta el 2026-03-04 09:00" in r.out, r


# --- environment and time zones ---------------------------------------------------------


def test_resolucion_db_chooses_the_database(tmp_path):
    ruta = tmp_path / "desde_env.db"
    runner = CliRunner()
    r = runner.invoke(app, ["init", "--reloj", T0_ISO, "--json"], env={"RESOLUCION_DB": str(ruta)})
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["db"] == str(ruta.resolve())
    assert ruta.exists()
    r = runner.invoke(
        app,
        ["pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "T", "--precio", "1",
         "--entrega", "1d", "--json"],
        env={"RESOLUCION_DB": str(ruta)},
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert Cli(ruta).ok("pedido", "ver", 1)["pedido"]["titulo"] == "T"


def test_resolucion_usuario_acts_as_como(cli):
    cli.pedido()
    r = cli.run("pedido", "entregar", 1, "--json", env={"RESOLUCION_USUARIO": "beto"})
    assert r.code == 0, r
    assert r.data == {"pedido": pedido_esperado(estado="entregado")}
    r = cli.run("pedido", "completar", 1, "--json", env={"RESOLUCION_USUARIO": "beto"})
    assert r.code == 4, r
    r = cli.run("pedido", "completar", 1, "--json", "--como", "ana", env={"RESOLUCION_USUARIO": "beto"})
    assert r.code == 0, r


def test_resolucion_usuario_with_capitals_is_bad_input(cli):
    cli.pedido()
    r = cli.run("pedido", "entregar", 1, "--json", env={"RESOLUCION_USUARIO": "Beto"})
    assert r.code == 2 and r.error["codigo"] == 2, r
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == "activo"


def test_resolucion_tz_reads_naive_dates_and_shows_times_in_that_zone(cli):
    cli.pedido()
    r = cli.run("tick", "--at", "2026-03-02T12:00", "--json", env={"RESOLUCION_TZ": "Europe/Madrid"})
    assert r.code == 0, r
    assert r.data["reloj"] == "2026-03-02T11:00:00Z"
    r = cli.run("pedido", "ver", 1, env={"RESOLUCION_TZ": "Europe/Madrid"})
    assert r.code == 0, r
    assert "2026-03-02 12:00" in r.out  # the clock, 11:00 UTC, read in Madrid
    assert "2026-03-09 10:00" in r.out  # the delivery date, 09:00 UTC


def test_tz_option_reads_a_naive_at_in_that_zone(cli):
    assert cli.ok("tick", "--at", "2026-03-02T12:00", "--tz", "Europe/Madrid")["reloj"] == "2026-03-02T11:00:00Z"
    assert cli.ok("tick", "--at", "2026-03-03", "--tz", "Europe/Madrid")["reloj"] == "2026-03-02T23:00:00Z"
    # an explicit offset wins over the zone
    assert cli.ok("tick", "--at", "2026-03-03T00:00Z", "--tz", "Europe/Madrid")["reloj"] == "2026-03-03T00:00:00Z"


def test_tz_option_reads_a_naive_delivery_date_in_that_zone(cli):
    data = cli.ok("pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "L", "--precio", "1",
                  "--entrega", "2026-03-10", "--tz", "America/Mexico_City")  # fmt: skip
    assert data["pedido"]["fecha_entrega"] == "2026-03-10T06:00:00Z"


def test_an_unknown_time_zone_is_bad_input(cli):
    cli.pedido()
    r = cli.fails(2, "tick", "--at", "2026-03-03T10:00", "--tz", "Marte/Olimpo")
    assert "Marte/Olimpo" in r.error["mensaje"]
    cli.fails(2, "pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "L", "--precio", "1",
              "--entrega", "2026-03-10", "--tz", "Marte/Olimpo")  # fmt: skip
    assert cli.ok("tick")["reloj"] == T0_ISO
    assert [p["id"] for p in cli.ok("pedido", "listar")["pedidos"]] == [1]


def test_an_unknown_time_zone_is_bad_input_even_where_no_date_is_read(cli):
    cli.pedido()
    cli.fails(2, "pedido", "ver", 1, "--tz", "Marte/Olimpo")
    r = cli.run("pedido", "listar", "--json", env={"RESOLUCION_TZ": "No/Existe"})
    assert r.code == 2, r
    # malformed input is reported before "not found"
    cli.fails(2, "pedido", "ver", 999, "--tz", "Marte/Olimpo")


# --- the database file -----------------------------------------------------------------


def test_a_text_file_as_database_is_unusable_and_left_untouched(tmp_path):
    ruta = tmp_path / "notas.txt"
    contenido = b"esto no es una base de datos\n" * 10
    ruta.write_bytes(contenido)
    otra = Cli(ruta)
    for args in (("init",), ("pedido", "listar"), ("tick", "--avanzar", "1d")):
        r = otra.fails(5, *args)
        assert str(ruta) in r.error["mensaje"] or "no es una base" in r.error["mensaje"]
    r = otra.run("pedido", "listar")
    assert r.code == 5
    una_linea_de_error(r)
    assert ruta.read_bytes() == contenido
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notas.txt"]


def test_a_database_in_a_missing_folder_is_unusable_and_creates_nothing(tmp_path):
    ruta = tmp_path / "no_existe" / "x.db"
    otra = Cli(ruta)
    otra.fails(5, "init")
    otra.fails(5, "pedido", "listar")
    assert not (tmp_path / "no_existe").exists()


def test_a_folder_as_database_is_unusable(tmp_path):
    Cli(tmp_path).fails(5, "pedido", "listar")


SIN_BASE = [
    ("pedido", "listar"),
    ("pedido", "ver", "1"),
    ("pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "Logo", "--precio", "100",
     "--entrega", "7d"),
    ("pedido", "entregar", "1", "--como", "beto"),
    ("pedido", "completar", "1", "--como", "ana"),
    ("disputa", "abrir", "1", "--como", "ana", "--tipo", "actualizacion"),
    ("disputa", "responder", "1", "--como", "beto", "--aceptar"),
    ("disputa", "revocar", "1", "--como", "ana"),
    ("disputa", "listar"),
    ("tick",),
    ("tick", "--avanzar", "1d"),
    ("bandeja", "--como", "ana"),
    ("verificar",),
    ("explicar", "1"),
    ("generar", "--pedidos", "10"),
    ("pendientes", "--como", "ana"),
    ("mensaje", "1", "--como", "ana", "--texto", "hola"),
    ("instantanea", "guardar", "inicio"),
    ("instantanea", "restaurar", "inicio"),
    ("instantanea", "listar"),
    ("instantanea", "borrar", "inicio"),
    ("informe", "1"),
]  # fmt: skip


@pytest.mark.parametrize("vacia", [False, True], ids=["sin-archivo", "archivo-vacio"])
@pytest.mark.parametrize("orden", SIN_BASE, ids=lambda o: " ".join(o[:2]))
def test_only_init_creates_a_database_every_other_command_exits_5_naming_it(tmp_path, orden, vacia):
    ruta = tmp_path / "falta.db"
    if vacia:
        ruta.touch()
    r = Cli(ruta).fails(5, *orden)
    assert str(ruta) in r.error["mensaje"]
    assert f"resolucion init --db {ruta}" in r.error["mensaje"]
    esperado = ["falta.db"] if vacia else []
    assert sorted(p.name for p in tmp_path.iterdir()) == esperado  # no database, no -wal, no -shm
    if vacia:
        assert ruta.stat().st_size == 0


def test_init_creates_the_database_the_other_commands_then_use(tmp_path):
    ruta = tmp_path / "primera.db"
    cli = Cli(ruta)
    cli.fails(5, "pedido", "listar")
    cli.ok("init", "--reloj", "2026-03-02T09:00Z")
    assert cli.ok("pedido", "listar") == {"pedidos": []}


# --- the installed command and the catch-all --------------------------------------------


def test_python_dash_m_shows_the_help(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "resolucion_cli", "--help"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=tmp_path,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    for palabra in ("pedido", "disputa", "tick", "bandeja", "init"):
        assert palabra in r.stdout
    assert "Traceback" not in r.stderr


def _instalado() -> str:
    junto = Path(sys.executable).parent / "resolucion"
    return str(junto) if junto.exists() else (shutil.which("resolucion") or "resolucion")


def test_the_installed_command_names_a_missing_option_when_stdin_is_not_a_terminal(tmp_path):
    r = subprocess.run(
        [_instalado(), "pedido", "crear", "--cliente", "ana", "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=dict(os.environ, RESOLUCION_TZ="UTC", NO_COLOR="1"),
        timeout=60,
    )
    assert r.returncode == 2, r.stderr
    assert r.stdout == ""
    assert r.stderr.startswith("Error: ") and "--freelancer" in r.stderr
    assert r.stderr.count("\n") == 1
    assert "Traceback" not in r.stderr


def test_the_installed_command_without_como_on_a_pipe_is_bad_input(tmp_path):
    db = str(tmp_path / "y.db")
    base = [_instalado()]
    entorno = dict(os.environ, RESOLUCION_TZ="UTC", NO_COLOR="1")
    subprocess.run([*base, "init", "--reloj", T0_ISO, "--db", db], env=entorno, capture_output=True, timeout=60)
    r = subprocess.run(
        [*base, "disputa", "abrir", "1", "--tipo", "actualizacion", "--db", db],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=entorno,
        timeout=60,
    )
    assert r.returncode == 2, r.stderr
    assert "--como" in r.stderr


def test_an_unexpected_failure_is_a_spanish_sentence_with_exit_1_and_no_traceback(cli, monkeypatch):
    cli.pedido()

    def averia(*args, **kwargs):
        raise RuntimeError("fallo interno")

    monkeypatch.setattr("resolucion_cli.servicios.ver_pedido", averia)
    r = cli.run("pedido", "ver", 1)
    assert r.code == 1, r
    linea = una_linea_de_error(r)
    assert "inesperado" in linea and "no se ha cambiado nada" in linea
    r = cli.run("pedido", "ver", 1, "--json")
    assert r.code == 1 and r.out == "", r
    assert r.error["codigo"] == 1
    assert "Traceback" not in r.err


def test_an_unexpected_failure_after_the_commit_says_the_change_is_saved(cli, monkeypatch):
    cli.pedido()

    def averia(*args, **kwargs):
        raise RuntimeError("fallo al mostrar")

    monkeypatch.setattr("resolucion_cli.vista.mostrar_pedido_corto", averia)
    r = cli.run("pedido", "entregar", 1, "--como", "beto", env={"COLUMNS": "300"})
    assert r.code == 1, r
    # Only the screen's header line, naming the database, made it out before the screen failed.
    assert r.out == f"Base de datos: {cli.db}\n", r
    [linea] = r.err.splitlines()
    assert linea.startswith("Error: ")
    assert "el cambio está guardado" in linea and "no se ha cambiado nada" not in linea
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == "entregado"


@pytest.mark.parametrize("senal, codigo", [(KeyboardInterrupt, 130), (Terminado, 143)], ids=["ctrl-c", "sigterm"])
@pytest.mark.parametrize("guardado", [False, True], ids=["before-commit", "after-commit"])
def test_an_interruption_says_whether_the_change_was_saved(cli, monkeypatch, senal, codigo, guardado):
    cli.pedido()

    def interrumpir(*args, **kwargs):
        raise senal()

    objetivo = "resolucion_cli.vista.mostrar_pedido_corto" if guardado else "resolucion_cli.servicios.entregar"
    monkeypatch.setattr(objetivo, interrumpir)
    r = cli.run("pedido", "entregar", 1, "--como", "beto")
    assert r.code == codigo, r
    if guardado:
        assert r.err == "Interrumpido: el cambio ya estaba guardado.\n", r
    else:
        assert r.err == "Interrumpido: no se ha cambiado nada.\n", r
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == ("entregado" if guardado else "activo")


def test_an_unexpected_failure_in_a_write_changes_nothing(cli, monkeypatch):
    cli.pedido()
    antes = foto(cli, 1)
    import resolucion_cli.almacen as almacen

    def averia(self, eventos):
        raise RuntimeError("disco lleno")

    with monkeypatch.context() as parche:
        parche.setattr(almacen.Almacen, "insertar_eventos", averia)
        r = cli.run("pedido", "entregar", 1, "--como", "beto")
    assert r.code == 1, r
    una_linea_de_error(r)
    assert foto(cli, 1) == antes


# --- more edges ------------------------------------------------------------------------


def test_a_sqlite_file_of_another_application_is_unusable_and_left_untouched(tmp_path):
    import sqlite3

    ruta = tmp_path / "ajena.db"
    with sqlite3.connect(ruta) as conexion:
        conexion.execute("CREATE TABLE facturas (id INTEGER PRIMARY KEY, total INTEGER)")
        conexion.execute("INSERT INTO facturas (total) VALUES (5)")
    conexion.close()
    contenido = ruta.read_bytes()
    otra = Cli(ruta)
    otra.fails(5, "init")
    otra.fails(5, "pedido", "listar")
    assert ruta.read_bytes() == contenido


def test_a_database_made_by_a_newer_version_is_unusable(cli):
    import sqlite3

    conexion = sqlite3.connect(cli.db)
    conexion.execute("PRAGMA user_version = 999")
    conexion.close()
    r = cli.fails(5, "pedido", "listar")
    assert "999" in r.error["mensaje"] or "nueva" in r.error["mensaje"]


def test_real_mode_clock_can_still_be_pushed_ahead_with_tick_at(tmp_path):
    otra = Cli(tmp_path / "real.db")
    otra.ok("init", "--reloj", "2099-01-01T00:00:00Z", "--modo-reloj", "real")
    data = otra.ok("tick", "--at", "2099-01-02T00:00:00Z")
    assert (data["reloj_anterior"], data["reloj"]) == ("2099-01-01T00:00:00Z", "2099-01-02T00:00:00Z")
    otra.fails(2, "tick", "--at", "2099-01-01T12:00:00Z")


@pytest.mark.parametrize(("usuario", "codigo"), [("a" * 32, 0), ("a" * 33, 2), ("ana.m_r-1", 0), ("ana!", 2)])
def test_handles_are_2_to_32_lowercase_letters_digits_and_separators(cli, usuario, codigo):
    r = cli.run("pedido", "crear", "--cliente", usuario, "--freelancer", "beto", "--titulo", "L",
                "--precio", "1", "--entrega", "1d", "--json")  # fmt: skip
    assert r.code == codigo, r
    if codigo == 0:
        assert r.data["pedido"]["cliente"] == usuario


def test_no_interactivo_is_accepted_and_a_missing_option_is_named(cli):
    cli.pedido()
    assert cli.ok("pedido", "listar", "--no-interactivo")["pedidos"][0]["id"] == 1
    r = cli.fails(2, "disputa", "abrir", 1, "--como", "ana", "--no-interactivo")
    assert "--tipo" in r.error["mensaje"]
    r = cli.fails(2, "disputa", "responder", 1, "--como", "beto", "--no-interactivo")
    assert "--aceptar" in r.error["mensaje"]


def test_an_escape_sequence_in_user_text_never_reaches_the_terminal(cli):
    cli.pedido()
    r = cli.run("disputa", "abrir", 1, "--como", "ana", "--tipo", "cancelacion", "--comentario", "\x1b[31mrojo\x1b[0m")
    assert "\x1b" not in r.out and "\x1b" not in r.err
    r = cli.run("pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "\x1b]0;hola\x07",
                "--precio", "1", "--entrega", "1d")  # fmt: skip
    assert r.code == 2, r
    assert "\x1b" not in r.err
    for args in (("pedido", "ver", 1), ("bandeja", "--como", "beto"), ("disputa", "listar")):
        salida = cli.run(*args)
        assert "\x1b" not in salida.out and "\x1b" not in salida.err


def test_a_late_order_shows_as_late_with_a_past_relative_time(cli):
    cli.pedido(entrega="1d")
    cli.ok("tick", "--avanzar", "2d")
    r = cli.run("pedido", "ver", 1)
    assert r.code == 0, r
    assert "ATRASADO" in r.out
    assert "hace 1 día" in r.out
    r = cli.run("pedido", "listar")
    assert "(atrasado)" in r.out


def test_tick_simular_with_siguiente_and_nothing_pending_is_refused(cli):
    cli.fails(1, "tick", "--siguiente", "--simular")
    assert cli.ok("tick")["reloj"] == T0_ISO


def test_accepting_with_a_comment_records_it_as_the_answer(cli):
    cli.pedido()
    cli.abrir(1, "beto", "cancelacion", "--motivo", "no_puedo_completar")
    data = cli.ok("disputa", "responder", 1, "--como", "ana", "--aceptar", "--comentario", "De acuerdo")
    assert data == {
        "disputa": disputa_esperada(
            1, 1, "cancelacion", "beto", "freelancer", "ana", estado="aceptada",
            motivo="no_puedo_completar", respuesta="De acuerdo", resuelta_en=T0_ISO, resuelta_por="ana",
        ),
        "pedido": pedido_esperado(estado="cancelado"),
    }  # fmt: skip
    assert cli.ok("pedido", "ver", 1)["plazos"] == []


# --- demo and sample data --------------------------------------------------------------

DATOS = Path(__file__).resolve().parent.parent / "sample_data" / "datos.json"


def test_init_datos_loads_the_sample_data_set(tmp_path):
    otra = Cli(tmp_path / "datos.db")
    data = otra.ok("init", "--reloj", T0_ISO, "--datos", str(DATOS))
    assert set(data) == CLAVES_INIT
    pedidos = otra.ok("pedido", "listar")["pedidos"]
    assert len(pedidos) == 12
    assert all(set(p) == CLAVES_PEDIDO for p in pedidos)
    assert [p["id"] for p in pedidos] == list(range(1, 13))
    assert otra.ok("disputa", "listar", "--abiertas")["disputas"]


def test_init_with_an_unreadable_data_file_is_bad_input_and_creates_no_database(tmp_path):
    roto = tmp_path / "roto.json"
    roto.write_text("{ esto no es json", encoding="utf-8")
    for archivo in (roto, tmp_path / "no_existe.json"):
        otra = Cli(tmp_path / "nada.db")
        otra.fails(2, "init", "--datos", str(archivo))
        assert not (tmp_path / "nada.db").exists()


def test_demo_plays_the_story_on_the_db_given_on_its_command_line(cli, tmp_path):
    ruta = tmp_path / "demo.db"
    r = Cli(ruta).run("demo")
    assert r.code == 0, r
    assert r.out.strip()
    assert "\x1b[" not in r.out
    estados = {p["estado"] for p in Cli(ruta).ok("pedido", "listar")["pedidos"]}
    assert {"completado", "cancelado"} <= estados


def test_demo_ignores_resolucion_db_and_leaves_no_file_behind(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ruta = tmp_path / "env.db"
    r = CliRunner().invoke(app, ["demo"], env={"RESOLUCION_DB": str(ruta)})
    assert r.exit_code == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_demo_has_no_json_output(tmp_path):
    Cli(tmp_path / "j.db").fails(2, "demo")


# --- verificar -------------------------------------------------------------------------


def test_verificar_on_a_healthy_database_reports_ok(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    assert cli.ok("verificar") == {"ok": True, "problemas": []}


def test_verificar_reports_a_broken_invariant_on_stdout_with_exit_1(cli):
    import sqlite3

    cli.pedido()
    conexion = sqlite3.connect(cli.db)
    with conexion:
        conexion.execute("UPDATE pedidos SET estado = 'en_controversia' WHERE id = 1")
    conexion.close()
    r = cli.run("verificar", "--json")
    assert r.code == 1, r
    assert "error" not in r.data
    assert r.data["ok"] is False
    assert r.data["problemas"] and all(isinstance(p, str) and p for p in r.data["problemas"])
    assert any("#1" in p for p in r.data["problemas"])


def test_verificar_never_writes_even_when_a_deadline_is_due(cli):
    import sqlite3

    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    conexion = sqlite3.connect(cli.db)
    with conexion:
        conexion.execute("UPDATE reloj SET ahora = ? WHERE id = 1", [t(days=5)])
    r = cli.run("verificar", "--json")
    assert r.code in (0, 1), r
    assert conexion.execute("SELECT estado FROM disputas WHERE id = 1").fetchone() == ("abierta",)
    assert conexion.execute("SELECT estado FROM pedidos WHERE id = 1").fetchone() == ("en_controversia",)
    conexion.close()
    # the next ordinary command processes it, at its own instant
    assert cli.ok("pedido", "ver", 1)["disputas"][0]["resuelta_en"] == t(hours=48)
