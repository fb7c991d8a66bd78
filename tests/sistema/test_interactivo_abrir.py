"""Interactive use (SPEC §5), `disputa abrir`: menus, questions and confirmations on a real terminal.

The installed `resolucion` command runs in a pseudo-terminal driven by pexpect, on a
database prepared beforehand through the `cli` fixture (clock at T0, simulated, UTC).
Every exchange waits for the question before answering it, so nothing depends on timing.
Without a terminal (CliRunner), or with --no-interactivo or --json, nothing is asked.
"""

import pexpect

from tests.terminal import ETIQUETAS_CLIENTE, ETIQUETAS_FREELANCER, ETIQUETAS_MOTIVO, Terminal, en_terminal, menu

pytestmark = en_terminal


# --- disputa abrir: the menu -------------------------------------------------------------


def test_a_client_opens_a_cancellation_from_the_menu_and_the_comment_is_required(cli):
    cli.pedido()
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "ana")
    t.pregunta("Elige un número (1-2): ", "2")
    t.pregunta("Comentario para beto: ", "")
    t.espera("Este dato es obligatorio.")
    t.pregunta("Comentario para beto: ", "Ya no lo necesito")
    t.espera("Resumen")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    assert "Pedido #1 · Logo · Activo · actúas como cliente (ana)" in t.salida
    assert menu(t.salida, "¿Qué quieres hacer?") == ETIQUETAS_CLIENTE
    resumen = t.salida.partition("Resumen\n")[2]
    assert "Pedido #1: Solicitar que se cancele el pedido" in resumen
    assert "Comentario: Ya no lo necesito" in resumen
    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert disputa["tipo"] == "cancelacion"
    assert disputa["estado"] == "abierta"
    assert disputa["abierta_por"] == "ana"
    assert disputa["rol"] == "cliente"
    assert disputa["comentario"] == "Ya no lo necesito"
    assert disputa["motivo"] is None
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == "en_controversia"


def test_a_client_asking_for_an_update_from_the_menu_may_leave_the_comment_out(cli):
    cli.pedido()
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "ana")
    t.pregunta("Elige un número (1-2): ", "1")
    t.pregunta("Comentario para beto (opcional, Intro para omitir): ", "")
    t.pregunta("¿Continuar? [s/n]: ", "sí")
    assert t.fin() == 0, t.salida

    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert (disputa["tipo"], disputa["comentario"], disputa["estado"]) == ("actualizacion", None, "abierta")


def test_a_freelancer_sees_the_freelancer_actions_and_a_wrong_number_is_asked_again(cli):
    cli.pedido()
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "beto")
    for incorrecta in ("0", "4", "dos", ""):
        t.pregunta("Elige un número (1-3): ", incorrecta)
        t.espera("Escribe un número entre 1 y 3 y pulsa Intro.")
    t.pregunta("Elige un número (1-3): ", "3")
    t.pregunta("Precio de los extras (por ejemplo 25 o 25,50): ", "gratis")
    t.espera("no es un importe válido")
    t.pregunta("Precio de los extras (por ejemplo 25 o 25,50): ", "25,50")
    t.pregunta("¿Qué incluyen los extras?: ", "Versión en blanco y negro")
    t.pregunta("Días de entrega adicionales (opcional, Intro para omitir): ", "0")
    t.espera("debe ser un número entero entre 1 y")
    t.pregunta("Días de entrega adicionales (opcional, Intro para omitir): ", "2")
    t.pregunta("Comentario para ana (opcional, Intro para omitir): ", "")
    t.espera("Resumen")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    assert menu(t.salida, "¿Qué quieres hacer?") == ETIQUETAS_FREELANCER
    assert "actúas como freelancer (beto)" in t.salida
    resumen = t.salida.partition("Resumen\n")[2]
    assert "Pedido #1: Ofrecer extras" in resumen
    assert "Extras: Versión en blanco y negro por US$ 25,50 (con 2 días más de plazo)" in resumen
    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert disputa["tipo"] == "extras"
    assert disputa["rol"] == "freelancer"
    assert disputa["extras_centavos"] == 2550
    assert disputa["extras_descripcion"] == "Versión en blanco y negro"
    assert disputa["extras_dias"] == 2
    assert disputa["comentario"] is None


