"""The clock: modes, parsing of dates and durations, and how times read in Spanish.

The current time of every rule is the database clock (SPEC §4). The only place that
reads the wall clock is `reloj_de_pared`, used for `init`'s default and the `real` mode.
"""

import re
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum

from .entrada import limpiar
from .errores import EntradaInvalida


class ModoReloj(StrEnum):
    SIMULADO = "simulado"
    REAL = "real"


# Far enough from datetime's limits that a deadline or an extension added to any
# accepted date never overflows.
MINIMO = datetime(1970, 1, 1, tzinfo=UTC)
MAXIMO = datetime(9000, 1, 1, tzinfo=UTC)
DURACION_MAXIMA = timedelta(days=3650)

_FECHA = re.compile(
    r"(?P<fecha>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<hora>\d{2}:\d{2}(?::\d{2})?))?"
    r"(?P<zona>Z|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE | re.ASCII,
)
_CORTA = re.compile(
    r"(?:(\d{1,9})w)?(?:(\d{1,9})d)?(?:(\d{1,9})h)?(?:(\d{1,9})m)?(?:(\d{1,9})s)?", re.IGNORECASE | re.ASCII
)
_ISO = re.compile(
    r"P(?:(\d{1,9})W)?(?:(\d{1,9})D)?(?:T(?:(\d{1,9})H)?(?:(\d{1,9})M)?(?:(\d{1,9})S)?)?", re.IGNORECASE | re.ASCII
)


def reloj_de_pared() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def ahora_efectivo(guardado: datetime, modo: ModoReloj) -> datetime:
    """`simulado` stands still; `real` never lags behind the wall clock nor goes back."""
    if modo == ModoReloj.REAL:
        return max(guardado, reloj_de_pared())
    return guardado


