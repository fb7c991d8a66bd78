"""The store on a PostgreSQL server: the SQL of `almacen`, spoken to PostgreSQL.

A class on many laptops cannot share one SQLite file (its WAL needs every process on one host),
so `--db postgresql://USUARIO@SERVIDOR/BASE` puts the same tables on a server. Nothing above the
store changes: `AlmacenPostgres` is the `Almacen` of SQLite with a connection that takes the
same SQL, and where the two dialects differ the difference is told here, once:

- the schema is SQLite's own: the migrations of `almacen` run on a scratch SQLite database in
  memory, and the statements they run (traced) are replayed here, with PostgreSQL's types. So
  a new migration in `almacen` reaches PostgreSQL with nothing to write twice, and the two
  backends have the same tables, columns, indexes and views (a test compares them);
- `BEGIN IMMEDIATE` (one writer at a time) becomes a transaction-level advisory lock taken
  before anything is read, waiting at most `ESPERA_SEGUNDOS` (`lock_timeout`): the second of
  two terminals waits, then reads what the first committed, as on SQLite. Chosen over
  SERIALIZABLE with retries because a retry would have to run the whole command again, prompts
  and output included, and a class's writes are tiny: one at a time costs nothing;
- `PRAGMA user_version` is the one row of the table `esquema`;
- `PRAGMA data_version` (the live screens) is a count of the `NOTIFY` other connections send
  when they commit a write;
- SQLite's few functions the queries use (`typeof`, `json_valid`, `json_extract`, a date's
  round trip through `julianday`) are small SQL functions created with the schema, and the few
  spellings PostgreSQL does not take are rewritten once per statement (`_traducir`).

The driver (psycopg 3) is an optional extra, imported only when a URL is given.
"""

import re
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from functools import cache, lru_cache

from .almacen import ESPERA_SEGUNDOS, ESQUEMA, MIGRACIONES, Almacen, a_fila, frase_de_bloqueo
from .errores import BaseInutilizable
from .reloj import iso

INSTALAR = "pip install 'resolucion[postgres]'"
# The advisory lock every writer takes: one number for the whole database ("resoluci" in ASCII).
CERROJO = 0x7265736F6C756369
CANAL = "resolucion"


def sin_clave(url: str) -> str:
    """The URL as it may be shown: a password in it is never printed."""
    return re.sub(r"^(\w+://[^:@/]*):[^@/]*@", r"\1@", str(url))


def _psycopg():
    try:
        import psycopg
    except ImportError:
        raise BaseInutilizable(
            "Para usar una base PostgreSQL hace falta el controlador psycopg, que no está instalado: "
            f"instálalo con «{INSTALAR}»."
        ) from None
    return psycopg


# --- the schema, from SQLite's migrations ------------------------------------------------

