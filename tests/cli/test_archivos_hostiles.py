"""Data files and scenarios that would exhaust the parser or the memory: refused as bad input.

A JSON or TOML document nested thousands deep, and a "file" that never ends (/dev/zero,
/dev/urandom): one Spanish sentence, exit 2, no database made, a bounded read.
"""

import pytest

from tests.conftest import Cli


def _profundo(carpeta, extension: str):
    ruta = carpeta / f"hondo.{extension}"
    niveles = 5000
    if extension == "json":
        ruta.write_text("[" * niveles + "]" * niveles, encoding="utf-8")
    else:
        ruta.write_text("a = " + "[" * niveles + "]" * niveles + "\n", encoding="utf-8")
    return ruta


def test_a_data_file_nested_thousands_deep_is_refused_and_makes_no_database(tmp_path):
    ruta = _profundo(tmp_path, "json")
    r = Cli(tmp_path / "nueva.db").fails(2, "init", "--datos", ruta)
    assert r.error["mensaje"] == (
        f"El archivo de datos «{ruta}» anida listas u objetos a demasiada profundidad. No se ha hecho nada."
    )
    assert not (tmp_path / "nueva.db").exists()


def test_a_scenario_nested_thousands_deep_is_refused(tmp_path):
    ruta = _profundo(tmp_path, "toml")
    r = Cli(tmp_path / "guion.db").fails(2, "guion", ruta)
    assert (
        r.error["mensaje"] == f"El guion «{ruta}» anida listas u objetos a demasiada profundidad. No se ha hecho nada."
    )
    assert not (tmp_path / "guion.db").exists()


@pytest.mark.parametrize("infinito", ["/dev/zero", "/dev/urandom"])
def test_a_file_that_never_ends_is_read_only_so_far(tmp_path, infinito):
    r = Cli(tmp_path / "nueva.db").fails(2, "init", "--datos", infinito)
    assert r.error["mensaje"] == (
        f"El archivo de datos «{infinito}» pasa de 16 MB: no es un archivo que resolucion lea. No se ha hecho nada."
    )
    r = Cli(tmp_path / "g.db").fails(2, "guion", infinito)
    assert r.error["mensaje"].startswith(f"El guion «{infinito}» pasa de 16 MB")
    assert list(tmp_path.iterdir()) == []
