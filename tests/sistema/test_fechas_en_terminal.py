"""Dates on a real terminal: the extension menu takes a duration and shows the date."""

import os
import shutil
from datetime import timedelta

import pexpect
import pytest

from resolucion_cli.reloj import desde_iso
from tests.conftest import T0


@pytest.mark.skipif(shutil.which("resolucion") is None, reason="the resolucion console script is not on PATH")
def test_the_extension_menu_takes_a_duration_and_its_summary_shows_the_date(cli):
    cli.pedido(entrega="7d")
    env = dict(os.environ, NO_COLOR="1", RESOLUCION_TZ="UTC", COLUMNS="120", RESOLUCION_DB=str(cli.db))
    env.pop("RESOLUCION_USUARIO", None)
    t = pexpect.spawn(shutil.which("resolucion"), ["disputa", "abrir", "1", "--como", "beto"], env=env,
                      encoding="utf-8", timeout=20, dimensions=(50, 120))  # fmt: skip
    try:
        t.expect_exact("Elige un número (1-3): ")
        t.sendline("2")
        t.expect_exact("Nueva fecha de entrega")
        t.expect_exact(": ")
        t.sendline("40d")
        t.expect_exact("Comentario para ana")
        t.sendline("")
        t.expect_exact("Nueva entrega: 2026-04-11 09:00")
        t.expect_exact("¿Continuar?")
        t.sendline("s")
        t.expect(pexpect.EOF)
    finally:
        t.close(force=True)

    assert t.exitstatus == 0
    [disputa] = cli.ok("disputa", "listar")["disputas"]
    assert desde_iso(disputa["nueva_fecha_entrega"]) == T0 + timedelta(days=40)