# SQLite's functions and spellings the queries of `almacen` use, as PostgreSQL functions.
FUNCIONES = (
    # `typeof` as SQLite names a value's storage class (an INTEGER column here holds only integers).
    "CREATE OR REPLACE FUNCTION typeof(v anyelement) RETURNS text LANGUAGE sql IMMUTABLE AS $$ "
    "SELECT CASE WHEN v IS NULL THEN 'null' "
    "WHEN pg_typeof(v) IN ('bigint'::regtype, 'integer'::regtype, 'smallint'::regtype) THEN 'integer' "
    "WHEN pg_typeof(v) IN ('real'::regtype, 'double precision'::regtype, 'numeric'::regtype) THEN 'real' "
    "ELSE 'text' END $$",
    "CREATE OR REPLACE FUNCTION json_valid(t text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$ "
    "BEGIN PERFORM t::json; RETURN t IS NOT NULL; EXCEPTION WHEN others THEN RETURN false; END $$",
    "CREATE OR REPLACE FUNCTION json_type(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$ "
    "BEGIN RETURN json_typeof(t::json); EXCEPTION WHEN others THEN RETURN NULL; END $$",
    # Only the `$.clave` paths the views use.
    "CREATE OR REPLACE FUNCTION json_extract(t text, camino text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$ "
    "BEGIN RETURN t::json #>> string_to_array(substr(camino, 3), '.'); "
    "EXCEPTION WHEN others THEN RETURN NULL; END $$",
    # What `almacen._fecha_bien` asks SQLite: a real instant written `YYYY-MM-DDTHH:MM:SSZ`.
    # Without an exception handler (a subtransaction per call), so a tick can ask it per row.
    "CREATE OR REPLACE FUNCTION fecha_bien(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ "
    "SELECT CASE WHEN t IS NULL "
    "OR t !~ '^[0-9]{4}-(0[1-9]|1[0-2])-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$' "
    "OR substr(t, 1, 4) = '0000' THEN false "
    "ELSE substr(t, 9, 2)::int BETWEEN 1 AND extract(day FROM make_date(substr(t, 1, 4)::int, "
    "substr(t, 6, 2)::int, 1) + interval '1 month' - interval '1 day')::int END $$",
)
# The table that holds the schema version (SQLite keeps it in `PRAGMA user_version`).
ESQUEMA_TABLA = "esquema"


def _id_automatico(tabla: str) -> list[str]:
    """SQLite gives a row inserted without id the largest id plus one; so does this trigger. Safe
    because every writer holds the advisory lock; ids stay dense and equal to SQLite's."""
    funcion = f"{tabla}_id_siguiente"
    return [
        f"CREATE OR REPLACE FUNCTION {funcion}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF NEW.id IS NULL THEN NEW.id := (SELECT coalesce(max(id), 0) + 1 FROM {tabla}); END IF; "
        "RETURN NEW; END $$",
        f"CREATE TRIGGER {funcion} BEFORE INSERT ON {tabla} FOR EACH ROW EXECUTE FUNCTION {funcion}()",
    ]


def _ddl(sentencia: str) -> list[str]:
    """One statement a SQLite migration ran, as PostgreSQL runs it."""
    sql = re.sub(r"\[(\w+)\]", r'"\1"', sentencia.strip().rstrip(";"))
    if re.match(r"(?i)CREATE TABLE|ALTER TABLE", sql):
        sql = re.sub(r"\bINTEGER\b", "BIGINT", sql)
        sql = re.sub(r"\bFLOAT\b", "DOUBLE PRECISION", sql)
    traducidas = [sql]  # translated, as every statement, when run
    tabla = re.match(r'(?i)CREATE TABLE (?:IF NOT EXISTS )?"?(\w+)"?\s*\(\s*"?id"? BIGINT PRIMARY KEY', sql)
    if tabla:
        traducidas += _id_automatico(tabla.group(1))
    return traducidas


@cache
def migracion(desde: int, hasta: int) -> tuple[str, ...]:
    """The PostgreSQL statements that take a schema from version `desde` to `hasta`: the
    migrations of `almacen`, run on a scratch SQLite database, as they reach SQLite."""
    import sqlite_utils

    memoria = sqlite3.connect(":memory:", isolation_level=None)
    try:
        db = sqlite_utils.Database(memoria)
        for paso in MIGRACIONES[:desde]:
            paso(db)
        trazadas: list[str] = []
        memoria.set_trace_callback(trazadas.append)
        for paso in MIGRACIONES[desde:hasta]:
            paso(db)
    finally:
        memoria.close()
    cambios = (s for s in trazadas if re.match(r"(?i)\s*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE)\b", s))
    return tuple(traducida for s in cambios for traducida in _ddl(s))


# --- SQLite's spellings, as PostgreSQL takes them ---------------------------------------

