"""`resolucion init`, the database file it makes (and that no other command makes),
`init --datos` and `demo`."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from resolucion_cli.cli import app
from tests.conftest import T0_ISO, Cli
from tests.esperado import CLAVES_INIT, CLAVES_PEDIDO, foto, t, una_linea_de_error

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

# --- init ------------------------------------------------------------------------------


def test_init_on_a_new_file_reports_the_whole_init_object(tmp_path):
    otra = Cli(tmp_path / "nueva.db")
    data = otra.ok("init", "--reloj", "2026-05-01T10:30:00Z")
    assert data == {
        "db": str((tmp_path / "nueva.db").resolve()),
        "reloj": "2026-05-01T10:30:00Z",
        "modo_reloj": "simulado",
        "version_esquema": data["version_esquema"],
        "politica": "clasica",
    }
    assert isinstance(data["version_esquema"], int) and data["version_esquema"] >= 1
    assert (tmp_path / "nueva.db").exists()


def test_init_real_mode_is_reported_and_kept(tmp_path):
    otra = Cli(tmp_path / "real.db")
    data = otra.ok("init", "--reloj", "2099-01-01T00:00:00Z", "--modo-reloj", "real")
    assert set(data) == CLAVES_INIT
    assert data["modo_reloj"] == "real"
    assert data["reloj"] == "2099-01-01T00:00:00Z"
    assert otra.ok("init")["modo_reloj"] == "real"


def test_init_again_keeps_the_moved_clock_and_the_data(cli):
    cli.pedido()
    cli.ok("tick", "--avanzar", "1d")
    data = cli.ok("init")
    assert data["reloj"] == t(days=1)
    assert data["modo_reloj"] == "simulado"
    assert [p["id"] for p in cli.ok("pedido", "listar")["pedidos"]] == [1]


def test_init_with_another_clock_on_an_existing_database_is_bad_input_and_changes_nothing(cli):
    cli.pedido()
    antes = foto(cli, 1)
    r = cli.fails(2, "init", "--reloj", "2026-04-01T00:00:00Z")
    assert "resolucion tick --at" in r.error["mensaje"]
    assert "resolucion init --db OTRA_RUTA --reloj FECHA" in r.error["mensaje"]  # how to start over
    assert "resolucion instantanea restaurar NOMBRE" in r.error["mensaje"]  # or rewind (SPEC §5)
    r = cli.fails(2, "init", "--modo-reloj", "real")
    assert "resolucion init --db OTRA_RUTA --modo-reloj MODO" in r.error["mensaje"]
    assert "resolucion instantanea restaurar NOMBRE" in r.error["mensaje"]
    assert foto(cli, 1) == antes
    assert cli.ok("tick")["reloj"] == T0_ISO


def test_init_with_the_same_instant_written_in_another_zone_is_accepted(cli):
    assert cli.ok("init", "--reloj", "2026-03-02T10:00:00+01:00")["reloj"] == T0_ISO


def test_init_with_an_unknown_clock_mode_is_bad_input(tmp_path):
    otra = Cli(tmp_path / "modo.db")
    otra.fails(2, "init", "--modo-reloj", "lento")


# --- the database file -----------------------------------------------------------------


def test_a_text_file_as_database_is_unusable_and_left_untouched(tmp_path):
    ruta = tmp_path / "notas.txt"
    contenido = b"esto no es una base de datos\n" * 10
    ruta.write_bytes(contenido)
    otra = Cli(ruta)
    for args in (("init",), ("pedido", "listar"), ("tick", "--avanzar", "1d")):
        r = otra.fails(5, *args)
        assert str(ruta) in r.error["mensaje"] or "no es una base" in r.error["mensaje"]
    r = otra.run("pedido", "listar")
    assert r.code == 5
    una_linea_de_error(r)
    assert ruta.read_bytes() == contenido
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notas.txt"]


def test_a_database_in_a_missing_folder_is_unusable_and_creates_nothing(tmp_path):
    ruta = tmp_path / "no_existe" / "x.db"
    otra = Cli(ruta)
    otra.fails(5, "init")
    otra.fails(5, "pedido", "listar")
    assert not (tmp_path / "no_existe").exists()


def test_a_folder_as_database_is_unusable(tmp_path):
    Cli(tmp_path).fails(5, "pedido", "listar")


SIN_BASE = [
    ("pedido", "listar"),
    ("pedido", "ver", "1"),
    ("pedido", "crear", "--cliente", "ana", "--freelancer", "beto", "--titulo", "Logo", "--precio", "100",
     "--entrega", "7d"),
    ("pedido", "entregar", "1", "--como", "beto"),
    ("pedido", "completar", "1", "--como", "ana"),
    ("disputa", "abrir", "1", "--como", "ana", "--tipo", "actualizacion"),
    ("disputa", "responder", "1", "--como", "beto", "--aceptar"),
    ("disputa", "revocar", "1", "--como", "ana"),
    ("disputa", "listar"),
    ("tick",),
    ("tick", "--avanzar", "1d"),
    ("bandeja", "--como", "ana"),
    ("verificar",),
    ("explicar", "1"),
    ("generar", "--pedidos", "10"),
    ("pendientes", "--como", "ana"),
    ("mensaje", "1", "--como", "ana", "--texto", "hola"),
    ("instantanea", "guardar", "inicio"),
    ("instantanea", "restaurar", "inicio"),
    ("instantanea", "listar"),
    ("instantanea", "borrar", "inicio"),
    ("informe", "1"),
]  # fmt: skip


@pytest.mark.parametrize("vacia", [False, True], ids=["sin-archivo", "archivo-vacio"])
@pytest.mark.parametrize("orden", SIN_BASE, ids=lambda o: " ".join(o[:2]))
def test_only_init_creates_a_database_every_other_command_exits_5_naming_it(tmp_path, orden, vacia):
    ruta = tmp_path / "falta.db"
    if vacia:
        ruta.touch()
    r = Cli(ruta).fails(5, *orden)
    assert str(ruta) in r.error["mensaje"]
    assert f"resolucion init --db {ruta}" in r.error["mensaje"]
    esperado = ["falta.db"] if vacia else []
    assert sorted(p.name for p in tmp_path.iterdir()) == esperado  # no database, no -wal, no -shm
    if vacia:
        assert ruta.stat().st_size == 0


def test_init_creates_the_database_the_other_commands_then_use(tmp_path):
    ruta = tmp_path / "primera.db"
    cli = Cli(ruta)
    cli.fails(5, "pedido", "listar")
    cli.ok("init", "--reloj", "2026-03-02T09:00Z")
    assert cli.ok("pedido", "listar") == {"pedidos": []}


# --- demo and sample data --------------------------------------------------------------

DATOS = Path(__file__).resolve().parents[2] / "sample_data" / "datos.json"


def test_init_datos_loads_the_sample_data_set(tmp_path):
    otra = Cli(tmp_path / "datos.db")
    data = otra.ok("init", "--reloj", T0_ISO, "--datos", str(DATOS))
    assert set(data) == CLAVES_INIT
    pedidos = otra.ok("pedido", "listar")["pedidos"]
    assert len(pedidos) == 12
    assert all(set(p) == CLAVES_PEDIDO for p in pedidos)
    assert [p["id"] for p in pedidos] == list(range(1, 13))
    assert otra.ok("disputa", "listar", "--abiertas")["disputas"]


def _datos(tmp_path, *pasos: str) -> str:
    ruta = tmp_path / "datos.json"
    ruta.write_text('{"formato": "resolucion-datos", "pasos": [' + ", ".join(pasos) + "]}", encoding="utf-8")
    return str(ruta)


CREAR_WEB = (
    '{"accion": "crear", "ref": "web", "cliente": "ana", "freelancer": "beto", "titulo": "Web", '
    '"precio": "200", "entrega": "1d"}'
)
CREAR_LOGO = (
    '{"accion": "crear", "ref": "logo", "cliente": "ana", "freelancer": "beto", "titulo": "Logo", '
    '"precio": "80", "entrega": "5d"}'
)


def _reembolso(importe: str) -> str:
    return (
        '{"accion": "abrir", "ref": "r", "pedido": "logo", "como": "beto", "tipo": "reembolso_parcial", '
        f'"importe": "{importe}"}}'
    )


def test_init_datos_under_automatic_acceptance_loads_a_partial_refund_and_a_late_cancellation(tmp_path):
    datos = _datos(
        tmp_path,
        CREAR_WEB,
        CREAR_LOGO,
        _reembolso("US$ 48,00"),
        '{"accion": "tick", "avanzar": "2d"}',
        '{"accion": "abrir", "ref": "tarde", "pedido": "web", "como": "ana", "tipo": "cancelacion", '
        '"comentario": "No llega"}',
    )
    otra = Cli(tmp_path / "datos.db")
    otra.ok("init", "--reloj", T0_ISO, "--politica", "aceptacion-automatica", "--datos", datos)
    # The 2 days of the tick let the 48 h of the refund pass: accepted by silence.
    logo = otra.ok("pedido", "ver", 2)
    assert (logo["pedido"]["estado"], logo["pedido"]["reembolso_centavos"]) == ("completado", 4800)
    ((reembolso,),) = [logo["disputas"]]
    assert (reembolso["tipo"], reembolso["estado"], reembolso["reembolso_centavos"]) == (
        "reembolso_parcial",
        "aceptada",
        4800,
    )
    assert (reembolso["resuelta_por"], reembolso["resuelta_en"]) == ("sistema", "2026-03-04T09:00:00Z")
    # Web was due a day after T0: 24 h later its client cancels at once, and no request is made.
    web = otra.ok("pedido", "ver", 1)
    assert web["pedido"]["estado"] == "cancelado" and web["disputas"] == []
    assert otra.ok("disputa", "listar")["disputas"] == [reembolso]


@pytest.mark.parametrize(
    "importe, politica, error",
    [
        ("4,99", "aceptacion-automatica", "«importe»: un reembolso parcial es de al menos US$ 5,00."),
        ("cuarenta", "aceptacion-automatica", "«importe» «cuarenta» no es un importe válido"),
        ("48,01", "aceptacion-automatica", "supera el máximo del pedido #1: US$ 48,00"),
        ("48", "clasica", "Las reglas de esta base («clasica») no tienen solicitudes de tipo «reembolso_parcial»"),
    ],
)
def test_init_datos_refuses_a_partial_refund_out_of_its_limits_naming_the_step(tmp_path, importe, politica, error):
    datos = _datos(tmp_path, CREAR_LOGO, _reembolso(importe))
    otra = Cli(tmp_path / "datos.db")
    r = otra.fails(2, "init", "--reloj", T0_ISO, "--politica", politica, "--datos", datos)
    assert r.error["mensaje"].startswith(f"«{datos}», paso 2 (abrir): ")
    assert error in r.error["mensaje"] and r.error["mensaje"].endswith("No se ha cargado nada.")


def test_init_with_an_unreadable_data_file_is_bad_input_and_creates_no_database(tmp_path):
    roto = tmp_path / "roto.json"
    roto.write_text("{ esto no es json", encoding="utf-8")
    for archivo in (roto, tmp_path / "no_existe.json"):
        otra = Cli(tmp_path / "nada.db")
        otra.fails(2, "init", "--datos", str(archivo))
        assert not (tmp_path / "nada.db").exists()


def test_demo_plays_the_story_on_the_db_given_on_its_command_line(cli, tmp_path):
    ruta = tmp_path / "demo.db"
    r = Cli(ruta).run("demo")
    assert r.code == 0, r
    assert r.out.strip()
    assert "\x1b[" not in r.out
    estados = {p["estado"] for p in Cli(ruta).ok("pedido", "listar")["pedidos"]}
    assert {"completado", "cancelado"} <= estados


def test_demo_ignores_resolucion_db_and_leaves_no_file_behind(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ruta = tmp_path / "env.db"
    r = CliRunner().invoke(app, ["demo"], env={"RESOLUCION_DB": str(ruta)})
    assert r.exit_code == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_demo_has_no_json_output(tmp_path):
    Cli(tmp_path / "j.db").fails(2, "demo")
