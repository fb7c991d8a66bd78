"""Live screens (`--seguir` on `pedido ver` and `bandeja`): redrawn as soon as another terminal writes.

End to end: the installed `resolucion` runs in a pseudo-terminal (pexpect) while a second process
changes the database; the change must reach the first one's screen, and Ctrl-C must leave with 0.
The loop itself is also driven in-process with a fake sleep and a fake wall clock, so when it
redraws (another connection's commit, a new second in `real` mode) is checked without timing.
"""

import io
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from rich.console import Console

from resolucion_cli import servicios, vista
from resolucion_cli.almacen import bloqueo
from resolucion_cli.cli import vivo
from resolucion_cli.cli.comun import Contexto
from resolucion_cli.modelo import Mensaje
from resolucion_cli.reloj import zona
from tests.conftest import EN_AMBOS, T0, Cli
from tests.terminal import (
    en_terminal,
    en_vivo,
    otra_terminal,
    salir_con_ctrl_c,
)

# --- two processes, one pseudo-terminal -------------------------------------------------


@en_terminal
@EN_AMBOS
def test_a_request_opened_in_another_terminal_appears_on_the_followed_order(cli):
    cli.pedido(titulo="Logo para la cafetería")
    pantalla = en_vivo(cli.db, "pedido", "ver", 1, "--seguir")
    pantalla.expect_exact("Siguiendo el pedido #1 — Ctrl-C para salir")
    pantalla.expect_exact("Activo")
    pantalla.expect_exact("Historial")  # the whole first screen is drawn

    otra_terminal(
        cli.db, "disputa", "abrir", 1, "--como", "ana", "--tipo", "cancelacion", "--comentario", "Ya no lo necesito"
    )

    pantalla.expect_exact("En controversia", timeout=5)
    pantalla.expect_exact("Ya no lo necesito", timeout=5)
    assert salir_con_ctrl_c(pantalla) == 0
    assert "Traceback" not in pantalla.logfile_read.getvalue()
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == "en_controversia"  # Ctrl-C undid nothing


@en_terminal
@EN_AMBOS
def test_a_message_sent_from_another_terminal_appears_in_the_followed_inbox(cli):
    cli.pedido()
    pantalla = en_vivo(cli.db, "bandeja", "--como", "beto", "--seguir")
    pantalla.expect_exact("Siguiendo la bandeja de beto — Ctrl-C para salir")
    pantalla.expect_exact("La bandeja de beto está vacía.")

    otra_terminal(
        cli.db, "disputa", "abrir", 1, "--como", "ana", "--tipo", "cancelacion", "--comentario", "Cambio de planes"
    )

    pantalla.expect_exact("Cambio de planes", timeout=5)
    assert salir_con_ctrl_c(pantalla) == 0


