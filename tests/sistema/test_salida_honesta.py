"""What a command says never contradicts what it committed (SPEC §7), with real processes.

A closed stdout (`| true`, `| head -c 60`), a terminal encoding without "ñ" and a signal
that arrives while the result is being printed all happen after the change is saved. Each
test runs the command as a real process, then checks its exit, its stderr and the database.
"""

import fcntl
import json
import os
import signal
import subprocess
import sys

import pytest

ENTORNO = dict(os.environ, RESOLUCION_TZ="UTC", NO_COLOR="1", COLUMNS="120")
for _variable in ("RESOLUCION_DB", "RESOLUCION_USUARIO", "FORCE_COLOR", "PYTHONIOENCODING"):
    ENTORNO.pop(_variable, None)

CREAR = ["pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "Diseño de logotipo"]
CREAR += ["--precio", "100", "--entrega", "7d"]


def lanzar(db, *args, env=None, **opciones) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "resolucion_cli", *map(str, args), "--db", str(db)],
        env=dict(ENTORNO, **(env or {})),
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        **opciones,
    )


@pytest.fixture
def mercado(cli):
    """About 2 000 requests due within 4 days: `tick --avanzar 5d` fires them all and its
    result (259 KB of JSON, 18 KB of screen) is larger than a one-page pipe."""
    hechos = cli.ok("generar", "--pedidos", 6000, "--semilla", 1)
    assert hechos["disputas_abiertas"] > 1500, hechos
    return cli


def tick_leido_60_bytes(db, formato) -> tuple[subprocess.Popen, int]:
    """`tick --avanzar 5d` into a one-page pipe, once its first 60 bytes are read.

    A default 64 KiB pipe holds the whole screen, so the process could end before the
    test closes the pipe or signals it; with 4 KiB it blocks writing the rest of its
    result (tick prints only after its commit) until the test acts."""
    lectura, escritura = os.pipe()
    fcntl.fcntl(escritura, fcntl.F_SETPIPE_SZ, 4096)
    try:
        proceso = lanzar(db, "tick", "--avanzar", "5d", *formato, stdout=escritura)
    finally:
        os.close(escritura)
    leido = b""
    while len(leido) < 60:  # raw reads: a buffered one would drain kilobytes from the pipe
        trozo = os.read(lectura, 60 - len(leido))
        assert trozo, "the tick ended before printing 60 bytes"
        leido += trozo
    return proceso, lectura


def tick_guardado(cli) -> bool:
    """Whether `tick --avanzar 5d` from T0 is in the file: clock moved, no request left open."""
    reloj = cli.ok("tick", "--simular")["reloj"]
    abiertas = cli.ok("disputa", "listar", "--abiertas", "--limite", 10_000)["disputas"]
    assert reloj in ("2026-03-02T09:00:00Z", "2026-03-07T09:00:00Z"), reloj
    assert (reloj == "2026-03-07T09:00:00Z") == (abiertas == []), (reloj, len(abiertas))
    return abiertas == []


@pytest.mark.parametrize("orden", [["--help"], ["pedido", "listar", "--help"]])
def test_help_piped_to_a_closed_reader_ends_quietly_like_any_command(orden):
    lectura, escritura = os.pipe()
    os.close(lectura)
    try:
        proceso = subprocess.Popen(
            [sys.executable, "-m", "resolucion_cli", *orden], env=ENTORNO, stdout=escritura, stderr=subprocess.PIPE
        )
    finally:
        os.close(escritura)
    _, errores = proceso.communicate(timeout=60)

    assert (proceso.returncode, errores) == (141, b"")


def test_a_created_order_piped_to_a_closed_reader_exists_and_nothing_is_said(cli):
    lectura, escritura = os.pipe()
    os.close(lectura)  # `| true`: the reader is gone before anything is written
    try:
        proceso = lanzar(cli.db, *CREAR, "--json", stdout=escritura)
    finally:
        os.close(escritura)
    _, errores = proceso.communicate(timeout=60)

    assert proceso.returncode == 141, errores
    assert errores == b""
    [pedido] = cli.ok("pedido", "listar")["pedidos"]
    assert pedido["titulo"] == "Diseño de logotipo"


@pytest.mark.parametrize("formato", [["--json"], []], ids=["json", "screen"])
def test_a_tick_read_only_60_bytes_into_is_committed_and_ends_quietly(mercado, formato):
    proceso, lectura = tick_leido_60_bytes(mercado.db, formato)
    os.close(lectura)  # `| head -c 60`
    _, errores = proceso.communicate(timeout=60)

    assert proceso.returncode == 141, errores
    assert errores == b""
    assert tick_guardado(mercado)


