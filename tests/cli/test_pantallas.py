"""Screens at 60, 80 and 120 columns lose no id, date, state or amount.

One story with every kind of request, long titles, amounts in the thousands and instants with
seconds is rendered by every screen at each width: no cell may be cut with `…`, every value a
person needs must appear whole (a date split over two lines is not whole), and no line may be
wider than the terminal. Lists cut at their limit say how many more and how to see them.
"""

import io
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console
from rich.text import Text

from resolucion_cli import bases, servicios, vista
from resolucion_cli.modelo import ETIQUETA_ESTADO_DISPUTA, EstadoDisputa
from resolucion_cli.reglas import dinero
from resolucion_cli.reloj import desde_iso
from tests.conftest import T0, Cli

# Every test here runs on a SQLite file and on a PostgreSQL database (tests/conftest.py).
AMBOS_MOTORES = True

ANCHOS = (60, 80, 120)
MADRID = ZoneInfo("Europe/Madrid")
TITULO_LARGO = (
    "Ilustraciones para la campaña de otoño de la cafetería del barrio, con tipografía "
    "personalizada y versiones para redes"
)


def _fecha(instante: str) -> str:
    return vista.legible(desde_iso(instante), MADRID)


@pytest.fixture(scope="module")
def historia(tmp_path_factory):
    """Every request type and ending, on a clock with seconds, read in Madrid."""
    cli = Cli(tmp_path_factory.mktemp("pantallas") / "historia.db")
    cli.ok("init", "--reloj", "2026-10-18T08:15:42Z")

    def pedido(cliente, freelancer, precio, titulo=TITULO_LARGO, entrega="10d"):
        return cli.pedido(cliente, freelancer, entrega=entrega, precio=precio, titulo=titulo)["id"]

    # Requests that will expire unanswered: an update, a prórroga and extras.
    vencida = pedido("ana", "beto", "320,5")
    cli.abrir(vencida, "ana", "actualizacion")
    prorroga_vencida = pedido("carla", "dario", "75")
    cli.abrir(prorroga_vencida, "dario", "prorroga", "--nueva-entrega", "2026-12-01T10:00:30")
    extras_vencidos = pedido("ana", "dario", "1234,50")
    cli.abrir(extras_vencidos, "dario", "extras", "--extras-precio", "99,99", "--extras-descripcion", "Otro formato")
    cli.ok("tick", "--avanzar", "97h")

    abierta = pedido("ana", "beto", "12345,67")
    cli.abrir(abierta, "ana", "actualizacion", "--comentario", "¿Cómo va? Necesito verlo antes del viernes.")
    cancelado = pedido("carla", "dario", "999,99", titulo="Traducción del catálogo")
    d = cli.abrir(cancelado, "carla", "cancelacion", "--comentario", "Ya no lo necesito, lo siento mucho.")
    cli.ok("disputa", "responder", d["id"], "--como", "dario", "--aceptar", "--comentario", "Entendido.")
    prorroga = pedido("ana", "dario", "480")
    cli.abrir(prorroga, "dario", "prorroga", "--nueva-entrega", "2026-12-24T18:30:15", "--comentario", "Vacaciones")
    extras = pedido("carla", "beto", "200")
    cli.abrir(
        extras,
        "beto",
        "extras",
        *("--extras-precio", "12345,67", "--extras-descripcion", "Glosario de términos técnicos"),
        *("--extras-dias", "3"),
    )
    motivo = pedido("ana", "beto", "1000")
    cli.abrir(
        motivo, "beto", "cancelacion", "--motivo", "informacion_insuficiente", "--comentario", "Faltan los textos."
    )
    rechazada = pedido("carla", "beto", "50")
    d = cli.abrir(rechazada, "beto", "prorroga", "--nueva-entrega", "2026-12-02")
    cli.ok("disputa", "responder", d["id"], "--como", "carla", "--rechazar", "--comentario", "No puedo esperar.")
    entregado = pedido("ana", "dario", "65")
    cli.ok("pedido", "entregar", entregado, "--como", "dario")
    completado = pedido("carla", "dario", "88,8")
    cli.ok("pedido", "entregar", completado, "--como", "dario")
    cli.ok("pedido", "completar", completado, "--como", "carla")
    cli.ok("tick", "--avanzar", "1h30m")
    return cli


def _humano(cli, ancho, *args):
    r = cli.run(*args, env={"COLUMNS": str(ancho), "RESOLUCION_TZ": "Europe/Madrid"})
    assert r.code == 0, r
    return r.out


def _sin_perdidas(salida: str, valores: set[str], ancho: int) -> None:
    assert "…" not in salida, salida
    anchas = [linea for linea in salida.splitlines() if len(linea.rstrip()) > ancho]
    assert not anchas, anchas
    faltan = sorted(v for v in valores if v not in salida)
    assert not faltan, f"{faltan}\n{salida}"


