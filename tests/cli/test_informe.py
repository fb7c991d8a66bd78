"""`resolucion informe`: an order's whole story as Markdown or a self-contained HTML page."""

import html
import os
import re
import shutil
import struct
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from resolucion_cli import informe
from resolucion_cli.cli import app
from tests.conftest import SOLO_SQLITE

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

TITULO_HOSTIL = "*x* | <b>negrita</b> & [enlace](javascript:alert(1)) `código`"
COMENTARIO_HOSTIL = "a | b\n# no soy un título\n- ni una lista\n<script>alert(1)</script> _fin_"


@pytest.fixture
def historia(cli):
    """Order #1 (ana → beto) from T0 = 2026-03-02 09:00 UTC: an update asked for and sent 5 h
    later (#1), then a cancellation nobody answers, expired at 2026-03-04 14:00 UTC (#2).
    Order #2 (ana → beto) has a prórroga still open (#3), due in 96 h."""
    cli.pedido(titulo="Logo")
    cli.abrir(1, "ana", "actualizacion", "--comentario", "¿Cómo va?")
    cli.ok("tick", "--avanzar", "5h")
    cli.ok("disputa", "responder", 1, "--como", "beto", "--actualizacion", "Casi listo")
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    cli.ok("tick", "--avanzar", "3d")
    cli.pedido(titulo="Web", entrega="20d")
    cli.abrir(2, "beto", "prorroga", "--nueva-entrega", "2026-04-01T12:00Z", "--comentario", "Cambió el diseño")
    return cli


def documento(cli, *args):
    r = cli.run("informe", *args)
    assert r.code == 0, r
    assert r.err == "", r
    return r.out


# --- what the report tells --------------------------------------------------------------------


def test_the_markdown_tells_parties_requests_deadlines_outcomes_messages_and_the_clock(historia):
    md = documento(historia, 1)

    assert md.startswith("# Informe del pedido #1: «Logo»\n")
    for linea in (
        "- **Cliente:** ana",
        "- **Freelancer:** beto",
        "- **Precio:** US$ 100,00",
        "- **Estado:** Cancelado de mutuo acuerdo (cancelado)",
        "- **Reloj de la base:** 2026-03-05 14:00 (reloj simulado)",
        "### Solicitud #1: Obtener una actualización del pedido",
        "- **Abierta por:** ana (cliente), para beto",
        "- **Plazo:** 48 h: hasta el 2026-03-04 09:00",
        "- **Comentario:** ¿Cómo va?",
        "- **Respuesta:** Casi listo",
        "- **Resultado:** respondida el 2026-03-02 14:00 por beto",
        "### Solicitud #2: Solicitar que se cancele el pedido",
        "- **Resultado:** vencida el 2026-03-04 14:00: beto no respondió a tiempo",
        "## Mensajes",
        "## Historial",
        "## Cronología del reloj",
        "| **2026-03-05 14:00** | **ahora** | **El reloj de la base marca esta hora: aquí termina lo ocurrido** |",
    ):
        assert linea + "\n" in md, linea
    assert "Pedido #1: ana te envió una solicitud: Solicitar que se cancele el pedido." in md
    assert "| 2026-03-04 14:00 | hace 1 día | Vence el plazo de la solicitud #2 (Cancelación) sin respuesta |" in md
    # Order #2's story is not in order #1's report.
    assert "Web" not in md and "Cambió el diseño" not in md


def test_the_timeline_is_in_clock_order_and_marks_what_has_not_happened_yet(historia):
    md = documento(historia, 2)
    cronologia = md.split("## Cronología del reloj")[1]
    instantes = re.findall(r"^\| _?\*{0,2}(\d{4}-\d{2}-\d{2} \d{2}:\d{2})", cronologia, re.MULTILINE)

    assert instantes == sorted(instantes) and len(instantes) == 5, cronologia
    assert "- **Resultado:** abierta, vence en 4 días: ana debe responder" in md
    assert "| _2026-03-09 14:00_ | _dentro de 4 días_ | _Vence el plazo de la solicitud #3: ana debe" in cronologia
    assert "| _2026-03-25 14:00_ | _dentro de 2 semanas y 6 días_ | _Fecha de entrega del pedido_ |" in cronologia


