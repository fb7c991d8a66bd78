"""What an install carries: the wheel has the data, the scenarios and the catalog; the sdist
has the tests, their conftest, the sample data as real files and the licence. Built as CI
builds them (`python -m build`)."""

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def construidos(tmp_path_factory):
    pytest.importorskip("build", reason="the build package (test extra) is not installed")
    if not (RAIZ / "pyproject.toml").exists():
        pytest.skip("not a source tree")
    salida = tmp_path_factory.mktemp("dist")
    r = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(salida), str(RAIZ)], capture_output=True, text=True, timeout=600
    )
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return next(salida.glob("*.whl")), next(salida.glob("*.tar.gz"))


def test_the_wheel_carries_the_data_the_scenarios_the_catalog_and_the_licence(construidos):
    rueda, _ = construidos
    nombres = set(zipfile.ZipFile(rueda).namelist())
    esperados = {
        "resolucion_cli/datos/ejemplo.json",
        "resolucion_cli/datos/demo.sh",
        "resolucion_cli/datos/fuentes.toml",
        "resolucion_cli/datos/centro-de-resoluciones.txt",
        "resolucion_cli/locale/es/LC_MESSAGES/resolucion.mo",
    }
    esperados |= {f"resolucion_cli/datos/escenarios/{p.name}" for p in (RAIZ / "sample_data" / "escenarios").iterdir()}
    assert esperados <= nombres, esperados - nombres
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in nombres)
    metadatos = next(n for n in nombres if n.endswith(".dist-info/METADATA"))
    texto = zipfile.ZipFile(rueda).read(metadatos).decode()
    assert "License-Expression: MIT" in texto and "Project-URL: Issues," in texto and "Classifier:" in texto


def test_the_sdist_carries_the_tests_the_sample_data_and_the_licence(construidos):
    _, fuente = construidos
    with tarfile.open(fuente) as tar:
        miembros = {m.name.split("/", 1)[1]: m for m in tar.getmembers() if "/" in m.name}
    for nombre in ("LICENSE", "README.md", "tests/conftest.py", "tests/terminal.py", "sample_data/datos.json"):
        assert nombre in miembros, nombre
    assert miembros["sample_data/datos.json"].isfile()  # a real file, not a link to outside the sdist
    assert miembros["sample_data/escenarios/cancelacion.toml"].isfile()