def _valores_de_disputa(d: dict) -> set[str]:
    valores = {f"#{d['pedido']}", ETIQUETA_ESTADO_DISPUTA[EstadoDisputa(d["estado"])]}
    valores.add(_fecha(d["vence_en"] if d["estado"] == "abierta" else d["resuelta_en"]))
    if d["extras_centavos"] is not None:
        valores.add(dinero(d["extras_centavos"]))
    if d["nueva_fecha_entrega"]:
        valores.add(_fecha(d["nueva_fecha_entrega"]))
    return valores


@pytest.mark.parametrize("ancho", ANCHOS)
def test_pedido_listar_keeps_every_id_state_and_amount_whole(historia, ancho):
    pedidos = historia.ok("pedido", "listar")["pedidos"]
    valores = {p["estado_etiqueta"] for p in pedidos} | {dinero(p["precio_centavos"]) for p in pedidos}
    assert "Cancelado de mutuo acuerdo" in valores and "US$ 12.345,67" in valores

    salida = _humano(historia, ancho, "pedido", "listar")

    _sin_perdidas(salida, valores | {str(p["id"]) for p in pedidos}, ancho)


@pytest.mark.parametrize("ancho", ANCHOS)
def test_pedido_ver_keeps_dates_states_and_amounts_whole_for_every_order(historia, ancho):
    for p in historia.ok("pedido", "listar")["pedidos"]:
        datos = historia.ok("pedido", "ver", p["id"])
        valores = {f"Pedido #{p['id']}", dinero(p["precio_centavos"]), _fecha(p["fecha_entrega"])}
        valores |= {_fecha(datos["reloj"]), p["titulo"].split()[-1]}
        valores |= {_fecha(e["en"]) for e in datos["eventos"]}
        valores |= {_fecha(x["vence_en"]) for x in datos["plazos"]}
        for d in datos["disputas"]:
            valores |= _valores_de_disputa(d) - {f"#{d['pedido']}"}

        salida = _humano(historia, ancho, "pedido", "ver", p["id"])

        _sin_perdidas(salida, valores, ancho)
        assert p["estado_etiqueta"].split()[0] in salida


@pytest.mark.parametrize("ancho", ANCHOS)
def test_disputa_listar_keeps_ids_dates_states_and_amounts_whole(historia, ancho):
    disputas = historia.ok("disputa", "listar")["disputas"]
    valores = set().union(*map(_valores_de_disputa, disputas))
    assert {"Vencida", "Aceptada", "Rechazada", "Abierta"} <= valores

    salida = _humano(historia, ancho, "disputa", "listar")

    _sin_perdidas(salida, valores, ancho)


@pytest.mark.parametrize("ancho", ANCHOS)
@pytest.mark.parametrize("usuario", ["ana", "beto", "carla", "dario"])
def test_bandeja_keeps_every_date_and_order_whole(historia, ancho, usuario):
    mensajes = historia.ok("bandeja", "--como", usuario)["mensajes"]
    assert mensajes
    valores = {_fecha(m["en"]) for m in mensajes} | {f"#{m['pedido']}" for m in mensajes}

    salida = _humano(historia, ancho, "bandeja", "--como", usuario)

    _sin_perdidas(salida, valores, ancho)


@pytest.mark.parametrize("ancho", ANCHOS)
def test_tick_keeps_processed_and_pending_deadlines_whole(historia, ancho):
    r = historia.ok("tick", "--simular", "--avanzar", "5d")
    assert r["procesados"] and r["pendientes"]
    valores = {_fecha(r["reloj_anterior"]), _fecha(r["reloj"])}
    valores |= {_fecha(x["vence_en"]) for x in r["procesados"] + r["pendientes"]}
    valores |= {f"#{x['pedido']}" for x in r["procesados"] + r["pendientes"]}

    salida = _humano(historia, ancho, "tick", "--simular", "--avanzar", "5d")

    _sin_perdidas(salida, valores, ancho)
    assert "solicitud_revocada" in {x["resultado"] for x in r["procesados"]}
    if ancho == 120:
        assert "venció sin respuesta: nada cambia" in salida


@pytest.mark.parametrize("ancho", ANCHOS)
def test_explicar_keeps_every_date_whole(historia, ancho):
    for d in historia.ok("disputa", "listar")["disputas"]:
        x = historia.ok("explicar", d["id"])
        valores = {_fecha(p["en"]) for p in x["pasos"]} | {f"#{d['id']}", f"#{d['pedido']}"}

        salida = _humano(historia, ancho, "explicar", d["id"])

        _sin_perdidas(salida, valores, ancho)


