"""A database edited by hand, or a path that is not a database file: refused as it is.

Every command exits 5 with one Spanish sentence and leaves the file byte for byte as it was
(WAL included); `verificar` names the problem. A copy made with VACUUM INTO goes back to WAL.
"""

import os
import sqlite3

import pytest

from tests.conftest import T0_ISO, Cli
from tests.hostil import archivos


@pytest.fixture
def clase(tmp_path):
    cli = Cli(tmp_path / "clase.db")
    cli.ok("init", "--reloj", T0_ISO)
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    return cli


def _editar(db, sql: str) -> None:
    conexion = sqlite3.connect(db)
    with conexion:
        conexion.execute(sql)
    conexion.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conexion.close()


EDICIONES = [
    (
        "UPDATE pedidos SET estado = 'volando'",
        "«volando» en la columna «estado» de pedidos",
        "estado desconocido («volando»)",
    ),
    (
        "UPDATE pedidos SET fecha_entrega = '2026-02-30T10:00:00Z'",
        "«2026-02-30T10:00:00Z» en la columna «fecha_entrega»",
        "fecha mal formada",
    ),
    ("DELETE FROM reloj", "la tabla reloj sin su fila", "La tabla reloj debe tener exactamente una fila"),
    ("UPDATE reloj SET modo = 'lunar'", "en modo «lunar»", "La tabla reloj debe tener exactamente una fila"),
    (
        "UPDATE disputas SET tipo = 'volar'",
        "«volar» en la columna «tipo» de disputas",
        "tipo o un estado desconocido («volar»",
    ),
    (
        "UPDATE disputas SET politica = 'inventada'",
        "«inventada» en la columna «politica»",
        "conjunto de reglas desconocido («inventada»)",
    ),
    (
        "UPDATE pedidos SET precio_centavos = 'cien'",
        "«cien» en la columna «precio_centavos» de pedidos",
        "precio no válido (cien)",
    ),
    (
        "UPDATE pedidos SET reembolso_centavos = 'mucho'",
        "«mucho» en la columna «reembolso_centavos» de pedidos",
        "dice haber devuelto mucho céntimos",
    ),
    (
        "UPDATE politica SET nombre = 'otra'",
        "unas reglas «otra» en la tabla politica",
        "La tabla politica debe tener una sola fila",
    ),
]
ORDENES = [
    ("pedido", "ver", "1"),
    ("tick", "--avanzar", "3d"),
    ("disputa", "abrir", "1", "--como", "beto", "--tipo", "prorroga", "--nueva-entrega", "9d"),
]


@pytest.mark.parametrize(
    "sql, frase, problema", EDICIONES, ids=[e[0].split(" SET ")[0] + " " + e[0][-12:] for e in EDICIONES]
)
def test_a_hand_edit_is_refused_by_every_command_and_named_by_verificar(clase, sql, frase, problema):
    _editar(clase.db, sql)
    rechazos = 0
    for orden in ORDENES:
        antes = archivos(clase.db)
        r = clase.run(*orden)
        if r.code == 0:  # a command that never reads the edited value may still work (tick, for the rule set)
            continue
        assert r.code == 5, (orden, r)
        [linea] = r.err.splitlines()
        assert frase in linea and "no se ha cambiado nada" in linea and "resolucion verificar" in linea
        assert archivos(clase.db) == antes
        rechazos += 1
    assert rechazos >= 1
    antes = archivos(clase.db)
    r = clase.run("verificar", "--json")
    assert r.code == 1, r
    assert any(problema in p for p in r.data["problemas"]), r.data
    assert archivos(clase.db) == antes


def test_a_dropped_table_is_named_when_the_file_opens(clase):
    _editar(clase.db, "DROP TABLE mensajes")
    antes = archivos(clase.db)
    for orden in (*ORDENES, ("verificar",)):
        r = clase.fails(5, *orden)
        assert "le falta la tabla «mensajes»" in r.error["mensaje"]
    assert archivos(clase.db) == antes


def test_a_copy_made_with_vacuum_into_goes_back_to_wal(clase, tmp_path):
    copia = tmp_path / "copia.db"
    conexion = sqlite3.connect(clase.db)
    conexion.execute(f"VACUUM INTO '{copia}'")
    conexion.close()
    assert sqlite3.connect(copia).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    Cli(copia).ok(
        "pedido",
        "crear",
        "--cliente",
        "eva",
        "--freelancer",
        "leo",
        "--titulo",
        "T",
        "--precio",
        "5",
        "--entrega",
        "5d",
    )
    assert sqlite3.connect(copia).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert Cli(copia).ok("verificar")["ok"] is True


@pytest.mark.parametrize("destino", ["/dev/null", "fifo"])
def test_a_path_to_something_that_is_not_a_file_is_refused(tmp_path, destino):
    ruta = tmp_path / "nulo.db"
    if destino == "fifo":
        os.mkfifo(ruta)
    else:
        ruta.symlink_to(destino)
    for orden in (("init",), ("pedido", "listar")):
        r = Cli(ruta).fails(5, *orden)
        assert "no es un archivo normal: no lo toco" in r.error["mensaje"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nulo.db"]
