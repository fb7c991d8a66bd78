"""Text that is not UTF-8, and characters that rearrange a screen, with real processes.

Bytes of another encoding (a Latin-1 «ñ») on the command line or typed at a prompt, and the
invisible marks (right-to-left and Arabic letter marks, U+2028/2029, word joiners, the
byte-order mark) in any text a user gives: one Spanish sentence, exit 2, and the database
byte for byte as it was, WAL included.
"""

import os
import subprocess

import pytest

from tests.conftest import Cli
from tests.hostil import archivos
from tests.terminal import RESOLUCION, Terminal, _entorno, en_terminal

pytestmark = en_terminal

LATIN1 = os.fsdecode(b"Dise\xf1o")  # how Python hands a Latin-1 «ñ» to the program: a lone surrogate


@pytest.fixture
def clase(tmp_path):
    cli = Cli(tmp_path / "c.db")
    cli.ok("init", "--reloj", "2026-03-02T09:00:00Z")
    cli.pedido()
    cli.abrir(1, "ana", "actualizacion")
    return cli


def _correr(db, *args) -> subprocess.CompletedProcess:
    return subprocess.run([RESOLUCION, *args], capture_output=True, env=_entorno(db), timeout=60)


TEXTOS = [
    (
        [
            "pedido",
            "crear",
            "--cliente",
            "ana",
            "--freelancer",
            "beto",
            "--titulo",
            "{}",
            "--precio",
            "9",
            "--entrega",
            "5d",
        ],
        "--titulo",
    ),
    (["disputa", "responder", "1", "--como", "beto", "--actualizacion", "{}"], "--actualizacion"),
    (["disputa", "revocar", "1", "--como", "ana", "--comentario", "{}"], "--comentario"),
    (["mensaje", "1", "--como", "ana", "--texto", "{}"], "--texto"),
    (
        [
            "pedido",
            "crear",
            "--cliente",
            "{}",
            "--freelancer",
            "beto",
            "--titulo",
            "x",
            "--precio",
            "9",
            "--entrega",
            "5d",
        ],
        "--cliente",
    ),
]
EXTRAS = ["disputa", "abrir", "1", "--como", "beto", "--tipo", "extras", "--extras-precio", "5", "--extras-descripcion"]


def _con(argumentos, texto):
    return [texto if a == "{}" else a for a in argumentos]


@pytest.mark.parametrize("argumentos, opcion", TEXTOS, ids=[o for _, o in TEXTOS])
def test_bytes_that_are_not_utf8_are_refused_naming_the_option_and_change_nothing(clase, argumentos, opcion):
    antes = archivos(clase.db)
    r = _correr(clase.db, *_con(argumentos, LATIN1))
    assert r.returncode == 2 and r.stdout == b""
    [linea] = r.stderr.decode().splitlines()
    assert linea == (
        f"Error: {opcion} tiene bytes que no son UTF-8 («Dise\\xf1o»): escríbelo con la terminal en UTF-8 "
        "(por ejemplo LANG=es_ES.UTF-8)."
    )
    assert archivos(clase.db) == antes


def test_the_extras_description_is_checked_too(clase):
    clase.ok("disputa", "responder", "1", "--como", "beto", "--actualizacion", "Voy bien")
    antes = archivos(clase.db)
    r = _correr(clase.db, *EXTRAS, LATIN1)
    assert r.returncode == 2 and b"--extras-descripcion tiene bytes que no son UTF-8" in r.stderr
    assert archivos(clase.db) == antes


MARCAS = ["\u200f", "\u061c", "\u2028", "\u2029", "\u2060", "\ufeff", "\u202e"]


@pytest.mark.parametrize("marca", MARCAS, ids=[f"U+{ord(m):04X}" for m in MARCAS])
@pytest.mark.parametrize("argumentos, opcion", TEXTOS[:4], ids=[o for _, o in TEXTOS[:4]])
def test_invisible_marks_are_refused_naming_the_character_and_change_nothing(clase, marca, argumentos, opcion):
    antes = archivos(clase.db)
    r = _correr(clase.db, *_con(argumentos, f"uno{marca}dos"))
    assert r.returncode == 2 and r.stdout == b""
    [linea] = r.stderr.decode().splitlines()
    assert linea.startswith(f"Error: {opcion} ") and f"U+{ord(marca):04X}" in linea
    assert archivos(clase.db) == antes


def test_a_latin1_byte_typed_at_a_prompt_is_asked_again(clase):
    t = Terminal(clase.db, "mensaje", 1, "--como", "beto")
    t.espera("Mensaje para ana: ")
    os.write(t.proceso.child_fd, b"Dise\xf1o\r")  # raw bytes: the text-mode spawn would encode them
    t.espera("Eso no es texto UTF-8")
    t.pregunta("Mensaje para ana: ", "Diseño")
    assert t.fin() == 0, t.salida
    assert clase.ok("bandeja", "--como", "ana")["mensajes"][-1]["texto"].endswith("«Diseño»")
