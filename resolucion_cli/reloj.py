"""The clock: modes, parsing of dates and durations, and how times read in Spanish.

How one instant reads (`legible`, `nombre_zona`) lives below, in `instantes`, so that error
sentences can write their instants without the errors depending on the clock.

The current time of every rule is the database clock (SPEC §4). The only place that
reads the wall clock is `reloj_de_pared`, used for `init`'s default and the `real` mode.
"""

import os
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from enum import StrEnum

from .entrada import limpiar
from .errores import EntradaInvalida
from .instantes import legible, nombre_zona


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
    r"(?: ?(?P<zona>Z|[+-]\d{2}(?::?\d{2})?))?",  # the space: how screens show a repeated hour
    re.IGNORECASE | re.ASCII,
)
# Case-insensitive but for the minutes: `M` is how months are often written, so `1M` is
# refused as a month rather than silently read as one minute.
_CORTA = re.compile(
    r"(?:(\d{1,9})[wW])?(?:(\d{1,9})[dD])?(?:(\d{1,9})[hH])?(?:(\d{1,9})m)?(?:(\d{1,9})[sS])?", re.ASCII
)
_MESES_CORTOS = re.compile(r"\d+(?:M|[yY])", re.ASCII)
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
        local = zona_del_sistema()
        if local is not None:
            return local
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


def zona_del_sistema() -> tzinfo | None:
    """The system's local zone as `pendulum.local_timezone()` finds it, for the usual setups only.

    Importing pendulum costs a read command more than the rest of its work. Where the zone is
    named the way most systems name it (TZ, /etc/timezone, the /etc/localtime link, in
    pendulum's order and read its way), the same zone comes from the standard library; any other
    case is None, and pendulum decides, so the two can never disagree.
    """
    import sys
    from pathlib import Path
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        if sys.platform == "darwin":
            enlace = os.readlink("/etc/localtime")
            return ZoneInfo(enlace[enlace.rfind("zoneinfo/") + 9 :])
        if sys.platform == "win32":
            return None
        variable = os.environ.get("TZ")
        if variable:
            # ":zone" and a file's path are read from the file by pendulum.
            return None if variable.startswith(":") or os.path.isfile(variable) else ZoneInfo(variable)
        archivo = Path("/etc/timezone")
        if archivo.is_file():
            datos = archivo.read_bytes()
            if datos.startswith(b"TZif2"):  # a zone file where a name belongs: pendulum copes
                return None
            return ZoneInfo(datos.strip().decode().partition(" ")[0].partition("#")[0])
        if Path("/etc/sysconfig/clock").is_file() or Path("/etc/conf.d/clock").is_file():
            return None
        enlace = Path("/etc/localtime")
        if enlace.is_file() and enlace.is_symlink():
            partes = [parte.replace(" ", "_") for parte in enlace.resolve().parts]
            # The shortest tail of the link's target that names a zone: "UTC" before "Etc/UTC".
            for desde in range(len(partes) - 1, -1, -1):
                try:
                    return ZoneInfo(os.path.sep.join(partes[desde:]))
                except ZoneInfoNotFoundError:
                    continue
    except Exception:  # whatever pendulum makes of it, it says so itself
        return None
    return None


def parsear_fecha(texto: str, tz: tzinfo, opcion: str = "la fecha") -> datetime:
    """ISO 8601 date or date-time; without an offset it is read in `tz`; result in UTC.

    Clock changes (SPEC §4): a wall time the zone skips is refused naming the gap; one it
    repeats means the first occurrence (an explicit offset picks the other); a date alone
    on a day whose midnight is skipped means the first instant of that day.
    """
    limpio = texto.strip()
    m = _FECHA.fullmatch(limpio)
    if not m:
        raise EntradaInvalida(
            f"No entiendo {opcion} «{limpiar(texto)}»: usa ISO 8601, por ejemplo 2026-12-01, "
            "2026-12-01T10:00 o 2026-12-01 10:00+01:00."
        )
    try:
        pared = datetime.fromisoformat(m["fecha"] + "T" + (m["hora"] or "00:00"))
    except ValueError:  # a day or hour that does not exist
        raise EntradaInvalida(f"{opcion.capitalize()} «{limpiar(texto)}» no existe en el calendario.") from None
    desfase = _desfase(m["zona"], opcion)
    fuera = EntradaInvalida(f"{opcion.capitalize()} debe estar entre los años 1970 y 9000.")
    try:
        if desfase is not None:
            resultado = pared.replace(tzinfo=desfase).astimezone(UTC)
        else:
            resultado = _en_zona(pared, tz, texto, opcion, solo_fecha=m["hora"] is None)
    except (ValueError, OverflowError, OSError):  # its offset takes it past year 1 or 9999
        raise fuera from None
    if not MINIMO <= resultado <= MAXIMO:
        raise fuera
    return resultado


