"""Shared fixtures: a store on a temporary file, and the CLI through typer's CliRunner."""

import json
import os
from datetime import UTC, datetime

import freezegun
import pytest
from typer.testing import CliRunner

from resolucion_cli.almacen import Almacen
from resolucion_cli.cli import app

# pendulum computes differences with its own clock helpers; freezegun must leave it alone.
freezegun.configure(extend_ignore_list=["pendulum"])

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
T0_ISO = "2026-03-02T09:00:00Z"


@pytest.fixture(autouse=True)
def entorno_limpio(monkeypatch):
    """No variable of the developer's shell may change what a test sees."""
    for variable in ("RESOLUCION_DB", "RESOLUCION_USUARIO", "RESOLUCION_TZ", "FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("RESOLUCION_TZ", "UTC")


@pytest.fixture
def almacen(tmp_path):
    a = Almacen.abrir(tmp_path / "prueba.db", T0)
    yield a
    a.cerrar()


class Resultado:
    def __init__(self, r):
        self.code = r.exit_code
        self.out = r.stdout
        self.err = r.stderr
        self.exception = r.exception

    @property
    def data(self):
        return json.loads(self.out)

    @property
    def error(self):
        return json.loads(self.err)["error"]

    def __repr__(self):
        return f"<exit {self.code}\nstdout: {self.out[-1500:]}\nstderr: {self.err[-1500:]}>"


class Cli:
    """Runs `resolucion` in-process on one database file."""

    def __init__(self, db):
        self.db = db
        self.runner = CliRunner()

    def run(self, *args, input=None, env=None):
        argumentos = [str(a) for a in args] + ["--db", str(self.db)]
        r = Resultado(self.runner.invoke(app, argumentos, input=input, env=env))
        assert "Traceback" not in r.err, r
        return r

    def ok(self, *args, **kw):
        r = self.run(*args, "--json", **kw)
        assert r.code == 0, r
        return r.data

    def fails(self, code, *args, **kw):
        r = self.run(*args, "--json", **kw)
        assert r.code == code, r
        assert r.out == "", r
        assert r.error["codigo"] == code, r
        return r

    def sql(self, consulta: str, parametros=()) -> list[tuple]:
        """One statement run on the database as another client would (a hand edit, a look inside),
        written for SQLite (`?`) and run on either backend."""
        if str(self.db).startswith("postgresql://"):
            import psycopg

            from resolucion_cli.postgres import _traducir

            with psycopg.connect(str(self.db), autocommit=True) as conexion:
                cursor = conexion.execute(_traducir(consulta), parametros or ())
                return cursor.fetchall() if cursor.description else []
        import sqlite3

        conexion = sqlite3.connect(self.db)
        try:
            with conexion:
                return conexion.execute(consulta, parametros).fetchall()
        finally:
            conexion.close()

    def pedido(self, cliente="ana", freelancer="beto", entrega="7d", precio="100", titulo="Logo"):
        return self.ok(
            "pedido",
            "crear",
            "--cliente",
            cliente,
            "--freelancer",
            freelancer,
            "--titulo",
            titulo,
            "--precio",
            precio,
            "--entrega",
            entrega,
        )["pedido"]

    def abrir(self, pedido, como, tipo, *extra):
        return self.ok("disputa", "abrir", pedido, "--como", como, "--tipo", tipo, *extra)["disputa"]


# --- the two backends --------------------------------------------------------------------
# A test module that sets `AMBOS_MOTORES = True` runs each test taking `cli` (or `base`) twice:
# on a SQLite file and on a fresh database of a throw-away PostgreSQL cluster (tests/postgres.py).


def pytest_generate_tests(metafunc):
    todos = os.environ.get("RESOLUCION_PRUEBAS_POSTGRES") == "todas"  # to find what else runs on both
    elegido = any(m.args and m.args[0] == "motor" for m in metafunc.definition.iter_markers("parametrize"))
    ambos = todos or getattr(metafunc.module, "AMBOS_MOTORES", False)
    if "motor" in metafunc.fixturenames and ambos and not elegido:
        metafunc.parametrize("motor", ["sqlite", "postgres"], indirect=True)


# The same, for one test of a module that does not run whole on both.
EN_AMBOS = pytest.mark.parametrize("motor", ["sqlite", "postgres"], indirect=True)
# A test of a file as a file (its bytes, a PRAGMA), in a module that runs on both backends;
# tests/almacen/test_postgres.py holds what stands for it on PostgreSQL.
SOLO_SQLITE = pytest.mark.parametrize("motor", ["sqlite"], indirect=True)


@pytest.fixture
def motor(request) -> str:
    return getattr(request, "param", "sqlite")


def pytest_sessionfinish(session, exitstatus):
    from tests import postgres

    postgres.parar()


@pytest.fixture
def cli(tmp_path, motor):
    if motor == "postgres":
        from tests.postgres import cli_nueva

        return cli_nueva()
    c = Cli(tmp_path / "cli.db")
    c.ok("init", "--reloj", T0_ISO)
    return c
