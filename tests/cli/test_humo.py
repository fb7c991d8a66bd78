from tests.conftest import T0_ISO

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True


def test_a_new_database_starts_at_the_requested_clock(cli):
    assert cli.ok("tick")["reloj"] == T0_ISO