def test_every_instant_is_written_in_the_readers_zone_which_is_named(historia):
    utc = documento(historia, 1)
    madrid = documento(historia, 1, "--tz", "Europe/Madrid")

    assert "- **Zona horaria:** UTC (todas las horas" in utc
    assert "- **Zona horaria:** Europe/Madrid (todas las horas" in madrid
    assert "vencida el 2026-03-04 14:00" in utc
    assert "vencida el 2026-03-04 15:00" in madrid
    assert "2026-03-04 14:00" not in madrid
    # Times inside the stored facts' sentences too (the creation's delivery date).
    assert "con entrega el 2026-03-09 10:00" in madrid
    assert not re.search(r"\d{2}:\d{2}(:\d{2})?Z|UTC", madrid)


def test_the_markdown_and_the_html_tell_the_same_story(historia):
    md = documento(historia, 1)
    pagina = documento(historia, 1, "--formato", "html")

    texto = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", pagina.split("<body>")[1])).split())
    for frase in ("Informe del pedido #1: «Logo»", "respondida el 2026-03-02 14:00 por beto", "Casi listo"):
        assert frase in md and frase in texto, frase


# --- hostile text ----------------------------------------------------------------------------


def _historia_hostil(cli):
    cli.pedido(titulo=TITULO_HOSTIL)
    cli.abrir(1, "ana", "cancelacion", "--comentario", COMENTARIO_HOSTIL)


def _barras(linea: str) -> int:
    """The cell separators of a Markdown table row: bars not escaped."""
    return len(re.findall(r"(?<!\\)\|", linea))


def test_user_text_cannot_break_the_markdown(cli):
    _historia_hostil(cli)
    md = documento(cli, 1)

    assert md.startswith(
        r"# Informe del pedido #1: «\*x\* \| \<b\>negrita\</b\> \& \[enlace\](javascript:alert(1)) \`código\`»"
    )
    assert "<b>" not in md and "<script>" not in md
    # The comment's lines stay inside their line: no heading, list item or row of their own.
    assert not re.search(r"^(# no soy|- ni una|<script)", md, re.MULTILINE)
    assert r"a \| b<br>\# no soy" not in md  # `#` needs no escape once it no longer starts a line
    assert (
        r"- **Comentario:** a \| b<br># no soy un título<br>- ni una lista<br>\<script\>alert(1)\</script\> \_fin\_"
        in md
    )
    for tabla in re.findall(r"((?:^\|.*\n)+)", md, re.MULTILINE):
        filas = tabla.splitlines()
        assert {_barras(f) for f in filas} == {_barras(filas[0])}, tabla


def test_user_text_cannot_break_the_html(cli):
    _historia_hostil(cli)
    pagina = documento(cli, 1, "--formato", "html")

    assert "<b>" not in pagina and "<script" not in pagina and "href=" not in pagina
    assert "<title>Informe del pedido #1: «*x* | &lt;b&gt;negrita&lt;/b&gt; &amp; [enlace](javascript:" in pagina
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pagina


def test_a_browser_never_breaks_a_date_or_an_amount_across_lines(historia):
    pagina = documento(historia, 1, "--formato", "html")

    assert '<dd>48 h: hasta el <span class="np">2026-03-04 09:00</span></dd>' in pagina
    assert '<dd><span class="np">US$ 100,00</span></dd>' in pagina


def test_control_characters_are_shown_not_obeyed():
    assert informe.md("a\x1b[2Jb") == r"a\\u001b\[2Jb"
    assert informe.h("a\x1b[2Jb") == "a\\u001b[2Jb"


# --- the HTML page ----------------------------------------------------------------------------


def test_the_html_is_one_self_contained_page_that_fetches_nothing(historia):
    pagina = documento(historia, 1, "--formato", "html")

    assert pagina.startswith('<!DOCTYPE html>\n<html lang="es">\n<head>\n<meta charset="utf-8">')
    assert pagina.rstrip().endswith("</html>")
    assert "<style>" in pagina and "@media print" in pagina
    for referencia in ("http://", "https://", "src=", "href=", "<script", "<link", "@import", "url("):
        assert referencia not in pagina, referencia


# --- --json ------------------------------------------------------------------------------------


