"""A live screen names its database in its header."""

import pytest

from tests.terminal import en_terminal, en_vivo, salir_con_ctrl_c


@en_terminal
@pytest.mark.parametrize("pantalla", [("pedido", "ver", 1), ("bandeja", "--como", "beto")])
def test_a_live_screen_names_its_database_in_its_header(cli, pantalla):
    cli.pedido()
    vivo = en_vivo(cli.db, *pantalla, "--seguir")
    vivo.expect_exact("Ctrl-C para salir")
    vivo.expect_exact(cli.db.name)  # the end of its path, wrapped or not: nothing else on screen says it
    assert salir_con_ctrl_c(vivo) == 0
