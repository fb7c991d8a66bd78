"""`resolucion bandeja`: the inbox, as JSON."""

from tests.conftest import T0_ISO
from tests.esperado import CLAVES_MENSAJE, t

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True


def test_the_inbox_returns_whole_messages_oldest_first(cli):
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion", "--comentario", "¿Novedades?")
    cli.ok("tick", "--avanzar", "1h")
    cli.ok("disputa", "responder", 1, "--como", "beto", "--actualizacion", "Casi")
    cli.ok("tick", "--avanzar", "1h")
    cli.abrir(1, "beto", "extras", "--extras-precio", "10", "--extras-descripcion", "Más")
    beto = cli.ok("bandeja", "--como", "beto")
    ana = cli.ok("bandeja", "--como", "ana")
    assert set(beto) == {"mensajes"} and set(ana) == {"mensajes"}
    assert [(m["de"], m["para"], m["pedido"], m["disputa"], m["en"]) for m in beto["mensajes"]] == [
        ("ana", "beto", 1, 1, T0_ISO)
    ]
    assert [(m["de"], m["para"], m["pedido"], m["disputa"], m["en"]) for m in ana["mensajes"]] == [
        ("beto", "ana", 1, 1, t(hours=1)),
        ("beto", "ana", 1, 2, t(hours=2)),
    ]
    for m in beto["mensajes"] + ana["mensajes"]:
        assert set(m) == CLAVES_MENSAJE
    ids = [m["id"] for m in ana["mensajes"]]
    assert ids == sorted(ids)
