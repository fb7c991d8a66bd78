"""`resolucion verificar` on the command line."""

from tests.esperado import t

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

# --- verificar -------------------------------------------------------------------------


def test_verificar_on_a_healthy_database_reports_ok(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    assert cli.ok("verificar") == {"ok": True, "problemas": []}


def test_verificar_reports_a_broken_invariant_on_stdout_with_exit_1(cli):
    cli.pedido()
    cli.sql("UPDATE pedidos SET estado = 'en_controversia' WHERE id = 1")
    r = cli.run("verificar", "--json")
    assert r.code == 1, r
    assert "error" not in r.data
    assert r.data["ok"] is False
    assert r.data["problemas"] and all(isinstance(p, str) and p for p in r.data["problemas"])
    assert any("#1" in p for p in r.data["problemas"])


def test_verificar_never_writes_even_when_a_deadline_is_due(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    cli.sql("UPDATE reloj SET ahora = ? WHERE id = 1", [t(days=5)])
    r = cli.run("verificar", "--json")
    assert r.code in (0, 1), r
    assert cli.sql("SELECT estado FROM disputas WHERE id = 1") == [("abierta",)]
    assert cli.sql("SELECT estado FROM pedidos WHERE id = 1") == [("en_controversia",)]
    # the next ordinary command processes it, at its own instant
    assert cli.ok("pedido", "ver", 1)["disputas"][0]["resuelta_en"] == t(hours=48)
