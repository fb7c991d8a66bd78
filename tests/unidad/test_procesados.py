"""What a tick fired is kept in memory while small and in a temporary file once large, and reads
back the same either way, as often as it is read."""

import subprocess
import sys

import pytest

from resolucion_cli.modelo import Resultado
from resolucion_cli.reloj import desde_iso
from resolucion_cli.vencimientos import Procesado, Procesados

LOTE = [
    (7, 3, "cancelacion", "2026-03-04T09:00:00Z", Resultado.PEDIDO_CANCELADO),
    (None, 4, "aceptar_entrega", "2026-03-04T09:00:01Z", Resultado.PEDIDO_COMPLETADO),
]


def _anotados(lotes: int, en_memoria: int, monkeypatch) -> Procesados:
    monkeypatch.setattr(Procesados, "EN_MEMORIA", en_memoria)
    procesados = Procesados()
    for _ in range(lotes):
        procesados.anotar(LOTE)
    return procesados


@pytest.mark.parametrize(
    "en_memoria", [1 << 20, 100, 0], ids=["en memoria", "pasa a archivo", "archivo desde el primero"]
)
def test_what_fired_reads_back_in_order_wherever_it_is_kept(en_memoria, monkeypatch):
    procesados = _anotados(3, en_memoria, monkeypatch)

    filas = [(d, p, t, v, str(r)) for d, p, t, v, r in LOTE] * 3
    assert len(procesados) == 6
    assert list(procesados.filas()) == filas
    assert list(procesados.filas()) == filas  # a second reading starts over
    assert list(procesados) == [Procesado(d, p, t, desde_iso(v), Resultado(r)) for d, p, t, v, r in filas]
    assert (procesados._archivo is None) == (en_memoria == 1 << 20)


def test_a_large_tick_does_not_keep_what_fired_in_memory(monkeypatch):
    procesados = _anotados(2000, 1 << 12, monkeypatch)

    assert procesados._trozos == [] and procesados._archivo is not None
    assert sum(1 for _ in procesados.filas()) == 4000


def test_nothing_fired_reads_as_nothing():
    procesados = Procesados()

    assert list(procesados.filas()) == [] and list(procesados) == [] and len(procesados) == 0


def test_a_small_tick_keeps_what_fired_without_importing_tempfile():
    """Importing `tempfile` alone cost a small tick a tenth of its start-up."""
    programa = (
        "import sys; from resolucion_cli.vencimientos import Procesados; p = Procesados(); "
        "p.anotar([(1, 2, 'cancelacion', '2026-03-04T09:00:00Z', 'pedido_cancelado')] * 1000); "
        "assert len(list(p.filas())) == 1000; print('tempfile' in sys.modules)"
    )
    salida = subprocess.run([sys.executable, "-c", programa], capture_output=True, text=True, check=True).stdout

    assert salida == "False\n"