_FECHA_BIEN = re.compile(r"coalesce\(strftime\('%Y-%m-%dT%H:%M:%SZ', julianday\(([\w.]+)\)\) = \1, 0\)")
# A column alias used in WHERE (SQLite allows it): `SELECT …, (…) AS n FROM … AND n != 1`.
_ALIAS_EN_WHERE = re.compile(r"^(SELECT .* AS (\w+) FROM .*?) AND (\2 .*)$", re.S)
_PRAGMAS = {
    # PostgreSQL checks every page it reads and every foreign key on every write, and has no
    # SQL-level equivalent of these two checks: `verificar` runs its own invariants.
    "PRAGMA integrity_check": "SELECT 'ok'",
    "PRAGMA foreign_key_check": "SELECT 1 WHERE false",
    # The fast path's "do not wait for the write lock": reads never wait for writers here, and a
    # tick it answers hands over at once when the lock is taken, so that the wait is one.
    "PRAGMA busy_timeout = 0": "SET lock_timeout = 1",
    # `Almacen.sin_comprobar_claves` (a tick): PostgreSQL keeps checking; only a superuser could stop it.
    "PRAGMA foreign_keys = OFF": None,
    "PRAGMA foreign_keys = ON": None,
}


def _alias_de_subconsultas(sql: str) -> str:
    """PostgreSQL 15 wants a name for every subquery in FROM; SQLite does not."""
    partes, inicio = [], 0
    for encontrado in re.finditer(r"\bFROM \(", sql):
        nivel, i = 0, encontrado.end() - 1
        while i < len(sql):
            nivel += {"(": 1, ")": -1}.get(sql[i], 0)
            if nivel == 0:
                break
            i += 1
        resto = sql[i + 1 :]
        if not re.match(r"\s*(AS\b|(?!WHERE|ORDER|GROUP|LIMIT|UNION|JOIN)\w)", resto):
            partes.append(sql[inicio : i + 1] + f" AS sub{len(partes)}")
            inicio = i + 1
    return "".join(partes) + sql[inicio:]


@lru_cache(maxsize=512)
def _traducir(sql: str) -> str:
    """A statement of `almacen`, as PostgreSQL takes it (worked out once per statement)."""
    sql = _FECHA_BIEN.sub(r"fecha_bien(\1)", sql)
    # `+columna` keeps SQLite off an index; PostgreSQL has no unary plus on text.
    sql = re.sub(r"(?<=[\s(])\+(?=[a-z_])", "", sql)
    sql = re.sub(r"\bIS NOT (?!NULL\b)", "IS DISTINCT FROM ", sql)
    ignorar = re.match(r"^INSERT OR IGNORE INTO (.*)$", sql, re.S)
    if ignorar:
        sql = f"INSERT INTO {ignorar.group(1)} ON CONFLICT DO NOTHING"
    alias = _ALIAS_EN_WHERE.match(sql)
    if alias and not sql.startswith("SELECT * FROM ("):
        sql = f"SELECT * FROM ({alias.group(1)}) AS filas WHERE {alias.group(3)}"
    sql = _alias_de_subconsultas(sql)
    # Placeholders last: `%` is psycopg's, `?` and `:nombre` SQLite's.
    sql = sql.replace("%", "%%")
    sql = re.sub(r"\?", "%s", sql)
    return re.sub(r"(?<![:\w]):([a-z_]+)\b", r"%(\1)s", sql)


class Fila(tuple):
    """A row read by name or position, like `sqlite3.Row`."""

    __slots__ = ()
    _posiciones: dict = {}
    _claves: tuple = ()

    def keys(self) -> tuple:
        return self._claves

    def __getitem__(self, clave):
        if isinstance(clave, str):
            return tuple.__getitem__(self, self._posiciones[clave])
        return tuple.__getitem__(self, clave)


@lru_cache(maxsize=256)
def _clase_de_fila(claves: tuple) -> type:
    posiciones = {c: i for i, c in enumerate(claves)}
    return type("Fila", (Fila,), {"__slots__": (), "_claves": claves, "_posiciones": posiciones})


