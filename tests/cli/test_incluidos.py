"""The sample data and the scenarios ship inside the package and are found by name; `-` reads
standard input wherever a file is read; `sample_data/` points at the same files."""

import json
from pathlib import Path

from typer.testing import CliRunner

from resolucion_cli import incluidos
from resolucion_cli.cli import app
from tests.conftest import Cli

RAIZ = Path(__file__).resolve().parents[2]


def _correr(*args, input=None):
    r = CliRunner().invoke(app, [str(a) for a in args], input=input)
    assert "Traceback" not in r.stderr, r.stderr
    return r


def test_sample_data_in_the_repository_is_the_shipped_files():
    """Links in the repository, copies in an sdist: the same bytes either way."""
    muestras = RAIZ / "sample_data"
    pares = [(muestras / "datos.json", incluidos.CARPETA / "ejemplo.json")]
    pares += [(muestras / "demo.sh", incluidos.CARPETA / "demo.sh")]
    pares += [(muestras / "escenarios" / p.name, p) for p in (incluidos.CARPETA / "escenarios").glob("*.toml")]
    assert sorted(p.name for p in (muestras / "escenarios").iterdir()) == sorted(b.name for a, b in pares[2:])
    for muestra, incluido in pares:
        assert muestra.read_bytes() == incluido.read_bytes(), muestra


def test_init_loads_the_shipped_example_by_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no file called «ejemplo» here: the name is the shipped one
    datos = Cli(tmp_path / "e.db").ok("init", "--datos", "ejemplo")
    assert datos["politica"] == "clasica"
    assert len(Cli(tmp_path / "e.db").ok("pedido", "listar")["pedidos"]) == 12


def test_an_existing_path_wins_over_a_shipped_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ejemplo").write_text('{"formato": "resolucion-datos", "pasos": []}', encoding="utf-8")
    Cli(tmp_path / "p.db").ok("init", "--datos", "ejemplo")
    assert Cli(tmp_path / "p.db").ok("pedido", "listar")["pedidos"] == []


def test_an_unknown_name_lists_the_shipped_ones(tmp_path):
    r = Cli(tmp_path / "n.db").fails(2, "init", "--datos", "nada")
    assert r.error["mensaje"] == (
        "No existe el archivo de datos «nada»: comprueba la ruta, o usa uno de los incluidos (ejemplo)."
    )
    nombres = ", ".join(nombre for nombre, _ in incluidos.escenarios())
    r = Cli(tmp_path / "g.db").fails(2, "guion", "nada")
    assert r.error["mensaje"].endswith(f"o usa uno de los incluidos ({nombres}).")
    assert list(tmp_path.iterdir()) == []


def test_guion_plays_a_shipped_scenario_by_name():
    r = _correr("guion", "cancelacion", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["archivo"] == "cancelacion"


def test_guion_listar_names_every_shipped_scenario_with_its_title():
    r = _correr("guion", "--listar", "--json")
    assert r.exit_code == 0, r.stderr
    escenarios = json.loads(r.stdout)["escenarios"]
    assert [e["nombre"] for e in escenarios] == sorted(
        p.stem for p in (incluidos.CARPETA / "escenarios").glob("*.toml")
    )
    assert all(e["titulo"] for e in escenarios)
    pantalla = _correr("guion", "--listar").stdout
    assert "cancelacion" in pantalla and "Una cancelación del cliente sin respuesta" in pantalla


def test_a_dash_reads_standard_input(tmp_path):
    texto = (incluidos.CARPETA / "escenarios" / "extras.toml").read_text(encoding="utf-8")
    r = _correr("guion", "-", "--json", input=texto)
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["ok"] is True
    datos = (incluidos.CARPETA / "ejemplo.json").read_text(encoding="utf-8")
    r = _correr("init", "--datos", "-", "--db", tmp_path / "s.db", "--json", input=datos)
    assert r.exit_code == 0, r.stderr
    assert len(Cli(tmp_path / "s.db").ok("pedido", "listar")["pedidos"]) == 12
    r = _correr("init", "--datos", "-", "--db", tmp_path / "roto.db", "--json", input="{no")
    assert r.exit_code == 2 and "«-» no es JSON válido" in json.loads(r.stderr)["error"]["mensaje"]
    assert not (tmp_path / "roto.db").exists()