@pytest.mark.parametrize("ancho", ANCHOS)
def test_short_result_screens_keep_the_amount_and_date_whole(tmp_path, ancho):
    cli = Cli(tmp_path / "corto.db")
    cli.ok("init", "--reloj", "2026-10-18T08:15:42Z")
    argumentos = ("--cliente", "ana", "--freelancer", "beto", "--titulo", TITULO_LARGO, "--precio", "12345,67")

    creado = _humano(cli, ancho, "pedido", "crear", *argumentos, "--entrega", "2026-11-20T17:45:09")
    abierta = _humano(cli, ancho, "disputa", "abrir", "1", "--como", "ana", "--tipo", "actualizacion")

    p = cli.ok("pedido", "ver", "1")
    _sin_perdidas(creado, {"US$ 12.345,67", _fecha(p["pedido"]["fecha_entrega"]), "Activo"}, ancho)
    _sin_perdidas(abierta, {_fecha(p["disputas"][0]["vence_en"]), "En controversia"}, ancho)


# --- the layout itself, with the widest values the screens may hold -------------------------

FECHA_CON_DESFASE = "2026-10-25 02:30:00 +02:00"


def _dibujar(renderable, ancho: int) -> str:
    salida = io.StringIO()
    Console(file=salida, width=ancho, color_system=None, legacy_windows=False).print(renderable)
    return salida.getvalue()


@pytest.mark.parametrize("ancho", ANCHOS)
def test_a_table_never_splits_a_date_with_offset_an_amount_or_a_long_state(ancho):
    cuadro = vista.Cuadro("Pedidos", "#", "Título", "Estado", "Precio", "Entrega", pesos={"Título": 3})
    for n in range(3):
        cuadro.add_row(
            Text(str(12345 + n)),
            Text(TITULO_LARGO),
            Text("Cancelado de mutuo acuerdo"),
            Text("US$ 1.234.567,89"),
            Text(f"{FECHA_CON_DESFASE}\nvence en 1 día y 23 horas"),
        )

    salida = _dibujar(cuadro, ancho)

    _sin_perdidas(salida, {"12345", "Cancelado de mutuo acuerdo", "US$ 1.234.567,89", FECHA_CON_DESFASE}, ancho)
    assert "personalizada" in salida  # free text wraps between words, never cut


def test_a_table_that_fits_stays_a_table_and_one_that_cannot_becomes_cards():
    cuadro = vista.Cuadro("Plazos", "Pedido", "Vence")
    for n in range(5):
        cuadro.add_row(Text(f"#{n}"), Text(FECHA_CON_DESFASE))

    assert "━" in _dibujar(cuadro, 60)
    assert "━" not in _dibujar(cuadro, 30)
    assert FECHA_CON_DESFASE in _dibujar(cuadro, 30)


def test_the_live_screen_header_keeps_the_clock_whole_at_60_columns(historia):
    ahora = desde_iso(historia.ok("tick")["reloj"])
    titulo = "Siguiendo el pedido #12345 · " + TITULO_LARGO
    pantalla = vista.pantalla_en_vivo(titulo, ahora, "simulado", MADRID, "", "clase.db")

    salida = _dibujar(pantalla, 60)

    _sin_perdidas(salida, {f"{ahora.astimezone(MADRID):%Y-%m-%d %H:%M:%S}", "(Europe/Madrid)", "clase.db"}, 60)


# --- "Faltan N": every cut list says how many more and how to see them --------------------


@pytest.fixture
def cinco_pedidos(cli):
    for n in range(5):
        cli.pedido(titulo=f"Pedido {n}")
    return cli


def test_a_list_exactly_at_its_limit_says_nothing_more(cinco_pedidos):
    salida = cinco_pedidos.run("pedido", "listar", "--limite", "5").out

    assert "Falta" not in salida


def test_a_list_one_over_its_limit_says_one_order_is_missing(cinco_pedidos):
    salida = cinco_pedidos.run("pedido", "listar", "--limite", "4").out

    assert "Falta 1 pedido: --limite 5 lo muestra." in salida


def test_a_list_several_over_its_limit_counts_them_in_the_plural(cinco_pedidos):
    salida = cinco_pedidos.run("pedido", "listar", "--como", "ana", "--limite", "2").out

    assert "Faltan 3 pedidos: --limite 5 los muestra." in salida


def test_the_json_list_stays_as_section_6_says(cinco_pedidos):
    assert list(cinco_pedidos.ok("pedido", "listar", "--limite", "4")) == ["pedidos"]


def test_the_request_list_says_how_many_requests_are_missing(cli):
    for _ in range(3):
        cli.abrir(cli.pedido()["id"], "ana", "actualizacion")

    assert "Falta" not in cli.run("disputa", "listar", "--limite", "3").out
    assert "Falta 1 solicitud: --limite 3 la muestra." in cli.run("disputa", "listar", "--limite", "2").out
    assert "Faltan 2 solicitudes: --limite 3 las muestra." in cli.run("disputa", "listar", "--limite", "1").out