def _filas(cursor):
    if cursor.description is None:
        return tuple
    clase = _clase_de_fila(tuple(c.name for c in cursor.description))
    return clase


class _Cursor:
    """The part of a `sqlite3.Cursor` the store uses."""

    def __init__(self, cursor):
        self._cursor = cursor
        self.row_factory = None  # set by `almacen.vencidas`; rows here serve both ways

    def execute(self, sql: str, parametros=()) -> "_Cursor":
        # Always with parameters, even none: psycopg then reads `%%` as the `%` it stands for.
        self._cursor.execute(_traducir(sql), parametros or ())
        return self

    def fetchone(self):
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list:
        return self._cursor.fetchall() if self._cursor.description else []

    def fetchmany(self, cuantas: int) -> list:
        return self._cursor.fetchmany(cuantas) if self._cursor.description else []

    def __iter__(self) -> Iterator:
        return iter(self.fetchall())


class Conexion:
    """A psycopg connection that takes the SQL `almacen` writes for SQLite, with SQLite's
    transaction statements: `BEGIN IMMEDIATE` takes the writers' advisory lock, and the COMMIT
    of a write tells the listening screens (`NOTIFY`)."""

    def __init__(self, conexion, nombre: str):
        self._pg = conexion
        self.nombre = nombre
        self._escribe = False
        self._avisos = 0
        self._escuchando = False
        self.row_factory = None

    def cursor(self) -> _Cursor:
        return _Cursor(self._pg.cursor(row_factory=_filas))

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._pg.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, parametros=()) -> _Cursor:
        with self._errores():
            orden = sql.strip()
            if orden in _PRAGMAS:
                return self.cursor().execute(_PRAGMAS[orden] or "SELECT 1 WHERE false")
            if orden == "BEGIN IMMEDIATE":
                self._pg.execute("BEGIN")
                try:
                    self._pg.execute("SELECT pg_advisory_xact_lock(%s)", [CERROJO])
                except BaseException:
                    self._pg.rollback()
                    raise
                self._escribe = True
                return self.cursor()
            if orden == "BEGIN":  # `Almacen.lectura`: one snapshot for the whole read, as on SQLite
                return self.cursor().execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
            if orden == "COMMIT" and self._escribe:
                self._pg.execute("SELECT pg_notify(%s, '')", [CANAL])
            if orden in ("COMMIT", "ROLLBACK"):
                self._escribe = False
            return self.cursor().execute(sql, parametros)

    def executemany(self, sql: str, filas) -> None:
        with self._errores():
            with self._pg.cursor() as cursor:
                cursor.executemany(_traducir(sql), list(filas))

    def copiar(self, tabla: str, columnas: tuple[str, ...], filas) -> None:
        """Rows into a table through COPY: the bulk load of `generar`."""
        with self._errores():
            with self._pg.cursor() as cursor:
                with cursor.copy(f"COPY {tabla} ({', '.join(columnas)}) FROM STDIN") as copia:
                    for fila in filas:
                        copia.write_row(fila)

    def avisos(self) -> int:
        """How many writes other connections committed since we started listening."""
        with self._errores():
            if not self._escuchando:
                propio = self._pg.info.backend_pid
                self._pg.add_notify_handler(lambda aviso: self._contar(aviso, propio))
                self._pg.execute(f"LISTEN {CANAL}")
                self._escuchando = True
            else:
                self._pg.execute("SELECT 1")  # delivers what arrived meanwhile to the handler
        return self._avisos

    def _contar(self, aviso, propio: int) -> None:
        if aviso.pid != propio:
            self._avisos += 1

    def close(self) -> None:
        self._pg.close()

    def _errores(self):
        return _errores_de(self.nombre)


