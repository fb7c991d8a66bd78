"""`resolucion mensaje` on a real terminal: the text is asked for, and live screens see new messages."""

import pytest

from tests.terminal import Terminal, en_terminal, en_vivo, otra_terminal, salir_con_ctrl_c


@en_terminal
def test_on_a_terminal_a_missing_text_is_asked_for(cli):
    cli.pedido()
    t = Terminal(cli.db, "mensaje", 1, "--como", "beto")
    t.pregunta("Mensaje para ana: ", "   ")
    t.espera("Este dato es obligatorio.")
    t.pregunta("Mensaje para ana: ", "Mañana lo tienes")
    assert t.fin() == 0, t.salida
    [recibido] = cli.ok("bandeja", "--como", "ana")["mensajes"]
    assert recibido["texto"] == "Pedido #1: beto te escribió: «Mañana lo tienes»"


@en_terminal
def test_on_a_terminal_a_non_party_is_refused_before_writing_anything(cli):
    cli.pedido()
    t = Terminal(cli.db, "mensaje", 1, "--como", "zoe")
    assert t.fin() == 4, t.salida
    assert "Mensaje para" not in t.salida and "«zoe» no es parte del pedido #1" in t.salida


@en_terminal
@pytest.mark.parametrize("pantalla", [("pedido", "ver", 1), ("bandeja", "--como", "beto")])
def test_a_message_from_another_terminal_appears_on_the_live_screens(cli, pantalla):
    cli.pedido()
    vivo = en_vivo(cli.db, *pantalla, "--seguir")
    vivo.expect_exact("Ctrl-C para salir")
    otra_terminal(cli.db, "mensaje", 1, "--como", "ana", "--texto", "¿Cómo vas?")
    vivo.expect_exact("¿Cómo vas?", timeout=5)
    assert salir_con_ctrl_c(vivo) == 0
