"""`resolucion mensaje`: the parties talk; the text reaches the other party's inbox and the history."""

import pytest

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True


def _estado(cli) -> dict:
    return {
        "pedido": cli.ok("pedido", "ver", 1),
        "ana": cli.ok("bandeja", "--como", "ana")["mensajes"],
        "beto": cli.ok("bandeja", "--como", "beto")["mensajes"],
    }


def test_a_message_reaches_the_other_party_and_the_history_and_nobody_else(cli):
    cli.pedido()
    cli.pedido(cliente="carla", freelancer="beto")
    enviado = cli.ok("mensaje", 1, "--como", "ana", "--texto", "¿Puedes enviarme un boceto hoy?")["mensaje"]
    assert enviado == {
        "id": enviado["id"],
        "pedido": 1,
        "disputa": None,
        "de": "ana",
        "para": "beto",
        "texto": "Pedido #1: ana te escribió: «¿Puedes enviarme un boceto hoy?»",
        "en": "2026-03-02T09:00:00Z",
    }
    assert cli.ok("bandeja", "--como", "beto")["mensajes"] == [enviado]
    assert cli.ok("bandeja", "--como", "ana")["mensajes"] == []
    assert cli.ok("bandeja", "--como", "carla")["mensajes"] == []
    respuesta = cli.ok("mensaje", 1, "--como", "beto", "--texto", "Sí, a las 18:00")["mensaje"]
    assert (respuesta["de"], respuesta["para"]) == ("beto", "ana")
    assert cli.ok("bandeja", "--como", "ana")["mensajes"] == [respuesta]
    historia = cli.ok("pedido", "ver", 1)["eventos"][-2:]
    assert [(e["actor"], e["tipo"], e["detalle"]) for e in historia] == [
        ("ana", "mensaje", "ana escribió a beto: «¿Puedes enviarme un boceto hoy?»"),
        ("beto", "mensaje", "beto escribió a ana: «Sí, a las 18:00»"),
    ]
    assert cli.ok("pedido", "ver", 2)["eventos"][-1]["tipo"] == "pedido_creado"
    assert cli.run("verificar").code == 0


def test_the_human_screens_show_the_text_literally(cli):
    cli.pedido()
    salida = cli.run("mensaje", 1, "--como", "ana", "--texto", "[bold]¿Y el logo?[/bold]", env={"COLUMNS": "120"})
    assert salida.code == 0
    assert "Mensaje enviado a beto en el pedido #1 (2026-03-02 09:00): «[bold]¿Y el logo?[/bold]»" in salida.out
    bandeja = cli.run("bandeja", "--como", "beto", env={"COLUMNS": "120"}).out
    assert "ana te escribió: «[bold]¿Y el logo?[/bold]»" in bandeja
    # A message about no request must not borrow the delivery's deadline and command.
    assert "pedido entregar" not in bandeja and "Vence:" not in bandeja
    assert "ana escribió a beto: «[bold]¿Y el logo?[/bold]»" in cli.run("pedido", "ver", 1, env={"COLUMNS": "120"}).out


@pytest.mark.parametrize("estado", ["en_controversia", "entregado", "completado", "cancelado"])
def test_a_message_can_be_sent_in_any_state_of_the_order(cli, estado):
    cli.pedido()
    if estado == "en_controversia":
        cli.abrir(1, "ana", "actualizacion")
    elif estado == "cancelado":
        disputa = cli.abrir(1, "ana", "cancelacion", "--comentario", "Ya no")
        cli.ok("disputa", "responder", disputa["id"], "--como", "beto", "--aceptar")
    else:
        cli.ok("pedido", "entregar", 1, "--como", "beto")
        if estado == "completado":
            cli.ok("pedido", "completar", 1, "--como", "ana")
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == estado
    cli.ok("mensaje", 1, "--como", "beto", "--texto", "Gracias")
    assert cli.ok("bandeja", "--como", "ana")["mensajes"][-1]["texto"] == "Pedido #1: beto te escribió: «Gracias»"
    assert cli.ok("pedido", "ver", 1)["pedido"]["estado"] == estado  # a message changes no state


@pytest.mark.parametrize(
    "argumentos, codigo, frase",
    [
        (("1", "--como", "zoe", "--texto", "hola"), 4, "«zoe» no es parte del pedido #1"),
        (("9", "--como", "ana", "--texto", "hola"), 3, "No existe el pedido #9"),
        (("1", "--como", "ana", "--texto", "   "), 2, "--texto no puede estar vacío"),
        (("1", "--como", "ana", "--texto", "x" * 2001), 2, "--texto tiene 2001 caracteres: el máximo es 2000"),
        (("1", "--como", "ana", "--texto", "hola\x1b[2J"), 2, "caracteres de control"),
        (("1", "--como", "ana"), 2, "Falta la opción --texto"),
        (("uno", "--como", "ana", "--texto", "hola"), 2, "El número de pedido «uno» no es válido"),
        (("9", "--como", "zoe", "--texto", ""), 2, "--texto no puede estar vacío"),  # malformed before not found
    ],
)
def test_refusals_change_nothing(cli, argumentos, codigo, frase):
    cli.pedido()
    antes = _estado(cli)
    r = cli.fails(codigo, "mensaje", *argumentos)
    assert frase in r.error["mensaje"]
    assert _estado(cli) == antes


def test_the_longest_message_allowed_goes_through(cli):
    cli.pedido()
    cli.ok("mensaje", 1, "--como", "ana", "--texto", "x" * 2000)
    assert cli.ok("bandeja", "--como", "beto")["mensajes"][0]["texto"].endswith("x" * 2000 + "»")