def test_extras_days_may_be_left_out_from_the_menu(cli):
    cli.pedido()
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "beto")
    t.pregunta("Elige un número (1-3): ", "3")
    t.pregunta("Precio de los extras (por ejemplo 25 o 25,50): ", "40")
    t.pregunta("¿Qué incluyen los extras?: ", "Un boceto más")
    t.pregunta("Días de entrega adicionales (opcional, Intro para omitir): ", "")
    t.pregunta("Comentario para ana (opcional, Intro para omitir): ", "")
    t.pregunta("¿Continuar? [s/n]: ", "y")
    assert t.fin() == 0, t.salida

    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert (disputa["extras_centavos"], disputa["extras_dias"]) == (4000, None)


def test_a_freelancer_cancellation_picks_a_reason_from_the_six_labels(cli):
    cli.pedido()
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "beto")
    t.pregunta("Elige un número (1-3): ", "1")
    t.pregunta("Elige un número (1-6): ", "7")
    t.espera("Escribe un número entre 1 y 6 y pulsa Intro.")
    t.pregunta("Elige un número (1-6): ", "3")
    t.pregunta("Comentario para ana (opcional, Intro para omitir): ", "Eran 5 ilustraciones, no 20")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    assert menu(t.salida, "¿Por qué quieres cancelar?") == ETIQUETAS_MOTIVO
    assert "Motivo: El cliente pidió trabajo fuera del alcance del pedido" in t.salida.partition("Resumen\n")[2]
    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert disputa["tipo"] == "cancelacion"
    assert disputa["rol"] == "freelancer"
    assert disputa["motivo"] == "fuera_de_alcance"
    assert disputa["comentario"] == "Eran 5 ilustraciones, no 20"


def test_the_reason_otro_makes_the_freelancer_comment_required(cli):
    cli.pedido()
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "beto")
    t.pregunta("Elige un número (1-3): ", "1")
    t.pregunta("Elige un número (1-6): ", "6")
    t.pregunta("Comentario para ana: ", "   ")
    t.espera("Este dato es obligatorio.")
    t.pregunta("Comentario para ana: ", "Me mudo de país")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert (disputa["motivo"], disputa["comentario"]) == ("otro", "Me mudo de país")


def test_a_freelancer_asks_for_an_extension_and_a_bad_date_is_asked_again(cli):
    cli.pedido(entrega="7d")
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "beto")
    t.pregunta("Elige un número (1-3): ", "2")
    t.espera("La entrega está fijada para el 2026-03-09 09:00")
    t.pregunta("Nueva fecha de entrega (por ejemplo 2026-12-01 18:00): ", "mañana")
    t.espera("No entiendo la nueva fecha de entrega «mañana»")
    t.pregunta("Nueva fecha de entrega (por ejemplo 2026-12-01 18:00): ", "2026-03-12 18:00")
    t.pregunta("Comentario para ana (opcional, Intro para omitir): ", "")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert disputa["tipo"] == "prorroga"
    assert disputa["nueva_fecha_entrega"] == "2026-03-12T18:00:00Z"


def test_an_extension_date_not_after_the_current_delivery_is_asked_again_before_the_summary(cli):
    cli.pedido(entrega="7d")  # delivery 2026-03-09 09:00
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "beto")
    t.pregunta("Elige un número (1-3): ", "2")
    t.pregunta("Nueva fecha de entrega (por ejemplo 2026-12-01 18:00): ", "2026-03-05")
    siguiente = t.proceso.expect_exact(
        ["Nueva fecha de entrega (por ejemplo 2026-12-01 18:00): ", "Comentario para ana", pexpect.EOF]
    )
    assert siguiente == 0, f"a date before the current delivery was accepted by the prompt:\n{t.salida}"
    assert "posterior" in t.salida
    t.proceso.sendline("2026-03-12 18:00")
    t.pregunta("Comentario para ana (opcional, Intro para omitir): ", "")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida
    assert cli.ok("disputa", "listar")["disputas"][0]["nueva_fecha_entrega"] == "2026-03-12T18:00:00Z"