def test_json_gives_the_order_its_requests_events_and_every_message_oldest_first(historia):
    datos = historia.ok("informe", 1)
    ver = historia.ok("pedido", "ver", 1)
    recibidos = [
        m for quien in ("ana", "beto") for m in historia.ok("bandeja", "--como", quien)["mensajes"] if m["pedido"] == 1
    ]

    assert list(datos) == ["pedido", "disputas", "eventos", "mensajes"]
    assert datos["pedido"] == ver["pedido"]
    assert datos["disputas"] == ver["disputas"]
    assert datos["eventos"] == ver["eventos"]
    assert datos["mensajes"] == sorted(recibidos, key=lambda m: (m["en"], m["id"]))
    assert [m["de"] for m in datos["mensajes"]] == ["ana", "beto", "ana", "sistema", "sistema"]


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argumentos", "codigo", "frase"),
    [
        (["1", "--formato", "pdf"], 2, "--formato «pdf» no es válido: elige uno de md, html"),
        (["uno"], 2, "El número de pedido «uno» no es válido"),
        (["1", "--salida", "{tmp}/no-existe/informe.md"], 2, "la carpeta «{tmp}/no-existe» no existe"),
        (["1", "--salida", "{tmp}"], 2, "es una carpeta"),
        (["99"], 3, "No existe el pedido #99"),
        (["1", "--como", "carla"], 4, "«carla» no es parte del pedido #1"),
    ],
    ids=["formato", "numero", "carpeta", "es-carpeta", "no-existe", "no-es-parte"],
)
def test_each_error_is_one_spanish_sentence_with_its_exit_code(historia, tmp_path, argumentos, codigo, frase):
    antes = sorted(os.listdir(tmp_path))
    argumentos = [a.replace("{tmp}", str(tmp_path)) for a in argumentos]
    r = historia.run("informe", *argumentos)

    assert r.code == codigo, r
    assert r.out == ""
    assert r.err.startswith("Error: ") and r.err.count("\n") == 1, r
    assert frase.replace("{tmp}", str(tmp_path)) in r.err, r
    assert sorted(os.listdir(tmp_path)) == antes  # nothing written, nothing left behind
    if "--salida" not in argumentos:  # with --salida, --json is refused itself (below)
        assert historia.fails(codigo, "informe", *argumentos).error["mensaje"] in r.err


def test_json_with_salida_is_refused_rather_than_writing_the_json_elsewhere(historia, tmp_path):
    r = historia.fails(2, "informe", 1, "--salida", tmp_path / "x.json")
    assert "--json escribe el objeto JSON en la salida estándar" in r.error["mensaje"]
    assert not (tmp_path / "x.json").exists()


def test_a_missing_database_is_exit_5_and_is_not_created(tmp_path):
    r = CliRunner().invoke(app, ["informe", "1", "--db", str(tmp_path / "nada.db")])

    assert r.exit_code == 5
    assert "resolucion init --db" in r.stderr
    assert not (tmp_path / "nada.db").exists()


def test_a_party_may_read_the_report(historia):
    assert documento(historia, 1, "--como", "beto") == documento(historia, 1)


# --- --salida -----------------------------------------------------------------------------------


def test_salida_writes_the_whole_document_and_says_so_in_one_sentence(historia, tmp_path):
    destino = tmp_path / "informes" / "pedido-1.html"
    destino.parent.mkdir()
    r = historia.run("informe", 1, "--formato", "html", "--salida", destino, env={"COLUMNS": "300"})

    assert r.code == 0, r
    assert r.out == f"Base de datos: {historia.db}\nInforme del pedido #1 escrito en «{destino}».\n"
    assert destino.read_text(encoding="utf-8") == documento(historia, 1, "--formato", "html")
    assert os.listdir(destino.parent) == ["pedido-1.html"]  # no temporary file left
    assert destino.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mascara = os.umask(0)
    os.umask(mascara)
    return mascara


@SOLO_SQLITE
def test_salida_never_replaces_the_database_itself(historia):
    antes = historia.db.read_bytes()
    r = historia.run("informe", 1, "--salida", historia.db)

    assert r.code == 2, r
    assert "es la propia base de datos" in r.err
    assert historia.db.read_bytes() == antes


def test_salida_dash_is_stdout(historia):
    assert documento(historia, 1, "--salida", "-") == documento(historia, 1)