@pytest.mark.parametrize("codificacion", ["ascii", "latin-1"])
def test_an_encoding_without_every_letter_still_gives_whole_json_and_a_screen(cli, codificacion):
    entorno = {"PYTHONIOENCODING": codificacion}
    proceso = lanzar(cli.db, *CREAR, "--json", env=entorno, stdout=subprocess.PIPE)
    salida, errores = proceso.communicate(timeout=60)

    assert proceso.returncode == 0, errores
    assert errores == b""
    assert json.loads(salida.decode(codificacion))["pedido"]["titulo"] == "Diseño de logotipo"

    proceso = lanzar(cli.db, "pedido", "ver", 1, env=entorno, stdout=subprocess.PIPE)
    salida, errores = proceso.communicate(timeout=60)
    assert proceso.returncode == 0, errores
    assert errores == b""
    assert "Pedido #1" in salida.decode(codificacion)

    proceso = lanzar(cli.db, "pedido", "ver", 9, "--json", env=entorno, stdout=subprocess.PIPE)
    salida, errores = proceso.communicate(timeout=60)
    assert (proceso.returncode, salida) == (3, b"")
    assert "«resolucion pedido listar»" in json.loads(errores.decode(codificacion))["error"]["mensaje"]
    assert len(cli.ok("pedido", "listar")["pedidos"]) == 1


@pytest.mark.parametrize("senal, codigo", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["sigint", "sigterm"])
@pytest.mark.parametrize("formato", [["--json"], []], ids=["json", "screen"])
def test_a_signal_while_the_committed_tick_prints_says_the_change_was_saved(mercado, senal, codigo, formato):
    proceso, lectura = tick_leido_60_bytes(mercado.db, formato)
    proceso.send_signal(senal)  # it is blocked writing the rest of its committed result
    _, errores = proceso.communicate(timeout=60)
    os.close(lectura)

    assert proceso.returncode == codigo, errores
    if formato:
        assert json.loads(errores) == {
            "error": {"codigo": codigo, "mensaje": "Interrumpido: el cambio ya estaba guardado."}
        }
    else:
        assert errores.decode() == "Interrumpido: el cambio ya estaba guardado.\n"
    assert tick_guardado(mercado)


ESCENARIO = "sample_data/escenarios/cancelacion.toml"
LARGOS = [
    ("demo",),
    ("guion", ESCENARIO, "--narrar"),
    ("guion", ESCENARIO, "--json"),
    ("generar", "--pedidos", "3000", "--semilla", "1"),
    ("generar", "--pedidos", "3000", "--semilla", "1", "--json"),
    ("diagrama",),
    ("informe", "1", "--formato", "html"),
    ("pedido", "listar", "--limite", "10000"),
    ("verificar",),
]


@pytest.mark.parametrize("orden", LARGOS, ids=[" ".join(o) for o in LARGOS])
def test_every_command_into_a_closed_pipe_ends_quietly_with_141(cli, tmp_path, orden):
    """`| true`: the reader is gone before the first byte; the work is done, nothing is said."""
    cli.pedido()
    temporal = tmp_path / "tmp"
    temporal.mkdir()
    # demo and guion make their own database: a new path, kept so the test can look at it.
    db = tmp_path / "propia.db" if orden[0] in ("demo", "guion") else cli.db
    lectura, escritura = os.pipe()
    os.close(lectura)
    try:
        raiz = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
        proceso = lanzar(db, *orden, env={"TMPDIR": str(temporal)}, stdout=escritura, cwd=raiz)
    finally:
        os.close(escritura)
    _, errores = proceso.communicate(timeout=120)

    assert (proceso.returncode, errores) == (141, b"")
    assert list(temporal.iterdir()) == []  # no temporary database left behind
    if orden[0] == "generar":
        assert len(cli.ok("pedido", "listar", "--limite", 10_000)["pedidos"]) == 3001  # committed all the same


# A command stopped while a pipe is full and part of its screen still waits in Python's buffer:
# the flush at exit must not block it for good (it did, now and then, when SIGTERM landed there).
DETENIDO_CON_BUFFER = """
import sys, typer
from resolucion_cli.cli import comun
try:
    with comun.orden("nada.db", None, False, "UTC", True):
        sys.stdout.write("x" * 4096)
        sys.stdout.flush()  # the one-page pipe is now full, and nobody reads it
        sys.stdout.write("y" * 100)  # left in the buffer
        raise KeyboardInterrupt
except typer.Exit as salida:
    sys.exit(salida.exit_code)
"""


def test_a_command_stopped_with_output_still_buffered_ends_instead_of_blocking(tmp_path):
    lectura, escritura = os.pipe()
    fcntl.fcntl(escritura, fcntl.F_SETPIPE_SZ, 4096)
    try:
        # As on a user's machine: stdout block-buffered (CI may set PYTHONUNBUFFERED).
        entorno = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
        proceso = subprocess.Popen(
            [sys.executable, "-c", DETENIDO_CON_BUFFER],
            cwd=tmp_path,
            env=entorno,
            stdout=escritura,
            stderr=subprocess.PIPE,
        )
    finally:
        os.close(escritura)
    try:
        _, errores = proceso.communicate(timeout=20)
    finally:
        proceso.kill()
        os.close(lectura)
    assert proceso.returncode == 130
    assert errores.decode() == "Interrumpido: no se ha cambiado nada.\n"
