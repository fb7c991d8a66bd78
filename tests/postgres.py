"""A throw-away PostgreSQL cluster for the tests: `initdb` into a temporary folder, the server on a
Unix socket in that folder (no TCP port), stopped and removed at the end of the session.

Skipped, with the reason, only where PostgreSQL is not installed; `.ci/run` installs it so CI
never skips. As root (a container) the server runs as the `postgres` user: initdb refuses root.
"""

import glob
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import T0_ISO, Cli

# Test databases are created from template0 and dropped with the cluster; fsync off: nothing
# here must survive a crash of the machine.
OPCIONES = (
    "-c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
)


def binarios() -> Path | None:
    """The folder of initdb/pg_ctl: on PATH, else where Debian and Ubuntu put it (newest first)."""
    en_path = shutil.which("initdb")
    if en_path:
        return Path(en_path).parent
    carpetas = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda r: int(r.split("/")[4]), reverse=True)
    return Path(carpetas[0]).parent if carpetas else None


class Cluster:
    """One server for the whole session; each test gets databases of its own."""

    def __init__(self, bin_: Path):
        self.bin = bin_
        self.carpeta = Path(tempfile.mkdtemp(prefix="resolucion-pg-"))
        self.datos = self.carpeta / "datos"
        self.usuario = None
        if os.geteuid() == 0:
            self.usuario = "postgres"
            shutil.chown(self.carpeta, self.usuario)
        self.carpeta.chmod(0o755)
        self._numeros = itertools.count(1)
        self._admin = None

    def _como_dueno(self, *orden: str) -> None:
        prefijo = ["runuser", "-u", self.usuario, "--"] if self.usuario else []
        subprocess.run([*prefijo, *orden], check=True, capture_output=True, cwd=self.carpeta)

    def arrancar(self) -> None:
        self._como_dueno(
            str(self.bin / "initdb"), "-D", str(self.datos), "-A", "trust", "-U", "postgres", "-E", "UTF8",
            "--locale", "C", "--no-sync",
        )  # fmt: skip
        self._como_dueno(
            str(self.bin / "pg_ctl"), "-D", str(self.datos), "-l", str(self.carpeta / "registro"), "-w",
            "-o", f"{OPCIONES} -k {self.carpeta}", "start",
        )  # fmt: skip

    def parar(self) -> None:
        if self._admin is not None:
            self._admin.close()
        try:
            self._como_dueno(str(self.bin / "pg_ctl"), "-D", str(self.datos), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.carpeta, ignore_errors=True)

    def url(self, nombre: str) -> str:
        return f"postgresql://postgres@/{nombre}?host={self.carpeta}"

    def admin(self):
        import psycopg

        if self._admin is None or self._admin.closed:
            self._admin = psycopg.connect(self.url("postgres"), autocommit=True)
        return self._admin

    def nueva_base(self, plantilla: str = "template0") -> str:
        """A new, empty database (or a copy of `plantilla`'s URL); its URL."""
        nombre = f"t{next(self._numeros)}"
        origen = urlsplit(plantilla).path.lstrip("/") or plantilla
        self.admin().execute(f"CREATE DATABASE {nombre} TEMPLATE {origen}")
        return self.url(nombre)

    def sql(self, url: str, consulta: str, parametros=()) -> list[tuple]:
        """Run one statement on a test database, as another client would."""
        import psycopg

        with psycopg.connect(url, autocommit=True) as conexion:
            cursor = conexion.execute(consulta, parametros or None)
            return cursor.fetchall() if cursor.description else []


_cluster: Cluster | None = None


def cluster() -> Cluster:
    """The session's cluster, started on first use (so a run without PostgreSQL tests starts none)."""
    global _cluster
    if _cluster is None:
        bin_ = binarios()
        if bin_ is None:
            pytest.skip("PostgreSQL no está instalado (no hay initdb): apt-get install postgresql")
        pytest.importorskip("psycopg", reason="falta psycopg: pip install 'resolucion[postgres]'")
        _cluster = Cluster(bin_)
        _cluster.arrancar()
    return _cluster


def parar() -> None:
    global _cluster, _iniciada
    if _cluster is not None:
        _cluster.parar()
        _cluster = None
        _iniciada = None


_iniciada: str | None = None


def cli_nueva(iniciar: bool = True) -> Cli:
    """The CLI on a new PostgreSQL database, by default as `init --reloj T0` leaves it: a copy of
    one database made so once (a copy takes a fraction of what an init takes)."""
    global _iniciada
    servidor = cluster()
    if not iniciar:
        return Cli(servidor.nueva_base())
    if _iniciada is None:
        _iniciada = servidor.nueva_base()
        Cli(_iniciada).ok("init", "--reloj", T0_ISO)
    return Cli(servidor.nueva_base(_iniciada))


def main(orden: list[str]) -> int:
    """`python -m tests.postgres ORDEN…`: run ORDEN with a throw-away cluster, whose `postgres`
    database is in RESOLUCION_ACCEPTANCE_PG (where ../shared/acceptance creates one database per
    test) and whose psql is on PATH. CI runs the black-box checks on PostgreSQL this way."""
    bin_ = binarios()
    if bin_ is None:
        print("PostgreSQL no está instalado (no hay initdb): apt-get install postgresql", file=sys.stderr)
        return 1
    servidor = Cluster(bin_)
    servidor.arrancar()
    try:
        entorno = dict(os.environ, RESOLUCION_ACCEPTANCE_PG=servidor.url("postgres"))
        entorno["PATH"] = f"{bin_}{os.pathsep}{entorno.get('PATH', '')}"
        return subprocess.run(orden, env=entorno).returncode
    finally:
        servidor.parar()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
