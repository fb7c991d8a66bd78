"""Every human screen names, in its first line, the database it read: a terminal opened in
another folder, or pointed at another file, shows it before anything else."""

import pytest

from tests.conftest import Cli

PANTALLAS = [
    ("pedido", "ver", "1"),
    ("pedido", "listar"),
    ("pedido", "entregar", "1", "--como", "beto"),
    ("disputa", "listar"),
    ("disputa", "abrir", "1", "--como", "ana", "--tipo", "actualizacion"),
    ("bandeja", "--como", "beto"),
    ("pendientes", "--como", "beto"),
    ("mensaje", "1", "--como", "ana", "--texto", "hola"),
    ("tick", "--avanzar", "1h"),
    ("explicar", "1"),
    ("generar", "--pedidos", "3", "--semilla", "1"),
]


@pytest.fixture
def clase(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "grupo").mkdir()
    cli = Cli("grupo/clase.db")
    cli.ok("init", "--reloj", "2026-03-02T09:00:00Z")
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    return cli


@pytest.mark.parametrize("orden", PANTALLAS, ids=[" ".join(o[:2]) for o in PANTALLAS])
def test_each_screen_starts_with_the_database_relative_to_where_the_reader_stands(clase, orden):
    if orden[1] in ("abrir", "entregar"):  # the open request would block them
        clase.ok("disputa", "revocar", "1", "--como", "ana")
    r = clase.run(*orden, env={"COLUMNS": "100"})
    assert r.code == 0, r
    assert r.out.splitlines()[0] == "Base de datos: grupo/clase.db"


def test_a_database_elsewhere_is_named_from_home_or_in_full(tmp_path, monkeypatch):
    casa, fuera = tmp_path / "casa", tmp_path / "fuera"
    casa.mkdir()
    fuera.mkdir()
    monkeypatch.setenv("HOME", str(casa))
    monkeypatch.chdir(fuera)
    for db, nombre in ((casa / "clase.db", "~/clase.db"), (tmp_path / "otra.db", str(tmp_path / "otra.db"))):
        cli = Cli(db)
        cli.ok("init")
        assert cli.run("pedido", "listar", env={"COLUMNS": "200"}).out.splitlines()[0] == f"Base de datos: {nombre}"


def test_json_and_the_screens_that_name_it_themselves_have_no_header(clase):
    assert clase.run("pedido", "listar", "--json").out.startswith('{"pedidos"')
    assert clase.run("verificar").out.startswith("✔ «grupo/clase.db» está bien")
    assert clase.run("init").out.startswith("Base de datos lista")