@en_terminal
@EN_AMBOS
def test_a_tick_in_another_terminal_moves_the_followed_clock(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no")
    pantalla = en_vivo(cli.db, "pedido", "ver", 1, "--seguir")
    pantalla.expect_exact("reloj simulado 2026-03-02 09:00:00 (UTC)")
    pantalla.expect_exact("vence en 2 días")

    otra_terminal(cli.db, "tick", "--avanzar", "1d12h")

    pantalla.expect_exact("reloj simulado 2026-03-03 21:00:00 (UTC)", timeout=5)
    pantalla.expect_exact("vence en 12 horas", timeout=5)
    assert salir_con_ctrl_c(pantalla) == 0


@en_terminal
def test_in_real_mode_the_countdown_moves_with_no_other_process(tmp_path):
    """The clock follows the wall clock: the header's seconds tick, and a delivery date passes on screen."""
    ahora = datetime.now(UTC).replace(microsecond=0)
    cli = Cli(tmp_path / "real.db")
    cli.ok("init", "--modo-reloj", "real", "--reloj", ahora.isoformat())
    # Far enough ahead that a slow start (a loaded CI machine) still sees it in the future.
    entrega = (datetime.now(UTC) + timedelta(seconds=8)).replace(microsecond=0)
    cli.pedido(entrega=entrega.isoformat())

    pantalla = en_vivo(cli.db, "pedido", "ver", 1, "--seguir")
    pantalla.expect(r"reloj real (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)")
    primera = pantalla.match.group(1)
    pantalla.expect_exact("(en menos de un minuto)")
    pantalla.expect(r"reloj real (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)", timeout=5)
    assert pantalla.match.group(1) > primera  # redrawn a second later, with nothing written
    pantalla.expect_exact("ATRASADO", timeout=20)  # the delivery date passed while we watched
    pantalla.expect_exact("(hace menos de un minuto)", timeout=5)
    assert salir_con_ctrl_c(pantalla) == 0


@en_terminal
def test_ctrl_c_on_the_first_screen_leaves_with_0(cli):
    cli.pedido()
    pantalla = en_vivo(cli.db, "pedido", "ver", 1, "--seguir")
    pantalla.expect_exact("Historial")
    assert salir_con_ctrl_c(pantalla) == 0


@en_terminal
def test_an_inbox_taller_than_the_terminal_keeps_its_newest_messages_on_screen(cli):
    cli.pedido()
    for n in range(6):
        d = cli.abrir(1, "ana", "actualizacion", "--comentario", f"Pregunta {n}")
        cli.ok("disputa", "responder", d["id"], "--como", "beto", "--actualizacion", f"Respuesta {n}")
    pantalla = en_vivo(cli.db, "bandeja", "--como", "ana", "--seguir", filas=12)
    pantalla.expect_exact("Siguiendo la bandeja de ana")
    pantalla.expect_exact("mensajes más antiguos no caben en la pantalla")
    pantalla.expect_exact("Respuesta 5")
    assert salir_con_ctrl_c(pantalla) == 0


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize("orden", [("pedido", "ver", 1), ("bandeja", "--como", "beto")])
def test_seguir_with_json_is_refused_because_a_json_object_is_one_snapshot(cli, orden):
    cli.pedido()
    r = cli.fails(2, *orden, "--seguir")
    assert "--seguir no se combina con --json" in r.error["mensaje"]


@pytest.mark.parametrize("orden", [("pedido", "ver", 1), ("bandeja", "--como", "beto")])
def test_seguir_without_a_terminal_is_refused(cli, orden):
    cli.pedido()
    r = cli.run(*orden, "--seguir")
    assert r.code == 2, r
    assert r.out == ""
    assert r.err == (
        "Error: --seguir necesita una terminal: la salida va a un archivo o a una tubería. "
        "Quita --seguir para obtener una sola foto.\n"
    )


def test_seguir_on_an_order_that_does_not_exist_is_refused_before_drawing(cli, monkeypatch):
    monkeypatch.setattr(vivo, "comprobar", lambda ctx: None)  # as if on a terminal
    r = cli.run("pedido", "ver", 9, "--seguir")
    assert r.code == 3, r
    assert "No existe el pedido #9" in r.err
    assert "Siguiendo" not in r.out


# --- the loop, driven in-process ----------------------------------------------------------


class Guion:
    """A fake sleep: each call runs the next step; when the steps run out, Ctrl-C."""

    def __init__(self, *pasos):
        self.pasos = list(pasos)
        self.dormido = []

    def __call__(self, segundos):
        self.dormido.append(segundos)
        if not self.pasos:
            raise KeyboardInterrupt
        paso = self.pasos.pop(0)
        if paso is not None:
            paso()


def _seguir_pedido(db, dormir, pared=lambda: 0.0, fallos=()):
    """Run the loop on order 1 of `db`; the times `leer` was called (a redraw each, but the first)."""
    ctx = Contexto(db=str(db), como=None, json=False, tz_nombre="UTC", interactivo=False)
    lecturas = []

    def leer(_consola, _alto):
        lecturas.append(len(lecturas))
        if len(lecturas) in fallos:
            raise bloqueo()
        datos = servicios.ver_pedido(ctx.almacen(), 1, None)
        return datos.reloj, vista.pantalla_pedido(datos, ctx.tz())

    try:
        vivo.seguir(ctx, "Siguiendo el pedido #1", leer, dormir=dormir, pared=pared)
    finally:
        ctx.cerrar()
    return len(lecturas)


@EN_AMBOS
def test_the_loop_redraws_once_per_commit_of_another_connection_and_not_otherwise(cli, capsys):
    cli.pedido()
    escribir = lambda: cli.ok("pedido", "entregar", 1, "--como", "beto")  # noqa: E731
    guion = Guion(None, None, escribir, None, None, lambda: cli.ok("tick", "--avanzar", "1h"), None)
    assert _seguir_pedido(cli.db, guion) == 3  # the first screen and one per commit
    assert set(guion.dormido) == {vivo.SONDEO}
    salida = capsys.readouterr().out
    assert "Siguiendo el pedido #1 — Ctrl-C para salir · reloj simulado 2026-03-02 10:00:00 (UTC)" in salida


@EN_AMBOS
def test_in_simulated_mode_time_passing_alone_redraws_nothing(cli):
    cli.pedido()
    segundos = iter(range(100))
    assert _seguir_pedido(cli.db, Guion(*[None] * 20), pared=lambda: float(next(segundos))) == 1


def test_in_real_mode_the_loop_redraws_once_per_wall_clock_second(tmp_path):
    cli = Cli(tmp_path / "real.db")
    cli.ok("init", "--modo-reloj", "real", "--reloj", "2026-03-02T09:00:00Z")
    cli.pedido()
    cuartos = iter(range(1000))
    # 12 looks a quarter of a second apart, starting at second 100: seconds 101, 102 and 103 begin.
    redibujos = _seguir_pedido(cli.db, Guion(*[None] * 12), pared=lambda: 100 + next(cuartos) / 4)
    assert redibujos == 1 + 3


def test_a_screen_that_cannot_be_read_for_a_lock_is_read_again_at_the_next_look(cli):
    cli.pedido()
    guion = Guion(lambda: cli.ok("pedido", "entregar", 1, "--como", "beto"), None, None)
    # The redraw after the commit meets a lock (second read); the next look tries again and succeeds.
    assert _seguir_pedido(cli.db, guion, fallos={2}) == 3


def test_another_database_error_during_the_loop_is_not_swallowed(cli):
    cli.pedido()
    guion = Guion(lambda: cli.ok("pedido", "entregar", 1, "--como", "beto"), None)
    ctx = Contexto(db=str(cli.db), como=None, json=False, tz_nombre="UTC", interactivo=False)
    llamadas = []

    def leer(_consola, _alto):
        llamadas.append(1)
        if len(llamadas) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        return T0, vista._t("pantalla")

    with pytest.raises(sqlite3.OperationalError):
        vivo.seguir(ctx, "Siguiendo el pedido #1", leer, dormir=guion)
    ctx.cerrar()


def test_the_inbox_keeps_the_newest_messages_that_fit():
    consola = Console(file=io.StringIO(), width=120, color_system=None)
    mensajes = [Mensaje(1, "ana", "beto", f"Mensaje {n}", T0, id=n) for n in range(30)]
    cuerpo = vivo.lo_que_cabe(
        consola, 10, len(mensajes), lambda desde: vista.pantalla_bandeja("beto", mensajes[desde:], zona("UTC"), desde)
    )
    lineas = consola.render_lines(cuerpo, pad=False)
    texto = "\n".join("".join(seg.text for seg in linea) for linea in lineas)
    assert len(lineas) <= 10
    assert "Mensaje 29" in texto
    assert "Mensaje 0 " not in texto
    assert "más antiguos no caben en la pantalla" in texto


def test_a_short_inbox_is_shown_whole_and_without_a_note():
    consola = Console(file=io.StringIO(), width=120, color_system=None)
    mensajes = [Mensaje(1, "ana", "beto", f"Mensaje {n}", T0, id=n) for n in range(3)]
    cuerpo = vivo.lo_que_cabe(
        consola, 40, len(mensajes), lambda desde: vista.pantalla_bandeja("beto", mensajes[desde:], zona("UTC"), desde)
    )
    texto = "\n".join("".join(seg.text for seg in linea) for linea in consola.render_lines(cuerpo, pad=False))
    assert all(f"Mensaje {n}" in texto for n in range(3))
    assert "no caben" not in texto
