"""`resolucion tablero` as a real process: Datasette on a free loopback port, read while another
process writes, and the canned query drawn by headless Chromium."""

import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.terminal import RESOLUCION, _entorno, en_terminal, otra_terminal

pytest.importorskip("datasette", reason="el extra tablero no está instalado (pip install -e '.[test]')")
pytestmark = en_terminal
ESPERA_MAXIMA = 60  # seconds; only a hung process would come near it


def _chromium() -> str:
    """Debian's chromium; installed here when missing, skipped only where that cannot be done."""
    encontrado = shutil.which("chromium")
    if encontrado:
        return encontrado
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    entorno = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        subprocess.run([*sudo, "apt-get", "update", "-qq"], env=entorno, capture_output=True, timeout=600, check=True)
        subprocess.run(
            [*sudo, "apt-get", "install", "-y", "-qq", "chromium"],
            env=entorno,
            capture_output=True,
            timeout=900,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"chromium no está y no se puede instalar aquí ({type(error).__name__})")
    return shutil.which("chromium") or pytest.skip("apt-get instaló chromium pero no está en el PATH")


def _puerto_libre() -> int:
    with socket.socket() as enchufe:
        enchufe.bind(("127.0.0.1", 0))
        return enchufe.getsockname()[1]


def _json(url: str):
    with urllib.request.urlopen(url, timeout=10) as respuesta:
        assert respuesta.status == 200
        return json.load(respuesta)


def _puertos_que_escuchan(puerto: int) -> set[str]:
    """The local addresses with a listening TCP socket on `puerto`, from the kernel's own tables."""
    direcciones = set()
    for tabla in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lineas = open(tabla).read().splitlines()[1:]
        except OSError:
            continue
        for linea in lineas:
            local, estado = linea.split()[1], linea.split()[3]
            direccion, _, hexa = local.partition(":")
            if estado == "0A" and int(hexa, 16) == puerto:  # 0A: LISTEN
                direcciones.add(direccion)
    return direcciones


