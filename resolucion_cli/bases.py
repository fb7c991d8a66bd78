"""Which store `--db` names: a file (SQLite, `almacen`) or a server (`postgres`).

`almacen` speaks SQLite and knows nothing of servers; `postgres` builds on it. The choice between
them is made here, above both, so that every import still points down.
"""

from datetime import datetime
from pathlib import Path

from .almacen import Almacen
from .reloj import ModoReloj

PREFIJOS = ("postgresql://", "postgres://")


def es_url(db: str | Path) -> bool:
    """Whether `--db` names a PostgreSQL database rather than a file."""
    return isinstance(db, str) and db.startswith(PREFIJOS)


def abrir(
    db: str | Path, reloj_inicial: datetime, modo_inicial: ModoReloj = ModoReloj.SIMULADO, crear: bool = True
) -> Almacen:
    """`Almacen.abrir` for a file, `postgres.abrir` for a URL (psycopg is imported only then)."""
    if es_url(db):
        from . import postgres

        return postgres.abrir(str(db), reloj_inicial, modo_inicial, crear)
    return Almacen.abrir(db, reloj_inicial, modo_inicial, crear)