def test_stdout_and_salida_give_the_same_bytes_even_with_tabs_and_brackets(historia, tmp_path):
    historia.ok("disputa", "revocar", 3, "--como", "beto", "--comentario", "con\ttab y [bold]rojo[/bold]")
    historia.run("informe", 2, "--salida", tmp_path / "b.md")

    assert (tmp_path / "b.md").read_text(encoding="utf-8") == documento(historia, 2)
    assert "con\ttab y \\[bold\\]rojo\\[/bold\\]" in documento(historia, 2)


def test_a_failed_write_leaves_the_previous_report_whole_and_no_temporary_file(historia, tmp_path, monkeypatch):
    destino = tmp_path / "informe.md"
    destino.write_text("informe anterior\n", encoding="utf-8")

    def disco_lleno(*_args, **_kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disco_lleno)
    r = historia.run("informe", 1, "--salida", destino)

    assert r.code == 2, r
    assert r.err == f"Error: No se puede escribir el informe en «{destino}»: el disco está lleno. {OTRA_RUTA}\n"
    assert destino.read_text(encoding="utf-8") == "informe anterior\n"
    assert [n for n in os.listdir(tmp_path) if n.startswith(".informe.md.")] == []


def test_a_closed_pipe_ends_the_report_quietly(historia):
    lectura, escritura = os.pipe()
    os.close(lectura)  # `| true`: the reader is gone before anything is written
    try:
        proceso = subprocess.Popen(
            [sys.executable, "-m", "resolucion_cli", "informe", "1", "--db", str(historia.db)],
            env=dict(os.environ, RESOLUCION_TZ="UTC"),
            stdin=subprocess.DEVNULL,
            stdout=escritura,
            stderr=subprocess.PIPE,
        )
    finally:
        os.close(escritura)
    _, errores = proceso.communicate(timeout=60)

    assert (proceso.returncode, errores) == (141, b"")


def test_the_help_is_spanish_with_an_example():
    r = CliRunner().invoke(app, ["informe", "--help"])

    assert r.exit_code == 0
    assert "Ejemplo: resolucion informe 1 --formato html --salida informe.html" in r.stdout


# --- in a real browser -----------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
OTRA_RUTA = "Indica otra ruta con --salida."


@pytest.mark.skipif(CHROMIUM is None, reason="no está el navegador chromium (apt-get install chromium)")
def test_headless_chromium_draws_the_page_and_reads_its_text_in_the_readers_zone(historia, tmp_path):
    pagina = tmp_path / "informe.html"
    historia.run("informe", 1, "--formato", "html", "--salida", pagina, "--tz", "Europe/Madrid")
    captura = tmp_path / "informe.png"
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'perfil'}"]
    entorno = dict(os.environ, HOME=str(tmp_path))

    subprocess.run(
        [*base, f"--screenshot={captura}", "--window-size=1000,1400", pagina.as_uri()],
        env=entorno,
        capture_output=True,
        timeout=180,
        check=True,
    )
    dom = subprocess.run(
        [*base, "--dump-dom", pagina.as_uri()], env=entorno, capture_output=True, timeout=180, check=True, text=True
    ).stdout

    png = captura.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1000, 1400)
    assert len(png) > 20_000  # a blank page compresses to a few hundred bytes
    texto = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom)).split())
    assert "Informe del pedido #1: «Logo»" in texto
    assert "Cliente ana" in texto and "Freelancer beto" in texto
    assert "Plazo 48 h: hasta el 2026-03-04 15:00" in texto  # request #2's deadline, 14:00 UTC
    assert "Europe/Madrid" in texto


def test_a_comment_of_several_lines_stays_one_field_of_a_request():
    from types import SimpleNamespace

    from resolucion_cli import vista

    solicitud = SimpleNamespace(
        motivo=None,
        nueva_fecha_entrega=None,
        extras_centavos=None,
        reembolso_centavos=None,
        comentario="uno\nMotivo: falso",
        respuesta=None,
    )
    assert vista.pares_solicitud(solicitud, None) == [("Comentario", "uno\nMotivo: falso")]


def test_the_reference_shows_the_screenshot_and_how_to_make_one():
    from pathlib import Path

    raiz = Path(__file__).resolve().parents[2]
    referencia = (raiz / "docs" / "referencia.md").read_text(encoding="utf-8")

    assert "](informe.png)" in referencia
    assert "resolucion informe 1 --formato html --salida informe.html" in referencia
    assert (raiz / "docs" / "informe.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