def test_tick_says_how_many_pending_deadlines_it_left_out(cli):
    for _ in range(3):
        cli.pedido()  # each owes a delivery: three pending deadlines

    assert "Falta" not in cli.run("tick", "--limite", "3").out
    assert "Falta 1 plazo: --limite 3 lo muestra." in cli.run("tick", "--limite", "2").out
    assert len(cli.ok("tick", "--limite", "2")["pendientes"]) == 2


def test_a_list_longer_than_the_largest_limit_says_how_far_the_limit_goes():
    linea = vista.faltan(10_000, 50, "pedido")

    assert linea == "Faltan 9.950 pedidos: --limite 10000 los muestra."


def test_past_the_largest_limit_a_list_is_counted_no_further_and_says_more_than():
    """`servicios._total` counts up to 10 001: a million orders are not read to say so."""
    assert vista.faltan(10_001, 50, "pedido") == (
        "Faltan más de 9.950 pedidos: --limite 10000 muestra los 10.000 primeros."
    )
    assert vista.faltan(10_001, 10_000, "solicitud") == "Faltan más solicitudes: 10.000 es lo más que muestra --limite."


@pytest.fixture
def su_almacen(cinco_pedidos):
    almacen = bases.abrir(cinco_pedidos.db, T0, crear=False)
    yield almacen
    almacen.cerrar()


def test_a_count_stops_where_it_is_told(su_almacen):
    assert su_almacen.contar_pedidos(None, None) == 5
    assert su_almacen.contar_pedidos(None, None, 3) == 3
    assert su_almacen.contar_pedidos("ana", "activo", 6) == 5
    assert su_almacen.contar_disputas(None, None, False, 1) == 0
    assert su_almacen.contar_plazos(None, 2) == 2
    assert su_almacen.contar_plazos("beto") == 5


def test_a_cut_list_counts_only_up_to_one_past_the_largest_limit(su_almacen, monkeypatch):
    monkeypatch.setattr(servicios, "LIMITE_MAXIMO", 3)
    assert servicios.listar_pedidos(su_almacen, None, None, 2)[3] == 4
    assert servicios.listar_pedidos(su_almacen, "ana", "completado", 2)[3] == 0  # not cut: not counted
    assert servicios.listar_disputas(su_almacen, None, None, False, 1)[2] == 0
    assert servicios.tick(su_almacen, limite=1).total_pendientes == 4


# --- --help at 60 columns ----------------------------------------------------------------


def _comandos():
    import typer

    from resolucion_cli.cli import app

    def recorrer(comando, ruta):
        yield ruta, comando
        for nombre, sub in sorted(getattr(comando, "commands", {}).items()):
            yield from recorrer(sub, [*ruta, nombre])

    return list(recorrer(typer.main.get_command(app), []))


@pytest.mark.parametrize("ruta", [r for r, _ in _comandos()], ids=lambda r: " ".join(r) or "resolucion")
def test_help_at_60_columns_loses_no_option(ruta):
    comando = dict((" ".join(r), c) for r, c in _comandos())[" ".join(ruta)]
    entorno = {**os.environ, "COLUMNS": "60", "NO_COLOR": "1"}

    salida = subprocess.run(
        [sys.executable, "-m", "resolucion_cli", *ruta, "--help"], capture_output=True, text=True, env=entorno
    ).stdout

    opciones = {o for p in comando.params for o in p.opts if o.startswith("--")}
    _sin_perdidas(salida, opciones | set(getattr(comando, "commands", {})), 60)


@pytest.mark.parametrize(
    ("vencidos", "linea"), [(100, None), (101, "Falta 1 plazo vencido"), (103, "Faltan 3 plazos vencidos")]
)
def test_a_tick_that_fires_more_than_a_screen_says_how_many_it_left_out(vencidos, linea):
    from resolucion_cli.modelo import Resultado
    from resolucion_cli.servicios import ResultadoTick
    from resolucion_cli.vencimientos import Procesado
    from tests.conftest import T0

    procesados = [Procesado(n, n, "cancelacion", T0, Resultado.PEDIDO_CANCELADO) for n in range(1, vencidos + 1)]
    r = ResultadoTick(T0, T0, False, procesados, [], 0)
    salida = io.StringIO()

    vista.mostrar_tick(Console(file=salida, width=80, color_system=None), r, MADRID)

    assert vista.MAX_FILAS == 100
    if linea is None:
        assert "Falta" not in salida.getvalue()
    else:
        assert f"{linea} en esta lista: --json los da todos." in " ".join(salida.getvalue().split())
