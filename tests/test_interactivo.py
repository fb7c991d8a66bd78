"""Interactive use (SPEC §5): menus, questions and confirmations on a real terminal.

The installed `resolucion` command runs in a pseudo-terminal driven by pexpect, on a
database prepared beforehand through the `cli` fixture (clock at T0, simulated, UTC).
Every exchange waits for the question before answering it, so nothing depends on timing.
Without a terminal (CliRunner), or with --no-interactivo or --json, nothing is asked.
"""

import io
import os
import shutil

import pexpect
import pytest

RESOLUCION = shutil.which("resolucion")

ETIQUETAS_CLIENTE = ["Obtener una actualización del pedido", "Solicitar que se cancele el pedido"]
ETIQUETAS_FREELANCER = [
    "Solicitar a tu cliente que cancele el pedido",
    "Solicitar una prórroga de la fecha de entrega",
    "Ofrecer extras",
]
ETIQUETAS_MOTIVO = [
    "El cliente no responde",
    "El cliente me pidió cancelar",
    "El cliente pidió trabajo fuera del alcance del pedido",
    "No puedo completar el pedido",
    "El cliente no envió la información necesaria",
    "Otro motivo",
]

pytestmark = pytest.mark.skipif(RESOLUCION is None, reason="the resolucion console script is not on PATH")


_ABIERTAS: list = []


@pytest.fixture(autouse=True)
def sin_procesos_colgados():
    """A failed test must not leave its terminal's process behind."""
    yield
    while _ABIERTAS:
        proceso = _ABIERTAS.pop()
        if proceso.isalive():
            proceso.terminate(force=True)
        proceso.close()


class Terminal:
    """One run of `resolucion` on a pseudo-terminal; `pregunta` waits for a prompt, then answers."""

    def __init__(self, db, *args, redireccion: str = ""):
        """`redireccion` is shell syntax applied to the command (`> archivo`, `< /dev/null`)."""
        env = dict(os.environ)
        for variable in ("RESOLUCION_USUARIO", "FORCE_COLOR"):
            env.pop(variable, None)
        env.update(NO_COLOR="1", RESOLUCION_TZ="UTC", COLUMNS="120", RESOLUCION_DB=str(db))
        self.registro = io.StringIO()
        self.proceso = pexpect.spawn(
            "/bin/sh",
            ["-c", f'exec "$0" "$@" {redireccion}', RESOLUCION, *[str(a) for a in args]],
            env=env,
            encoding="utf-8",
            timeout=20,
            dimensions=(50, 120),
        )
        self.proceso.delaybeforesend = None  # every answer waits for its question
        self.proceso.logfile_read = self.registro
        _ABIERTAS.append(self.proceso)

    def espera(self, texto: str) -> None:
        self.proceso.expect_exact(texto)

    def pregunta(self, texto: str, respuesta: str) -> None:
        self.espera(texto)
        self.proceso.sendline(respuesta)

    def fin(self) -> int:
        """Wait for the command to end; its exit code."""
        self.proceso.expect(pexpect.EOF)
        self.proceso.close()
        assert self.proceso.signalstatus is None, self.salida
        return self.proceso.exitstatus

    @property
    def salida(self) -> str:
        return self.registro.getvalue().replace("\r\n", "\n")


def estado(cli) -> dict:
    """Everything an interactive run could change, as JSON."""
    return {
        "pedidos": cli.ok("pedido", "listar", "--limite", 100)["pedidos"],
        "disputas": cli.ok("disputa", "listar")["disputas"],
        "pedido_1": cli.ok("pedido", "ver", 1),
        "bandeja_ana": cli.ok("bandeja", "--como", "ana")["mensajes"],
        "bandeja_beto": cli.ok("bandeja", "--como", "beto")["mensajes"],
    }


def menu(salida: str, titulo: str) -> list[str]:
    """The labels of the numbered list shown under `titulo`, in order."""
    _, _, resto = salida.partition(titulo + "\n")
    etiquetas = []
    for linea in resto.splitlines():
        numero, punto, etiqueta = linea.strip().partition(". ")
        if not (punto and numero.isdigit()):
            break
        assert int(numero) == len(etiquetas) + 1, salida
        etiquetas.append(etiqueta)
    return etiquetas


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