@pytest.fixture
def servidor(tmp_path):
    db = tmp_path / "clase.db"
    otra_terminal(db, "init", "--reloj", "2026-03-02T09:00:00Z")
    otra_terminal(
        db,
        "pedido",
        "crear",
        "--cliente",
        "ana",
        "--freelancer",
        "beto",
        "--titulo",
        "Logo",
        "--precio",
        "120",
        "--entrega",
        "20h",
    )
    puerto = _puerto_libre()
    proceso = subprocess.Popen(
        [RESOLUCION, "tablero", "--puerto", str(puerto), "--json"],
        env=_entorno(db),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        aviso = json.loads(proceso.stdout.readline())
        base = aviso["url"]
        assert base == f"http://127.0.0.1:{puerto}/clase"
        limite = time.monotonic() + ESPERA_MAXIMA
        while True:
            try:
                _json(base + ".json")
                break
            except (urllib.error.URLError, ConnectionError):
                assert proceso.poll() is None, proceso.stderr.read()
                assert time.monotonic() < limite, "el tablero no contesta"
                time.sleep(0.1)
        yield db, puerto, base, proceso
    finally:
        if proceso.poll() is None:
            proceso.kill()
            proceso.communicate(timeout=ESPERA_MAXIMA)


def test_the_views_are_read_while_another_process_writes_and_ctrl_c_ends_it_with_0(servidor):
    db, puerto, base, proceso = servidor
    plazos = base + "/vista_plazos_pendientes.json?_shape=array"
    (fila,) = _json(plazos)
    assert {k: fila[k] for k in ("pedido", "titulo", "tipo_etiqueta", "responde")} == {
        "pedido": 1,
        "titulo": "Logo",
        "tipo_etiqueta": "Entrega",
        "responde": "beto",
    }

    # Another terminal writes while the page is read again and again: every read succeeds.
    def escribir():
        for titulo in ("Web", "App", "Vídeo"):
            otra_terminal(
                db,
                "pedido",
                "crear",
                "--cliente",
                "carla",
                "--freelancer",
                "dario",
                "--titulo",
                titulo,
                "--precio",
                "50",
                "--entrega",
                "3d",
            )
        otra_terminal(db, "disputa", "abrir", "1", "--como", "ana", "--tipo", "actualizacion", "--no-interactivo")
        otra_terminal(db, "tick", "--avanzar", "1h")

    escritor = threading.Thread(target=escribir)
    escritor.start()
    vistos = []
    while escritor.is_alive():
        vistos.append(len(_json(plazos)))
    escritor.join()
    assert vistos, "the writes ended before the first read"
    assert vistos == sorted(vistos)  # each read sees one committed state, never one going back
    filas = _json(plazos)
    # Soonest first: beto's delivery (20 h), ana's request to him (2 days), dario's deliveries (3 days).
    assert [(f["pedido"], f["solicitud"], f["tipo"], f["responde"], f["vencido"]) for f in filas] == [
        (1, None, "entrega", "beto", 0),
        (1, 1, "actualizacion", "beto", 0),
        (2, None, "entrega", "dario", 0),
        (3, None, "entrega", "dario", 0),
        (4, None, "entrega", "dario", 0),
    ]
    solicitudes = _json(base + "/vista_solicitudes.json?_shape=array")
    assert [(s["titulo"], s["tipo_etiqueta"], s["estado_etiqueta"], s["rol_etiqueta"]) for s in solicitudes] == [
        ("Logo", "Actualización", "Abierta", "Cliente")
    ]
    historial = _json(base + "/vista_historial.json?pedido=1&_shape=array")
    assert [h["que"] for h in historial if h["clase"] == "evento"] == ["Pedido creado", "Solicitud abierta"]

    # Only the loopback address listens.
    assert _puertos_que_escuchan(puerto) == {"0100007F"}

    # The canned queries, with their Spanish titles in the metadata.
    quien = _json(base + "/quien_debe_actuar.json?_shape=array")
    assert [(f["Quién debe actuar"], f["Plazos"]) for f in quien] == [("beto", 2), ("dario", 3)]
    hoy = _json(base + "/plazos_de_hoy.json?_shape=array")
    assert [f["Pedido"] for f in hoy] == [1]
    metadatos = _json(f"http://127.0.0.1:{puerto}/-/metadata.json")["databases"]["clase"]
    assert {q["title"] for q in metadatos["queries"].values()} == {"¿Quién debe actuar?", "Plazos de hoy"}

    # Nothing was written by the tablero: the file passes verificar from another process.
    otra_terminal(db, "verificar")

    proceso.send_signal(signal.SIGINT)
    salida, errores = proceso.communicate(timeout=ESPERA_MAXIMA)
    assert proceso.returncode == 0, errores
    assert errores.strip().endswith("Tablero cerrado."), errores
    assert "Traceback" not in errores


def test_headless_chromium_draws_the_canned_query_in_spanish(servidor, tmp_path):
    chromium = _chromium()
    db, _, base, proceso = servidor
    otra_terminal(db, "disputa", "abrir", "1", "--como", "ana", "--tipo", "actualizacion", "--no-interactivo")
    url = base + "/quien_debe_actuar"
    argumentos = [chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'perfil'}"]
    entorno = dict(os.environ, HOME=str(tmp_path))
    dom = subprocess.run(
        [*argumentos, "--dump-dom", url], env=entorno, capture_output=True, text=True, timeout=180, check=True
    ).stdout
    assert "¿Quién debe actuar?" in dom
    assert "Quién debe actuar" in dom and ">beto<" in dom
    captura = tmp_path / "tablero.png"
    subprocess.run(
        [*argumentos, f"--screenshot={captura}", "--window-size=1100,700", url],
        env=entorno,
        capture_output=True,
        timeout=180,
        check=True,
    )
    assert captura.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert proceso.poll() is None
