"""`resolucion verificar` finds every broken invariant, on generated and demo databases, and never writes."""

import hashlib
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from resolucion_cli.reglas import PLAZOS
from resolucion_cli.reloj import iso
from tests.conftest import T0_ISO, Cli
from tests.fiabilidad import _checkpoint, _consulta, _copiar, _desde_iso, _ejecutar

# --- 3. verificar ----------------------------------------------------------------------


def _huella(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def _generada(tmp_path_factory, politica: str) -> Path:
    """A small generated marketplace with orders and requests in every state, under `politica`."""
    db = tmp_path_factory.mktemp("generada") / "generada.db"
    for args in (
        ("init", "--reloj", T0_ISO, "--politica", politica, "--json"),
        ("generar", "--pedidos", "400", "--semilla", "7", "--json"),
    ):
        r = _ejecutar(db, *args)
        assert r.returncode == 0, r.stderr
    _checkpoint(db)
    return db


@pytest.fixture(scope="module")
def base_generada(tmp_path_factory):
    return _generada(tmp_path_factory, "clasica")


@pytest.fixture(scope="module")
def base_generada_automatica(tmp_path_factory):
    """Partial refunds, late cancellations and orders that completed by themselves included."""
    return _generada(tmp_path_factory, "aceptacion-automatica")


@pytest.fixture(scope="module")
def base_demo(tmp_path_factory):
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    r = _ejecutar(db, "demo")
    assert r.returncode == 0, r.stderr
    _checkpoint(db)
    return db


@pytest.mark.parametrize("base", ["base_demo", "base_generada", "base_generada_automatica"])
def test_a_sound_database_verifies_ok_with_no_problems(request, base, tmp_path):
    db = _copiar(request.getfixturevalue(base), tmp_path / "sana.db")
    antes = _huella(db)

    r = Cli(db).run("verificar", "--json")

    assert r.code == 0, r
    assert r.data == {"ok": True, "problemas": []}
    assert r.err == ""
    assert _huella(db) == antes


def _uno(conexion, sql: str, parametros=()):
    fila = conexion.execute(sql, parametros).fetchone()
    assert fila is not None, sql
    return fila


def _en_controversia_sin_abierta(c):
    pedido, disputa = _uno(c, "SELECT pedido, id FROM disputas WHERE estado = 'abierta' LIMIT 1")
    c.execute(
        "UPDATE disputas SET estado = 'revocada', resuelta_en = creada_en, resuelta_por = abierta_por WHERE id = ?",
        [disputa],
    )
    return rf"El pedido #{pedido}\b.*en controversia.*0 solicitudes abiertas"


def _abierta_pasado_el_reloj(c):
    (disputa, tipo) = _uno(c, "SELECT id, tipo FROM disputas WHERE estado = 'abierta' LIMIT 1")
    ((reloj,),) = c.execute("SELECT ahora FROM reloj").fetchall()
    vence = _desde_iso(reloj) - timedelta(seconds=1)
    c.execute(
        "UPDATE disputas SET vence_en = ?, creada_en = ? WHERE id = ?",
        [iso(vence), iso(vence - PLAZOS[tipo]), disputa],
    )
    return rf"La solicitud #{disputa}\b sigue abierta aunque su plazo venció"


def _cerrada_sin_resuelta_en(c):
    (disputa,) = _uno(c, "SELECT id FROM disputas WHERE estado = 'aceptada' LIMIT 1")
    c.execute("UPDATE disputas SET resuelta_en = NULL WHERE id = ?", [disputa])
    return rf"La solicitud #{disputa}\b está «aceptada» pero le falta cuándo o quién la cerró"


def _resuelta_despues_del_reloj(c):
    (disputa,) = _uno(c, "SELECT id FROM disputas WHERE estado = 'aceptada' LIMIT 1")
    ((reloj,),) = c.execute("SELECT ahora FROM reloj").fetchall()
    c.execute(
        "UPDATE disputas SET resuelta_en = ? WHERE id = ?", [iso(_desde_iso(reloj) + timedelta(hours=1)), disputa]
    )
    return rf"La solicitud #{disputa}\b se cerró .* fuera de su intervalo"


def _activo_sin_disputas(c) -> int:
    (pedido,) = _uno(
        c,
        "SELECT id FROM pedidos p WHERE estado = 'activo' AND NOT EXISTS "
        "(SELECT 1 FROM disputas d WHERE d.pedido = p.id) LIMIT 1",
    )
    return pedido


def _cancelado_sin_cancelacion(c):
    pedido = _activo_sin_disputas(c)
    c.execute("UPDATE pedidos SET estado = 'cancelado' WHERE id = ?", [pedido])
    return rf"El pedido #{pedido}\b está cancelado pero ni una solicitud de cancelación .* ni el cliente"


def _evento_anterior_al_previo(c):
    (pedido,) = _uno(c, "SELECT pedido FROM eventos GROUP BY pedido HAVING count(*) >= 2 LIMIT 1")
    (ultimo,) = _uno(c, "SELECT max(id) FROM eventos WHERE pedido = ?", [pedido])
    c.execute("UPDATE eventos SET en = '2001-01-01T00:00:00Z' WHERE id = ?", [ultimo])
    return rf"El evento #{ultimo}\b del pedido #{pedido}\b .* es anterior al evento que lo precede"


def _precio_negativo(c):
    pedido = _activo_sin_disputas(c)
    c.execute("UPDATE pedidos SET precio_centavos = -500 WHERE id = ?", [pedido])
    return rf"El pedido #{pedido}\b tiene un precio no válido \(-500\)"


def _fecha_de_entrega_mal_formada(c):
    pedido = _activo_sin_disputas(c)
    c.execute("UPDATE pedidos SET fecha_entrega = '2026-13-45' WHERE id = ?", [pedido])
    return rf"El pedido #{pedido}\b tiene una fecha mal formada: 2026-13-45"


def _vencimiento_mal_formado(c):
    (disputa,) = _uno(c, "SELECT id FROM disputas WHERE estado = 'abierta' LIMIT 1")
    c.execute("UPDATE disputas SET vence_en = '2026-13-45T09:00:00Z' WHERE id = ?", [disputa])
    return rf"La solicitud #{disputa}\b tiene una fecha mal formada"


def _fecha_que_no_existe(c):
    # Well shaped, but 30 February: every command that reads this order would fail on it.
    pedido = _activo_sin_disputas(c)
    c.execute("UPDATE pedidos SET fecha_entrega = '2026-02-30T09:00:00Z' WHERE id = ?", [pedido])
    return rf"El pedido #{pedido}\b tiene una fecha mal formada"


def _abierta_en_pedido_activo(c):
    pedido, disputa = _uno(c, "SELECT pedido, id FROM disputas WHERE estado = 'abierta' LIMIT 1")
    c.execute("UPDATE pedidos SET estado = 'activo', estado_anterior = NULL WHERE id = ?", [pedido])
    return rf"El pedido #{pedido}\b está «activo» pero tiene una solicitud abierta \(#{disputa}\)"


def _destinatario_ajeno(c):
    disputa, cliente, freelancer = _uno(
        c,
        "SELECT d.id, p.cliente, p.freelancer FROM disputas d JOIN pedidos p ON p.id = d.pedido "
        "WHERE d.estado = 'abierta' LIMIT 1",
    )
    (ajeno,) = _uno(
        c, "SELECT usuario FROM usuarios WHERE usuario NOT IN (?, ?, 'sistema') LIMIT 1", [cliente, freelancer]
    )
    c.execute("UPDATE disputas SET destinatario = ? WHERE id = ?", [ajeno, disputa])
    return rf"La solicitud #{disputa}\b no la abrió una parte de su pedido .* o no va a la otra parte"


CORRUPCIONES = {
    "pedido en controversia sin solicitud abierta": _en_controversia_sin_abierta,
    "solicitud abierta pasado el reloj": _abierta_pasado_el_reloj,
    "solicitud cerrada sin resuelta_en": _cerrada_sin_resuelta_en,
    "resuelta_en después del reloj": _resuelta_despues_del_reloj,
    "pedido cancelado sin cancelación": _cancelado_sin_cancelacion,
    "evento anterior al previo": _evento_anterior_al_previo,
    "precio negativo": _precio_negativo,
    "fecha de entrega 2026-13-45": _fecha_de_entrega_mal_formada,
    "vencimiento 2026-13-45": _vencimiento_mal_formado,
    "fecha 30 de febrero": _fecha_que_no_existe,
    "solicitud abierta en pedido activo": _abierta_en_pedido_activo,
    "destinatario que no es la otra parte": _destinatario_ajeno,
}


@pytest.mark.parametrize("caso", list(CORRUPCIONES))
def test_verificar_names_each_broken_invariant_and_leaves_the_file_untouched(base_generada, tmp_path, caso):
    db = _copiar(base_generada, tmp_path / "rota.db")
    conexion = sqlite3.connect(db)
    try:
        patron = CORRUPCIONES[caso](conexion)
        conexion.commit()
        conexion.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conexion.close()
    antes = _huella(db)

    r = Cli(db).run("verificar", "--json")

    assert r.code == 1, r
    assert r.err == ""
    assert r.data["ok"] is False
    assert any(re.search(patron, problema) for problema in r.data["problemas"]), (patron, r.data["problemas"])
    assert _huella(db) == antes
    wal = Path(f"{db}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_verificar_lists_problems_in_human_form_too_and_exits_1(base_generada, tmp_path):
    db = _copiar(base_generada, tmp_path / "rota.db")
    conexion = sqlite3.connect(db)
    try:
        patron = _precio_negativo(conexion)
        conexion.commit()
    finally:
        conexion.close()

    r = Cli(db).run("verificar")

    assert r.code == 1, r
    assert "tiene un problema:" in r.out
    assert re.search(patron, r.out), r.out


def test_verificar_on_a_file_that_is_not_sqlite_exits_5_and_leaves_it_untouched(tmp_path):
    db = tmp_path / "notas.db"
    db.write_text("Esto no es una base de datos, son mis notas.\n" * 50)
    antes = _huella(db)

    r = Cli(db).run("verificar", "--json")

    assert r.code == 5, r
    assert r.out == ""
    assert r.error["codigo"] == 5
    assert "no es una base de datos SQLite" in r.error["mensaje"]
    assert _huella(db) == antes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notas.db"]


def test_verificar_does_not_fire_a_deadline_that_is_due(cli):
    """`verificar` never writes: a request past the clock is reported, not expired."""
    pedido = cli.pedido()
    disputa = cli.abrir(pedido["id"], "ana", "actualizacion")
    conexion = sqlite3.connect(cli.db)
    try:
        vence = datetime.fromisoformat(disputa["vence_en"].replace("Z", "+00:00"))
        conexion.execute("UPDATE reloj SET ahora = ?", [iso(vence.astimezone(UTC))])
        conexion.commit()
    finally:
        conexion.close()

    r = cli.run("verificar", "--json")

    assert r.code == 1, r
    assert any(f"#{disputa['id']} sigue abierta" in p for p in r.data["problemas"])
    assert _consulta(cli.db, "SELECT estado FROM disputas WHERE id = ?", (disputa["id"],)) == [("abierta",)]