def test_options_given_on_the_command_line_are_not_asked_again(cli):
    cli.pedido()
    t = Terminal(
        cli.db, "disputa", "abrir", 1, "--como", "beto", "--motivo", "no_puedo_completar", "--comentario", "Lo siento"
    )
    t.pregunta("Elige un número (1-3): ", "1")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    assert "¿Por qué quieres cancelar?" not in t.salida
    assert "Comentario para ana" not in t.salida
    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert (disputa["motivo"], disputa["comentario"]) == ("no_puedo_completar", "Lo siento")


def test_a_missing_como_is_asked_for_on_a_terminal(cli):
    cli.pedido()
    t = Terminal(cli.db, "disputa", "abrir", 1, "--tipo", "actualizacion")
    t.pregunta("¿Quién eres? Escribe tu usuario: ", "Ana")
    t.espera("tiene mayúsculas")
    t.pregunta("¿Quién eres? Escribe tu usuario: ", "ana")
    assert t.fin() == 0, t.salida

    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert (disputa["abierta_por"], disputa["tipo"]) == ("ana", "actualizacion")


def test_the_user_asked_for_then_gets_the_menu_of_their_role(cli):
    cli.pedido()
    t = Terminal(cli.db, "disputa", "abrir", 1)
    t.pregunta("¿Quién eres? Escribe tu usuario: ", "beto")
    t.pregunta("Elige un número (1-3): ", "1")
    t.pregunta("Elige un número (1-6): ", "1")
    t.pregunta("Comentario para ana (opcional, Intro para omitir): ", "")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    assert menu(t.salida, "¿Qué quieres hacer?") == ETIQUETAS_FREELANCER
    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert (disputa["abierta_por"], disputa["motivo"]) == ("beto", "cliente_no_responde")


def test_the_menu_is_not_shown_on_an_order_that_cannot_use_the_resolution_center(cli):
    cli.pedido()
    cli.ok("pedido", "entregar", 1, "--como", "beto")
    cli.ok("pedido", "completar", 1, "--como", "ana")
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "ana")
    assert t.fin() == 1, t.salida

    assert "Atención al cliente" in t.salida
    assert "¿Qué quieres hacer?" not in t.salida
    assert cli.ok("disputa", "listar")["disputas"] == []


# --- the rules of aceptacion-automatica in the menu (issue 13) ---------------------------


def test_a_freelancer_offers_a_partial_refund_from_the_menu_within_its_limits(cli):
    cli.ok("init", "--politica", "aceptacion-automatica")
    cli.pedido()
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "beto")
    t.pregunta("Elige un número (1-4): ", "4")
    pregunta = "¿Cuánto devuelves al cliente? (de US$ 5,00 a US$ 60,00): "
    t.pregunta(pregunta, "4")
    t.espera("al menos US$ 5,00")
    t.pregunta(pregunta, "61")
    t.espera("supera el máximo del pedido #1: US$ 60,00")
    t.pregunta(pregunta, "40")
    t.pregunta("Comentario para ana (opcional, Intro para omitir): ", "")
    t.espera("Resumen")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    assert menu(t.salida, "¿Qué quieres hacer?") == [*ETIQUETAS_FREELANCER, "Ofrecer un reembolso parcial"]
    resumen = t.salida.partition("Resumen\n")[2]
    assert "Pedido #1: Ofrecer un reembolso parcial" in resumen
    assert "Reembolso: US$ 40,00 para el cliente" in resumen
    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert (disputa["tipo"], disputa["reembolso_centavos"]) == ("reembolso_parcial", 4000)


def test_on_a_very_late_order_the_clients_menu_says_the_cancellation_needs_no_answer(cli):
    cli.ok("init", "--politica", "aceptacion-automatica")
    cli.pedido(entrega="1d")
    cli.ok("tick", "--avanzar", "2d")
    t = Terminal(cli.db, "disputa", "abrir", 1, "--como", "ana")
    t.pregunta("Elige un número (1-2): ", "2")
    t.pregunta("Comentario para beto: ", "Ya no llega a tiempo")
    t.pregunta("¿Continuar? [s/n]: ", "s")
    assert t.fin() == 0, t.salida

    assert menu(t.salida, "¿Qué quieres hacer?") == [
        ETIQUETAS_CLIENTE[0],
        "Cancelar el pedido, que lleva más de 24 horas de retraso (sin esperar respuesta)",
    ]
    assert "cancelado por retraso, sin esperar respuesta de beto" in t.salida
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == "cancelado"
    assert cli.ok("disputa", "listar")["disputas"] == []
