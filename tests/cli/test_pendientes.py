"""`resolucion pendientes`: what a user must do now, soonest first, with the command that does it."""

import shlex

import pytest

from tests.conftest import Cli

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True


@pytest.fixture
def cli(tmp_path):
    cli = Cli(tmp_path / "p.db")
    cli.ok("init", "--reloj", "2026-10-18T08:00:00Z")
    return cli


def _pedido(cli, cliente, freelancer, entrega):
    datos = ("--cliente", cliente, "--freelancer", freelancer, "--titulo", "Logo", "--precio", "100")
    return cli.ok("pedido", "crear", *datos, "--entrega", entrega)["pedido"]["id"]


def _ejecutar(cli, comando: str):
    """Run an item's `comando` as printed, minus the program name."""
    argumentos = shlex.split(comando)
    assert argumentos[0] == "resolucion"
    return cli.ok(*argumentos[1:])


def test_lista_solicitudes_y_entregas_por_plazo_y_sus_comandos_funcionan(cli):
    propio = _pedido(cli, "ana", "nora", "7d")
    ajeno = _pedido(cli, "nora", "beto", "9d")
    cli.ok("disputa", "abrir", ajeno, "--como", "beto", "--tipo", "prorroga", "--nueva-entrega", "2026-11-20T10:00")
    r = cli.ok("pendientes", "--como", "nora")
    assert r["usuario"] == "nora" and r["reloj"] == "2026-10-18T08:00:00Z"
    solicitud, entrega = r["pendientes"]
    assert solicitud["pedido"] == ajeno and solicitud["tipo"] == "prorroga"
    assert solicitud["que"] == "responder a la solicitud de prórroga de beto"
    assert solicitud["vence_en"] < entrega["vence_en"]
    assert entrega == {
        "pedido": propio,
        "disputa": None,
        "tipo": "entrega",
        "que": "entregar el pedido",
        "vence_en": "2026-10-25T08:00:00Z",
        "comando": f"resolucion pedido entregar {propio} --como nora",
    }
    assert solicitud["comando"] == f"resolucion disputa responder {solicitud['disputa']} --como nora --aceptar"
    _ejecutar(cli, solicitud["comando"])
    _ejecutar(cli, entrega["comando"])
    assert cli.ok("pendientes", "--como", "nora")["pendientes"] == []
    assert cli.ok("pendientes", "--como", "beto")["pendientes"][0]["tipo"] == "entrega"


def test_el_cliente_ve_lo_suyo_y_no_la_entrega_que_espera(cli):
    pedido = _pedido(cli, "ana", "nora", "7d")
    assert cli.ok("pendientes", "--como", "ana")["pendientes"] == []
    cli.ok(
        "disputa",
        "abrir",
        pedido,
        "--como",
        "nora",
        "--tipo",
        "cancelacion",
        "--motivo",
        "otro",
        "--comentario",
        "No llego",
    )
    [item] = cli.ok("pendientes", "--como", "ana")["pendientes"]
    assert item["que"] == "responder a la solicitud de cancelación de nora"
    _ejecutar(cli, item["comando"].replace("--aceptar", "--rechazar"))
    cli.ok("pedido", "entregar", pedido, "--como", "nora")
    assert cli.ok("pendientes", "--como", "ana")["pendientes"] == []


def test_actualizacion_y_entrega_atrasada(cli):
    pedido = _pedido(cli, "ana", "nora", "1d")
    cli.ok("tick", "--avanzar", "2d")
    cli.ok("disputa", "abrir", pedido, "--como", "ana", "--tipo", "actualizacion")
    actualizacion, entrega = sorted(cli.ok("pendientes", "--como", "nora")["pendientes"], key=lambda p: p["tipo"])
    assert entrega["tipo"] == "entrega" and entrega["vence_en"] == "2026-10-19T08:00:00Z"
    assert actualizacion["que"] == "enviar la actualización que pidió ana"
    _ejecutar(cli, actualizacion["comando"].replace("TEXTO", "Listo"))


def test_como_es_obligatorio_y_un_desconocido_es_error(cli):
    _pedido(cli, "ana", "nora", "7d")
    assert "--como" in cli.fails(2, "pendientes").error["mensaje"]
    assert "«zz»" in cli.fails(4, "pendientes", "--como", "zz").error["mensaje"]


def test_pantalla_de_60_columnas_no_corta_nada(cli):
    _pedido(cli, "ana", "nora", "7d")
    otro = _pedido(cli, "nora", "beto", "9d")
    cli.ok("disputa", "abrir", otro, "--como", "beto", "--tipo", "prorroga", "--nueva-entrega", "2026-11-20T10:00")
    r = cli.run("pendientes", "--como", "nora", env={"COLUMNS": "60"})
    assert r.code == 0 and "…" not in r.out
    assert "responder a la solicitud" in r.out and "2026-10-25 08:00" in r.out
    for item in cli.ok("pendientes", "--como", "nora")["pendientes"]:
        assert item["comando"] in r.out.splitlines()
    assert "Nada pendiente para ana." in cli.run("pendientes", "--como", "ana").out


def test_bandeja_muestra_la_solicitud_su_plazo_y_el_comando_solo_a_quien_responde(cli):
    pedido = _pedido(cli, "nora", "beto", "9d")
    disputa = cli.ok("disputa", "abrir", pedido, "--como", "nora", "--tipo", "actualizacion")["disputa"]
    d, vence = disputa["id"], disputa["vence_en"].replace("T", " ")[:16]
    comando = f"resolucion disputa responder {d} --como beto --actualizacion"
    bandeja = cli.run("bandeja", "--como", "beto", env={"COLUMNS": "120"}).out
    assert f"Solicitud #{d}" in bandeja and f"Vence: {vence}" in bandeja and comando in bandeja
    cli.ok("disputa", "responder", d, "--como", "beto", "--actualizacion", "Casi listo")
    bandeja = cli.run("bandeja", "--como", "beto", env={"COLUMNS": "120"}).out
    assert f"Solicitud #{d}" in bandeja and "Vence:" not in bandeja and comando not in bandeja
    assert comando not in cli.run("bandeja", "--como", "nora", env={"COLUMNS": "120"}).out