def zona(nombre: str | None) -> tzinfo:
    """The zone of `--tz` / RESOLUCION_TZ, or the system's local zone."""
    if not nombre or not nombre.strip():
        import pendulum

        return pendulum.local_timezone()
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(nombre.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise EntradaInvalida(
            f"Zona horaria desconocida: «{limpiar(nombre)}». Usa un nombre como UTC, Europe/Madrid o "
            "America/Mexico_City."
        ) from None


def parsear_fecha(texto: str, tz: tzinfo, opcion: str = "la fecha") -> datetime:
    """ISO 8601 date or date-time; without an offset it is read in `tz`; result in UTC."""
    import pendulum

    limpio = texto.strip()
    if not _FECHA.fullmatch(limpio):
        raise EntradaInvalida(
            f"No entiendo {opcion} «{limpiar(texto)}»: usa ISO 8601, por ejemplo 2026-12-01, "
            "2026-12-01T10:00 o 2026-12-01 10:00+01:00."
        )
    try:
        valor = pendulum.parse(limpio.replace(" ", "T"), tz=tz, strict=True)
    except ValueError:  # pendulum's ParserError, or a day that does not exist
        raise EntradaInvalida(f"{opcion.capitalize()} «{limpiar(texto)}» no existe en el calendario.") from None
    fuera = EntradaInvalida(f"{opcion.capitalize()} debe estar entre los años 1970 y 9000.")
    try:
        resultado = datetime.fromtimestamp(valor.timestamp(), UTC)
    except (ValueError, OverflowError, OSError):  # its offset takes it past year 1 or 9999
        raise fuera from None
    if not MINIMO <= resultado <= MAXIMO:
        raise fuera
    return resultado


def parsear_duracion(texto: str, opcion: str = "la duración") -> timedelta:
    """`90m`, `48h`, `2d`, `1w`, `1d12h` or ISO 8601 `P2DT3H`; positive, without months or years."""
    limpio = texto.strip().upper()
    if limpio.startswith("P") and re.search(r"\d+[YM]", limpio[1:].split("T")[0]):
        raise EntradaInvalida(
            f"{opcion.capitalize()} «{limpiar(texto)}» usa meses o años, que no tienen una duración fija: "
            "exprésala en semanas, días, horas o minutos (por ejemplo P30D)."
        )
    patron = _ISO if limpio.startswith("P") else _CORTA
    m = patron.fullmatch(limpio)
    # Every group is optional, so an empty match ("", "P", "PT", "P1DT") must be refused here.
    if not m or not any(m.groups()) or limpio.endswith("T"):
        raise EntradaInvalida(
            f"No entiendo {opcion} «{limpiar(texto)}»: usa por ejemplo 90m, 48h, 2d, 1w, 1d12h o P2DT3H."
        )
    partes = m.groups()
    semanas, dias, horas, minutos, segundos = (int(p or 0) for p in partes)
    if max(semanas, dias, horas, minutos, segundos) > 10**7:
        raise EntradaInvalida(f"{opcion.capitalize()} «{limpiar(texto)}» es demasiado larga (máximo 10 años).")
    duracion = timedelta(weeks=semanas, days=dias, hours=horas, minutes=minutos, seconds=segundos)
    if duracion <= timedelta(0):
        raise EntradaInvalida(f"{opcion.capitalize()} debe ser positiva.")
    if duracion > DURACION_MAXIMA:
        raise EntradaInvalida(f"{opcion.capitalize()} «{limpiar(texto)}» es demasiado larga (máximo 10 años).")
    return duracion


def parsear_fecha_o_duracion(texto: str, tz: tzinfo, opcion: str) -> datetime | timedelta:
    """A date, or a duration to count from the clock (as `--entrega 7d` allows)."""
    limpio = texto.strip()
    if _FECHA.fullmatch(limpio):
        return parsear_fecha(texto, tz, opcion)
    if re.fullmatch(r"[0-9PYMWDTHS]+", limpio.upper(), re.ASCII):
        return parsear_duracion(texto, opcion)
    raise EntradaInvalida(
        f"No entiendo {opcion} «{limpiar(texto)}»: usa una fecha ISO 8601 (2026-12-01, "
        "2026-12-01T10:00) o una duración (7d, 48h, 1w, P2DT3H)."
    )


def iso(momento: datetime) -> str:
    """The JSON and storage form: UTC, `YYYY-MM-DDTHH:MM:SSZ` (isoformat: faster than strftime)."""
    if momento.tzinfo is not UTC:
        momento = momento.astimezone(UTC)
    return momento.isoformat(timespec="seconds")[:19] + "Z"


def desde_iso(texto: str) -> datetime:
    return datetime.fromisoformat(texto)


def legible(momento: datetime, tz: tzinfo) -> str:
    return momento.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def en_horas(duracion: timedelta) -> str:
    """A deadline as the rules state it: `48 h`, `96 h`, `1.5 h`."""
    return f"{duracion.total_seconds() / 3600:g} h"


def _unidades(segundos: int) -> str:
    partes = []
    for nombre, plural, tamano in (
        ("semana", "semanas", 604800),
        ("día", "días", 86400),
        ("hora", "horas", 3600),
        ("minuto", "minutos", 60),
    ):
        cuantos, segundos = divmod(segundos, tamano)
        if cuantos:
            partes.append(f"{cuantos} {nombre if cuantos == 1 else plural}")
    if not partes:
        return "menos de un minuto"
    # Two units are precise enough to act on and short enough to read at a glance.
    return " ".join(partes[:2])


def relativo(momento: datetime, ahora: datetime, futuro: str = "vence en", pasado: str = "venció hace") -> str:
    """'vence en 1 día 23 horas' / 'venció hace 3 horas'."""
    segundos = int((momento - ahora).total_seconds())
    if segundos > 0:
        return f"{futuro} {_unidades(segundos)}"
    if segundos == 0:
        return f"{futuro.split()[0]} ahora" if futuro.startswith("vence") else "ahora"
    return f"{pasado} {_unidades(-segundos)}"
