"""Every command's options and arguments, given arbitrary Unicode or bytes of any encoding
(hypothesis): never a traceback, never «Error inesperado», and nothing changed on a refusal.

Bytes reach Python as `os.fsdecode` gives them (lone surrogates for what is not UTF-8), as a
shell would hand them over. Left out: `demo` (its own story, slow), `tablero` (a server),
`informe --salida` (a path: it may write anywhere) and the completion options.
"""

import os

import click
import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from resolucion_cli.cli import app
from tests.conftest import T0_ISO, Cli
from tests.hostil import volcado

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

FUERA = {"demo", "tablero"}
OPCIONES_FUERA = {"--salida", "--db", "--help", "--install-completion", "--show-completion"}


def _ordenes(comando: click.Command, ruta=()):
    if isinstance(comando, click.Group):
        for nombre, sub in comando.commands.items():
            if nombre not in FUERA:
                yield from _ordenes(sub, (*ruta, nombre))
        return
    yield ruta, comando


ORDENES = list(_ordenes(typer.main.get_command(app)))

textos = st.one_of(
    st.text(max_size=40),
    st.binary(max_size=40).map(os.fsdecode),
    st.sampled_from(["", "-1", "0", "1", "99999999999999999999", "2026-02-30", "9999-12-31T23:59:59Z", "1d", "—"]),
)


@st.composite
def linea(draw):
    """A command, a value for each of its arguments, and some of its options with values."""
    ruta, comando = draw(st.sampled_from(ORDENES))
    argumentos = list(ruta)
    for parametro in comando.params:
        if parametro.param_type_name == "argument":
            argumentos.append(draw(textos))
        elif parametro.opts[0] not in OPCIONES_FUERA and draw(st.booleans()):
            argumentos.append(parametro.opts[0])
            if not getattr(parametro, "is_flag", False):
                argumentos.append(draw(textos))
    return argumentos


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    cli = Cli(tmp_path_factory.mktemp("fuzz") / "f.db")
    cli.ok("init", "--reloj", T0_ISO)
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    return cli


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(linea())
def test_no_input_makes_a_traceback_an_unexpected_error_or_a_change_on_refusal(base, argumentos):
    antes = volcado(base.db)
    r = CliRunner().invoke(
        app, [*argumentos, "--db", str(base.db), "--no-interactivo"], env={"TMPDIR": str(base.db.parent)}
    )
    assert r.exception is None or isinstance(r.exception, SystemExit), (argumentos, r.exception)
    assert "Traceback" not in r.stderr and "Error inesperado" not in r.stderr, (argumentos, r.stderr)
    if r.exit_code != 0:
        assert r.exit_code in (1, 2, 3, 4, 5), (argumentos, r.exit_code, r.stderr)
        assert r.stderr.startswith("Error: ") or r.stderr.startswith("{"), (argumentos, r.stderr)
        assert volcado(base.db) == antes, argumentos
