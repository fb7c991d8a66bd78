"""Fixtures of the command-line tests: a database with a bit of everything, copied for each test."""

import tempfile
from pathlib import Path

import pytest

from tests.conftest import T0_ISO, Cli
from tests.hostil import _copiar


@pytest.fixture(scope="module")
def plantilla(tmp_path_factory) -> Path:
    return _plantilla(Cli(tmp_path_factory.mktemp("plantilla") / "plantilla.db")).db


@pytest.fixture(scope="module")
def plantilla_postgres() -> str:
    from tests.postgres import cli_nueva

    return _plantilla(cli_nueva(iniciar=False)).db


def _plantilla(c: Cli) -> Cli:
    """Orders and requests in every situation the tests need (ana client, beto freelancer).

    Pedidos: 1 activo · 2 entregado · 3 completado · 4 ana's cancellation #1 open ·
    5 beto's cancellation #2 open · 6 ana's update #3 open · 7 beto's extension #4 open ·
    8 ana's cancellation #5 revoked · 9 beto's extras #6 rejected · 10 carla→dario activo ·
    11 cancelled by ana's cancellation #7, accepted.
    """
    c.ok("init", "--reloj", T0_ISO)
    for titulo in ("Logo", "Web", "App", "Vídeo", "Libro", "Podcast", "Manual", "Catálogo", "Tienda"):
        c.pedido(titulo=titulo, entrega="14d")
    c.pedido(cliente="carla", freelancer="dario", titulo="Ajeno")
    c.pedido(titulo="Cancelado")
    c.ok("pedido", "entregar", 2, "--como", "beto")
    c.ok("pedido", "entregar", 3, "--como", "beto")
    c.ok("pedido", "completar", 3, "--como", "ana")
    assert c.abrir(4, "ana", "cancelacion", "--comentario", "Me arrepentí")["id"] == 1
    assert c.abrir(5, "beto", "cancelacion", "--motivo", "cliente_no_responde")["id"] == 2
    assert c.abrir(6, "ana", "actualizacion")["id"] == 3
    assert c.abrir(7, "beto", "prorroga", "--nueva-entrega", "2026-12-01")["id"] == 4
    assert c.abrir(8, "ana", "cancelacion", "--comentario", "Quizá")["id"] == 5
    c.ok("disputa", "revocar", 5, "--como", "ana")
    assert c.abrir(9, "beto", "extras", "--extras-precio", "20", "--extras-descripcion", "Más")["id"] == 6
    c.ok("disputa", "responder", 6, "--como", "ana", "--rechazar")
    assert c.abrir(11, "ana", "cancelacion", "--comentario", "Adiós")["id"] == 7
    c.ok("disputa", "responder", 7, "--como", "beto", "--aceptar")
    estados = [p["estado"] for p in c.ok("pedido", "listar")["pedidos"]]
    assert estados == ["activo", "entregado", "completado"] + ["en_controversia"] * 4 + ["activo"] * 3 + ["cancelado"]
    return c


@pytest.fixture
def base(request, motor, tmp_path) -> Cli:
    if motor == "postgres":
        from tests.postgres import cluster

        return Cli(cluster().nueva_base(request.getfixturevalue("plantilla_postgres")))
    return _copiar(request.getfixturevalue("plantilla"), tmp_path / "base.db")


# --- the scenario tests (`resolucion guion`) --------------------------------------


@pytest.fixture
def temporal(tmp_path, monkeypatch):
    """Point tempfile at an empty folder of our own, to see what a run leaves behind."""
    carpeta = tmp_path / "tmp"
    carpeta.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(carpeta))
    return carpeta


@pytest.fixture
def aqui(tmp_path, monkeypatch):
    """Run from an empty working folder, so a stray resolucion.db would show."""
    carpeta = tmp_path / "trabajo"
    carpeta.mkdir()
    monkeypatch.chdir(carpeta)
    return carpeta
