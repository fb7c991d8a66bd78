"""How an instant reads on every screen and in every sentence, in the reader's zone.

The lowest floor of the house with `modelo`: errors write their instants with it
(`errores.ResolucionError.texto`), and the clock, the screens and the stories reuse it.
"""

from datetime import datetime, tzinfo


def nombre_zona(tz: tzinfo) -> str:
    """How a screen names the reader's zone: its IANA name when it has one."""
    return getattr(tz, "key", None) or getattr(tz, "name", None) or str(tz)


def legible(momento: datetime, tz: tzinfo) -> str:
    """`2026-03-04 09:00`, `:SS` when the seconds are not zero, and the offset on a repeated hour."""
    local = momento.astimezone(tz)
    texto = local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")
    desfase = local.utcoffset()
    # Only a wall time the fall-back night repeats reads differently with the other fold.
    if local.replace(fold=1 - local.fold).utcoffset() != desfase:
        minutos = int(desfase.total_seconds()) // 60
        texto += f" {'-' if minutos < 0 else '+'}{abs(minutos) // 60:02d}:{abs(minutos) % 60:02d}"
    return texto
