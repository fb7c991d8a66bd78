from tests.conftest import T0_ISO


def test_a_new_database_starts_at_the_requested_clock(cli):
    assert cli.ok("tick")["reloj"] == T0_ISO