class _errores_de:
    """What the server says in the words of SPEC §7: a lock waited for too long and a lost
    connection leave the database unusable for this command (exit 5)."""

    def __init__(self, nombre: str):
        self.nombre = nombre

    def __enter__(self):
        return self

    def __exit__(self, tipo, error, _traza):
        if error is None:
            return False
        import psycopg

        if isinstance(error, psycopg.errors.LockNotAvailable):
            raise bloqueada(self.nombre) from None
        if isinstance(error, psycopg.errors.InsufficientPrivilege):
            raise BaseInutilizable(
                f"El servidor no deja hacer esto en «{self.nombre}» ({_primera_linea(error)}): "
                "pide permiso a quien administra la base o usa otra con --db."
            ) from None
        if isinstance(error, psycopg.OperationalError) and not isinstance(error, psycopg.errors.QueryCanceled):
            raise BaseInutilizable(
                f"Se perdió la conexión con la base PostgreSQL «{self.nombre}» ({_primera_linea(error)}): "
                "comprueba que el servidor sigue en marcha y vuelve a intentarlo."
            ) from None
        return False


def _primera_linea(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class Bloqueada(BaseInutilizable):
    """The writers' lock stayed taken past the wait: a live screen tries again, a command ends (exit 5)."""

    bloqueo = True


def bloqueada(nombre: str) -> Bloqueada:
    return Bloqueada(frase_de_bloqueo(nombre))


def conectar(url: str):
    """A connection in autocommit (transactions are begun and ended by the store, as on SQLite),
    with the writers' wait of SQLite's busy timeout."""
    psycopg = _psycopg()
    nombre = sin_clave(url)
    try:
        conexion = psycopg.connect(url, autocommit=True, connect_timeout=int(ESPERA_SEGUNDOS) + 5)
    except psycopg.OperationalError as error:
        detalle = _primera_linea(error)
        if "does not exist" in detalle and "database" in detalle:
            raise BaseInutilizable(
                f"No existe la base de datos «{nombre}» en el servidor PostgreSQL: créala antes "
                "(«createdb NOMBRE») y después «resolucion init --db URL»."
            ) from None
        raise BaseInutilizable(
            f"No se puede conectar con la base PostgreSQL «{nombre}» ({detalle}): comprueba la "
            "dirección, el usuario y que el servidor está en marcha."
        ) from None
    except psycopg.ProgrammingError as error:
        raise BaseInutilizable(f"«{nombre}» no es una dirección PostgreSQL válida ({_primera_linea(error)}).") from None
    conexion.execute(f"SET lock_timeout = '{int(ESPERA_SEGUNDOS * 1000)}ms'")
    # Numbers as SQLite gives them: a sum of integers is an integer, not a Decimal.
    conexion.adapters.register_loader("numeric", _cargador_numerico(psycopg))
    return Conexion(conexion, nombre)


def tiene_tablas(url: str) -> bool:
    """Whether the database holds any table (`demo` and `guion` want an empty one)."""
    conexion = conectar(url)
    try:
        return (
            conexion.execute("SELECT 1 FROM pg_tables WHERE schemaname = current_schema() LIMIT 1").fetchone()
            is not None
        )
    finally:
        conexion.close()


def _cargador_numerico(psycopg):
    from psycopg.types.numeric import NumericLoader

    class Entero(NumericLoader):
        def load(self, datos):
            valor = super().load(datos)
            return int(valor) if valor == valor.to_integral_value() else float(valor)

    return Entero


def abrir(url: str, reloj_inicial: datetime, modo_inicial, crear: bool) -> "AlmacenPostgres":
    """`Almacen.abrir` for a URL: the store on the server's database."""
    conexion = conectar(url)
    almacen = AlmacenPostgres(sin_clave(url), conexion)
    try:
        almacen._preparar_servidor(reloj_inicial, modo_inicial, crear)
    except BaseException:
        conexion.close()
        raise
    return almacen


class AlmacenPostgres(Almacen):
    """The store on a PostgreSQL database: `Almacen` with what SQLite answers by PRAGMA or
    file asked of the server instead."""

    SERVIDOR = True
    MOTOR = "PostgreSQL"

    def version(self) -> int:
        if ESQUEMA_TABLA not in self._tablas_ajenas():
            return 0
        fila = self.conexion.execute(f"SELECT version FROM {ESQUEMA_TABLA}").fetchone()
        return fila[0] if fila else 0

    def version_datos(self) -> int:
        return self.conexion.avisos()

    def _tablas_ajenas(self) -> list[str]:
        return [
            fila[0]
            for fila in self.conexion.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            )
        ]

    def _preparar_servidor(self, reloj_inicial, modo_inicial, crear: bool) -> None:
        # One snapshot for the version and the tables: another laptop's `init` committing in
        # between would make a new database look like another application's.
        with self.lectura():
            version = self.version()
            self._comprobar_version(version)
        if version == 0 and not crear:
            raise BaseInutilizable(
                f"La base PostgreSQL «{self.ruta}» está vacía: crea en ella las tablas de resolucion con "
                f"«resolucion init --db {self.ruta}» (o indica otra con --db)."
            )
        self._al_dia(version, reloj_inicial, modo_inicial)
        self._comprobar_tablas()

    def _migrar(self, desde: int, reloj_inicial, modo_inicial) -> None:
        if desde == 0:
            for funcion in FUNCIONES:
                self.conexion.execute(funcion)
            self.conexion.execute(f"CREATE TABLE {ESQUEMA_TABLA} (version BIGINT NOT NULL)")
            self.conexion.execute(f"INSERT INTO {ESQUEMA_TABLA} (version) VALUES (0)")
        for sentencia in migracion(desde, ESQUEMA):
            self.conexion.execute(sentencia)
        if desde == 0:
            self.conexion.execute(
                "INSERT INTO reloj (id, ahora, modo) VALUES (1, ?, ?)", [iso(reloj_inicial), str(modo_inicial)]
            )
        self.conexion.execute(f"UPDATE {ESQUEMA_TABLA} SET version = ?", [ESQUEMA])

    def _insertar(self, tabla: str, objeto) -> int:
        sql = self._sql_insertar(tabla, type(objeto)) + " RETURNING id"
        return self.conexion.execute(sql, a_fila(objeto)).fetchone()[0]

    def insertar_filas(self, tabla: str, columnas: tuple[str, ...], filas: list[tuple]) -> None:
        if "id" not in columnas:
            # The ids SQLite would give, worked out once for the batch rather than per row by the trigger.
            primero = self.conexion.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {tabla}").fetchone()[0]
            columnas = ("id", *columnas)
            filas = [(primero + i, *fila) for i, fila in enumerate(filas)]
        self.conexion.copiar(tabla, columnas, filas)

    def vaciar_diario(self) -> None:
        # No WAL beside a file to fold back; what a bulk load leaves is a planner that knows
        # nothing of its rows (a million orders: verificar took over ten minutes, 36 s after this).
        self.conexion.execute("ANALYZE")

    def copiar_en(self, destino) -> None:
        raise solo_sqlite("instantáneas")

    def sustituir_por(self, origen) -> None:
        raise solo_sqlite("instantáneas")


def solo_sqlite(que: str) -> BaseInutilizable:
    """What only a SQLite file offers, refused on a server with what to use instead."""
    remedios = {
        "instantáneas": "en PostgreSQL, guarda una copia con «pg_dump -Fc URL > copia.dump» y "
        "restáurala con «pg_restore --clean -d URL copia.dump»",
        "el tablero": "en PostgreSQL, mira las vistas vista_plazos_pendientes, vista_solicitudes y "
        "vista_historial con «psql URL»",
    }
    return BaseInutilizable(
        f"Las {que} son solo para bases SQLite (un archivo): {remedios[que]}."
        if que == "instantáneas"
        else f"{que[0].upper()}{que[1:]} es solo para bases SQLite (un archivo): {remedios[que]}."
    )