def _desfase(texto: str | None, opcion: str) -> tzinfo | None:
    if texto is None:
        return None
    if texto.upper() == "Z":
        return UTC
    digitos = texto[1:].replace(":", "")
    horas, minutos = int(digitos[:2]), int(digitos[2:] or 0)
    if horas > 23 or minutos > 59:
        raise EntradaInvalida(f"El desfase «{texto}» de {opcion} no es válido: va de -23:59 a +23:59.")
    valor = timedelta(hours=horas, minutes=minutos)
    return timezone(-valor if texto[0] == "-" else valor)


def _en_zona(pared: datetime, tz: tzinfo, texto: str, opcion: str, solo_fecha: bool) -> datetime:
    """The wall time `pared` in `tz`: fold=0 is the first of a repeated hour; a gap fails the round trip."""
    primero = pared.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if primero.astimezone(tz).replace(tzinfo=None) == pared:
        return primero
    # In a gap fold=0 reads the wall time with the offset before the change and fold=1
    # with the one after, so the change itself lies between those two instants.
    salto = _cambio_entre(pared.replace(tzinfo=tz, fold=1).astimezone(UTC), primero, tz)
    if solo_fecha:
        return salto
    hueco = salto.astimezone(timezone((salto - timedelta(seconds=1)).astimezone(tz).utcoffset()))
    raise EntradaInvalida(
        f"{opcion.capitalize()} «{limpiar(texto)}» no existe en {nombre_zona(tz)}: el {hueco:%Y-%m-%d} el reloj "
        f"salta de {hueco:%H:%M} a {salto.astimezone(tz):%H:%M}; usa {legible(salto - timedelta(seconds=1), tz)} "
        f"o {legible(salto, tz)}."
    )


def _cambio_entre(desde: datetime, hasta: datetime, tz: tzinfo) -> datetime:
    """The first second in (desde, hasta] whose offset in `tz` differs from the one at `desde`."""
    inicial = desde.astimezone(tz).utcoffset()
    while hasta - desde > timedelta(seconds=1):
        medio = desde + (hasta - desde) // 2
        medio = medio.replace(microsecond=0)
        if medio.astimezone(tz).utcoffset() == inicial:
            desde = medio
        else:
            hasta = medio
    return hasta


def parsear_duracion(texto: str, opcion: str = "la duración") -> timedelta:
    """`90m`, `48h`, `2d`, `1w`, `1d12h` or ISO 8601 `P2DT3H`; positive, without months or years."""
    limpio = texto.strip()
    es_iso = limpio.upper().startswith("P")
    meses = re.search(r"\d+[YM]", limpio.upper()[1:].split("T")[0]) if es_iso else _MESES_CORTOS.search(limpio)
    if meses:
        raise EntradaInvalida(
            f"{opcion.capitalize()} «{limpiar(texto)}» usa meses o años, que no tienen una duración fija: "
            "exprésala en semanas, días, horas o minutos (por ejemplo 30d o P30D; los minutos se escriben "
            "con m minúscula, 90m)."
        )
    m = _ISO.fullmatch(limpio.upper()) if es_iso else _CORTA.fullmatch(limpio)
    # Every group is optional, so an empty match ("", "P", "PT", "P1DT") must be refused here.
    if not m or not any(m.groups()) or limpio.upper().endswith("T"):
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


def contar_desde(valor, ahora: datetime):
    """A parsed date stays; a duration (`--entrega 7d`) counts from the clock; None stays None."""
    return ahora + valor if isinstance(valor, timedelta) else valor


def iso(momento: datetime) -> str:
    """The JSON and storage form: UTC, `YYYY-MM-DDTHH:MM:SSZ` (isoformat: faster than strftime)."""
    if momento.tzinfo is not UTC:
        momento = momento.astimezone(UTC)
    return momento.isoformat(timespec="seconds")[:19] + "Z"


def desde_iso(texto: str) -> datetime:
    return datetime.fromisoformat(texto)


def cantidad(numero: int, singular: str, plural: str) -> str:
    """`1 día`, `3 días`: the noun agrees with the number."""
    return f"{numero} {singular if numero == 1 else plural}"


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
            partes.append(cantidad(cuantos, nombre, plural))
    if not partes:
        return "menos de un minuto"
    # Two units are precise enough to act on and short enough to read at a glance.
    return " y ".join(partes[:2])


def relativo(momento: datetime, ahora: datetime, futuro: str = "vence en", pasado: str = "venció hace") -> str:
    """'vence en 1 día y 23 horas' / 'venció hace 3 horas'."""
    segundos = int((momento - ahora).total_seconds())
    if segundos > 0:
        return f"{futuro} {_unidades(segundos)}"
    if segundos == 0:
        return f"{futuro.split()[0]} ahora" if futuro.startswith("vence") else "ahora"
    return f"{pasado} {_unidades(-segundos)}"
