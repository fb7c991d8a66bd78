"""Interactive use (SPEC §5) on a real terminal, after the request is open: answering and
revoking it, saying no, Ctrl-C, markup, where prompts and results go, and when nothing is asked.
The terminal is driven as in test_interactivo_abrir.py."""

import pexpect
import pytest

from tests.terminal import ETIQUETAS_CLIENTE, Terminal, en_terminal, estado, menu

pytestmark = en_terminal

# --- disputa responder ---------------------------------------------------------------------


def test_answering_a_cancellation_shows_it_and_asks_accept_or_reject(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    t = Terminal(cli.db, "disputa", "responder", 1, "--como", "beto")
    t.pregunta("Elige un número (1-2): ", "3")
    t.espera("Escribe un número entre 1 y 2 y pulsa Intro.")
    t.pregunta("Elige un número (1-2): ", "2")
    t.pregunta("Comentario para ana (opcional, Intro para omitir): ", "Lo entrego mañana")
    t.espera("Resumen")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    antes_de_preguntar = t.salida.partition("¿Qué respondes?")[0]
    assert "Solicitud #1 · Solicitar que se cancele el pedido" in antes_de_preguntar
    assert "Ya no lo necesito" in antes_de_preguntar
    assert menu(t.salida, "¿Qué respondes?") == ["Aceptar la solicitud", "Rechazar la solicitud"]
    assert "Texto: Lo entrego mañana" in t.salida.partition("Resumen\n")[2]
    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert disputa["estado"] == "rechazada"
    assert disputa["respuesta"] == "Lo entrego mañana"
    assert disputa["resuelta_por"] == "beto"
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == "activo"


def test_accepting_a_cancellation_from_the_terminal_cancels_the_order(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    t = Terminal(cli.db, "disputa", "responder", 1, "--como", "beto")
    t.pregunta("Elige un número (1-2): ", "1")
    t.pregunta("Comentario para ana (opcional, Intro para omitir): ", "")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert (disputa["estado"], disputa["respuesta"]) == ("aceptada", None)
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado_etiqueta"] == "Cancelado de mutuo acuerdo"


def test_answering_an_update_request_asks_for_the_update_text(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion", "--comentario", "¿Cómo va?")
    t = Terminal(cli.db, "disputa", "responder", 1, "--como", "beto")
    t.pregunta("Tu actualización para ana: ", "")
    t.espera("Este dato es obligatorio.")
    t.pregunta("Tu actualización para ana: ", "Voy por la mitad")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    assert "¿Qué respondes?" not in t.salida
    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert disputa["estado"] == "respondida"
    assert disputa["respuesta"] == "Voy por la mitad"
    assert any("Voy por la mitad" in m["texto"] for m in cli.ok("bandeja", "--como", "ana")["mensajes"])
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == "activo"


def test_a_comment_given_when_answering_an_update_interactively_is_not_silently_dropped(cli):
    # Non-interactively, --comentario with an update answer is refused (exit 2, SPEC §3):
    # on a terminal it must be refused too, or reach the opener; never vanish.
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    t = Terminal(cli.db, "disputa", "responder", 1, "--como", "beto", "--comentario", "Mi comentario")
    if t.proceso.expect_exact(["Tu actualización para ana: ", pexpect.EOF]) == 1:
        assert t.fin() == 2, t.salida
        assert "--comentario" in t.salida
        assert cli.ok("disputa", "listar")["disputas"][0]["estado"] == "abierta"
        return
    t.proceso.sendline("Voy por la mitad")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida
    [disputa] = cli.ok("disputa", "listar")["disputas"]
    textos = [disputa["respuesta"] or ""] + [m["texto"] for m in cli.ok("bandeja", "--como", "ana")["mensajes"]]
    assert any("Mi comentario" in texto for texto in textos), textos


def test_the_opener_is_not_asked_to_answer_their_own_request(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    t = Terminal(cli.db, "disputa", "responder", 1, "--como", "ana")
    assert t.fin() == 4, t.salida

    assert "¿Qué respondes?" not in t.salida
    assert cli.ok("disputa", "listar")["disputas"][0]["estado"] == "abierta"


# --- saying no, Ctrl-C, markup -----------------------------------------------------------


def test_answering_no_at_the_confirmation_changes_nothing_and_exits_1(cli):
    cli.pedido()
    antes = estado(cli)
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "ana")
    t.pregunta("Elige un número (1-2): ", "2")
    t.pregunta("Comentario para beto: ", "Ya no lo necesito")
    t.pregunta("¿Continuar? [s/n]: ", "quizás")
    t.espera("Responde s (sí) o n (no).")
    t.pregunta("¿Continuar? [s/n]: ", "n")
    assert t.fin() == 1, t.salida

    assert t.salida.endswith("¿Continuar? [s/n]: n\nCancelado: no se ha cambiado nada.\n"), t.salida
    assert "Error" not in t.salida
    assert estado(cli) == antes


def test_answering_no_when_responding_leaves_the_request_open(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    antes = estado(cli)
    t = Terminal(cli.db, "disputa", "responder", 1, "--como", "beto")
    t.pregunta("Elige un número (1-2): ", "1")
    t.pregunta("Comentario para ana (opcional, Intro para omitir): ", "")
    t.pregunta("¿Continuar? [s/n]: ", "no")
    assert t.fin() == 1, t.salida

    assert estado(cli) == antes


RESPUESTAS_CANCELACION = [("Elige un número (1-2): ", "2"), ("Comentario para beto: ", "Ya no lo necesito")]


@pytest.mark.parametrize(
    "respondidas, interrumpida",
    [
        pytest.param(0, "Elige un número (1-2): ", id="at-the-menu"),
        pytest.param(1, "Comentario para beto: ", id="at-the-comment"),
        pytest.param(2, "¿Continuar? [s/n]: ", id="at-the-confirmation"),
    ],
)
def test_ctrl_c_at_a_prompt_exits_130_and_changes_nothing(cli, respondidas, interrumpida):
    cli.pedido()
    antes = estado(cli)
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "ana")
    for pregunta, respuesta in RESPUESTAS_CANCELACION[:respondidas]:
        t.pregunta(pregunta, respuesta)
    t.espera(interrumpida)
    t.proceso.sendintr()
    assert t.fin() == 130, t.salida

    assert "Interrumpido: no se ha cambiado nada." in t.salida
    assert "Traceback" not in t.salida
    assert estado(cli) == antes


def test_a_user_who_is_not_a_party_is_asked_again_with_the_parties_named(cli):
    cli.pedido()
    t = Terminal(cli.db, "disputa", "abrir", 1, "--tipo", "actualizacion")
    t.pregunta("¿Quién eres? Escribe tu usuario: ", "carla")
    t.espera("«carla» no es parte del pedido #1; las partes son ana (cliente) y beto (freelancer).")
    t.pregunta("¿Quién eres? Escribe tu usuario: ", "ana")
    assert t.fin() == 0, t.salida

    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert disputa["abierta_por"] == "ana"


def test_the_parties_asked_for_are_those_of_the_request_s_order(cli):
    cli.pedido()
    cli.pedido(cliente="carla", freelancer="dani")
    cli.abrir(2, "carla", "actualizacion")
    t = Terminal(cli.db, "disputa", "responder", 1, "--actualizacion", "Casi listo")
    t.pregunta("¿Quién eres? Escribe tu usuario: ", "beto")
    t.espera("«beto» no es parte del pedido #2; las partes son carla (cliente) y dani (freelancer).")
    t.pregunta("¿Quién eres? Escribe tu usuario: ", "dani")
    assert t.fin() == 0, t.salida

    assert cli.ok("disputa", "listar")["disputas"][0]["estado"] == "respondida"


def test_who_you_are_is_not_asked_about_an_order_that_does_not_exist(cli):
    t = Terminal(cli.db, "disputa", "abrir", 7, "--tipo", "actualizacion")
    assert t.fin() == 3, t.salida
    assert "¿Quién eres?" not in t.salida
    assert "No existe el pedido #7" in t.salida


def test_ctrl_c_while_asked_who_you_are_exits_130(cli):
    cli.pedido()
    antes = estado(cli)
    t = Terminal(cli.db, "disputa", "abrir", 1)
    t.espera("¿Quién eres? Escribe tu usuario: ")
    t.proceso.sendintr()
    assert t.fin() == 130, t.salida
    assert estado(cli) == antes


def test_end_of_input_at_a_prompt_is_an_interruption_too(cli):
    cli.pedido()
    antes = estado(cli)
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "ana")
    t.espera("Elige un número (1-2): ")
    t.proceso.sendeof()
    assert t.fin() == 130, t.salida
    assert estado(cli) == antes


def test_rich_markup_typed_at_a_prompt_is_stored_and_shown_literally(cli):
    cli.pedido()
    marcado = "[bold]x[/bold] [red]y[/red]"
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "ana")
    t.pregunta("Elige un número (1-2): ", "2")
    t.pregunta("Comentario para beto: ", marcado)
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    assert f"Comentario: {marcado}" in t.salida.partition("Resumen\n")[2]
    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert disputa["comentario"] == marcado

    r = cli.run("pedido", "ver", 1)
    assert r.code == 0, r
    assert marcado in r.out

    t = Terminal(cli.db, "disputa", "responder", 1, "--como", "beto")
    t.pregunta("Elige un número (1-2): ", "2")
    t.pregunta("Comentario para ana (opcional, Intro para omitir): ", "[link=http://x]aquí[/link]")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    assert marcado in t.salida.partition("¿Qué respondes?")[0]
    assert "Texto: [link=http://x]aquí[/link]" in t.salida
    assert cli.ok("disputa", "listar")["disputas"][0]["respuesta"] == "[link=http://x]aquí[/link]"


# --- disputa revocar ------------------------------------------------------------------------


def test_revoking_on_a_terminal_shows_the_request_asks_a_comment_and_confirms(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    t = Terminal(cli.db, "disputa", "revocar", 1, "--como", "ana")
    t.pregunta("Comentario para beto (opcional, Intro para omitir): ", "Mejor sigue")
    t.espera("Resumen")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    antes_de_preguntar = t.salida.partition("Comentario para beto")[0]
    assert "Solicitud #1 · Solicitar que se cancele el pedido" in antes_de_preguntar
    assert "Ya no lo necesito" in antes_de_preguntar
    resumen = t.salida.partition("Resumen\n")[2]
    assert "Revocar: solicitud #1, Solicitar que se cancele el pedido" in resumen
    assert "Comentario: Mejor sigue" in resumen
    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert disputa["estado"] == "revocada"
    assert any("Mejor sigue" in m["texto"] for m in cli.ok("bandeja", "--como", "beto")["mensajes"])
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == "activo"


def test_answering_no_when_revoking_keeps_the_request_open(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    antes = estado(cli)
    t = Terminal(cli.db, "disputa", "revocar", 1, "--como", "ana", "--comentario", "Mejor sigue")
    t.pregunta("¿Continuar? [s/n]: ", "n")
    assert t.fin() == 1, t.salida

    assert "Comentario para beto" not in t.salida
    assert t.salida.endswith("Cancelado: no se ha cambiado nada.\n"), t.salida
    assert "Error" not in t.salida
    assert estado(cli) == antes


def test_only_the_opener_is_asked_to_confirm_a_revocation(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    t = Terminal(cli.db, "disputa", "revocar", 1, "--como", "beto")
    assert t.fin() == 4, t.salida

    assert "¿Continuar?" not in t.salida
    assert cli.ok("disputa", "listar")["disputas"][0]["estado"] == "abierta"


# --- prompts on the terminal, results on stdout --------------------------------------------


def test_with_stdout_in_a_file_the_menu_is_on_the_terminal_and_only_the_result_in_the_file(cli, tmp_path):
    cli.pedido()
    archivo = tmp_path / "salida.txt"
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "ana", redireccion=f"> '{archivo}'")
    t.pregunta("Elige un número (1-2): ", "2")
    t.pregunta("Comentario para beto: ", "Ya no lo necesito")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    assert menu(t.salida, "¿Qué quieres hacer?") == ETIQUETAS_CLIENTE
    resultado = archivo.read_text()
    assert "Solicitud #1" in resultado, resultado
    for pregunta in ("¿Qué quieres hacer?", "Elige", "Comentario para", "Resumen", "¿Continuar?"):
        assert pregunta not in resultado, resultado
    assert "Solicitud #1" not in t.salida.partition("¿Continuar? [s/n]: s")[2]


def test_with_stdout_in_a_file_the_request_to_answer_is_shown_on_the_terminal(cli, tmp_path):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    archivo = tmp_path / "salida.txt"
    t = Terminal(cli.db, "disputa", "responder", 1, redireccion=f"> '{archivo}'")
    t.pregunta("¿Quién eres? Escribe tu usuario: ", "beto")
    t.espera("Ya no lo necesito")
    t.pregunta("Elige un número (1-2): ", "2")
    t.pregunta("Comentario para ana (opcional, Intro para omitir): ", "")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    resultado = archivo.read_text()
    assert "rechazada" in resultado, resultado
    for pregunta in ("¿Quién eres?", "Ya no lo necesito", "¿Qué respondes?", "¿Continuar?"):
        assert pregunta not in resultado, resultado


def test_with_stdin_not_a_terminal_nothing_is_asked_even_on_a_terminal_screen(cli):
    cli.pedido()
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "ana", redireccion="< /dev/null")
    assert t.fin() == 2, t.salida
    assert "--tipo" in t.salida
    assert "¿Qué quieres hacer?" not in t.salida


# --- never asked: --json, --no-interactivo, no terminal ------------------------------------


@pytest.mark.parametrize("opcion", ["--json", "--no-interactivo"])
def test_on_a_terminal_json_and_no_interactivo_never_ask(cli, opcion):
    cli.pedido()
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "ana", opcion)
    assert t.fin() == 2, t.salida
    assert "--tipo" in t.salida
    assert "¿Qué quieres hacer?" not in t.salida

    t = Terminal(cli.db, "disputa", "abrir", 1, "--tipo", "actualizacion", opcion)
    assert t.fin() == 2, t.salida
    assert "--como" in t.salida
    assert "¿Quién eres?" not in t.salida
    assert cli.ok("disputa", "listar")["disputas"] == []


def test_with_json_the_refusal_on_a_terminal_is_the_json_error(cli):
    cli.pedido()
    t = Terminal(cli.db, "disputa", "responder", 1, "--como", "beto", "--json")
    assert t.fin() == 2, t.salida
    assert '"codigo": 2' in t.salida
    assert "¿Qué respondes?" not in t.salida


def test_without_a_terminal_a_missing_tipo_is_an_error_that_names_it(cli):
    cli.pedido()
    for extra in ([], ["--no-interactivo"]):
        r = cli.run("disputa", "abrir", 1, "--como", "ana", *extra)
        assert r.code == 2, r
        assert "--tipo" in r.err
        assert "¿Qué quieres hacer?" not in r.out
    r = cli.fails(2, "disputa", "abrir", 1, "--como", "ana")
    assert "--tipo" in r.error["mensaje"]
    assert cli.ok("disputa", "listar")["disputas"] == []


def test_without_a_terminal_a_missing_como_is_an_error_that_names_it(cli):
    cli.pedido()
    r = cli.run("disputa", "abrir", 1, "--tipo", "actualizacion")
    assert r.code == 2, r
    assert "--como" in r.err
    assert "¿Quién eres?" not in r.out


def test_without_a_terminal_a_missing_answer_is_an_error(cli):
    cli.pedido()
    cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no lo necesito")
    for extra in ([], ["--no-interactivo"]):
        r = cli.run("disputa", "responder", 1, "--como", "beto", *extra)
        assert r.code == 2, r
        assert "--aceptar" in r.err
        assert "¿Qué respondes?" not in r.out
    cli.fails(2, "disputa", "responder", 1, "--como", "beto")
    assert cli.ok("disputa", "listar")["disputas"][0]["estado"] == "abierta"
