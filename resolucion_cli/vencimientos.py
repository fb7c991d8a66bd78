"""Firing the deadlines that fall due (SPEC §4): in deadline order, each at its own instant.

`reglas.vencer` says how an unanswered request ends. For most requests that depends only on
their kind (type, rule set, role, the order's state and whether a completion awaits it) plus
values the row holds as they are (ids, handles, the deadline): `reglas` then decides the kind
once, on stand-ins, and every request of that kind is written straight from its row, setting
only the columns the decision changed. A kind whose outcome needs anything else (an accepted
extension moves the date to the one asked for, an accepted refund records its amount, a
delivered order's completion restarts from the deadline) is decided request by request on
objects, as are automatic completions. Both paths write the same rows; a test compares them.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from operator import itemgetter

from . import reglas
from .almacen import COLUMNAS_FILA, VENCIDA, Almacen, Progreso, a_fila, datos_json
from .modelo import Disputa, EstadoDisputa, EstadoPedido, Evento, Mensaje, Pedido, Resultado, Rol, TipoDisputa
from .reloj import desde_iso, iso

LOTE = 2000
_EN = {nombre: i for i, nombre in enumerate(VENCIDA)}
_DISPUTA, _PEDIDO, _TIPO, _VENCE_EN = (_EN[nombre] for nombre in ("disputa", "pedido", "tipo", "vence_en"))


@dataclass(frozen=True, slots=True)
class Procesado:
    disputa: int | None
    pedido: int
    tipo: str
    vence_en: datetime
    resultado: Resultado


class Procesados:
    """What a tick fired, in order, kept in a temporary file rather than in memory once it is
    large: a tick can fire hundreds of thousands of deadlines, and they are printed only after
    the commit."""

    EN_MEMORIA = 1 << 20  # characters held in memory before they go to a file on disk

    def __init__(self) -> None:
        self._trozos: list[str] = []  # lines, a batch per string, while they fit in memory
        self._tamano = 0
        self._archivo = None
        self._cuantos = 0

    def anotar(self, procesados: list[tuple]) -> None:
        """Add `(disputa, pedido, tipo, vence_en, resultado)` tuples, the instant as stored text."""
        texto = "".join(f"{d or ''}\t{p}\t{t}\t{v}\t{r}\n" for d, p, t, v, r in procesados)
        self._cuantos += len(procesados)
        if self._archivo is not None:
            self._archivo.seek(0, 2)
            self._archivo.write(texto)
            return
        self._trozos.append(texto)
        self._tamano += len(texto)
        if self._tamano > self.EN_MEMORIA:
            # Imported only here: `tempfile` alone costs a small tick a tenth of its start-up.
            import tempfile

            self._archivo = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")
            self._archivo.writelines(self._trozos)
            self._trozos = []

    def __len__(self) -> int:
        return self._cuantos

    def filas(self) -> Iterator[tuple[int | None, int, str, str, str]]:
        """From the first, as stored: the instant as `reloj.iso` writes it (a request fired from
        its row has it written so: `Almacen.vencidas` checks), the rest as text. A new iteration
        starts over (and the one before must not resume)."""
        if self._archivo is not None:
            self._archivo.seek(0)
            lineas = (linea[:-1] for linea in self._archivo)
        else:
            lineas = (linea for trozo in self._trozos for linea in trozo[:-1].split("\n"))
        for linea in lineas:
            disputa, pedido, tipo, vence_en, resultado = linea.split("\t")
            yield int(disputa) if disputa else None, int(pedido), tipo, vence_en, resultado

    def __iter__(self) -> Iterator[Procesado]:
        for disputa, pedido, tipo, vence_en, resultado in self.filas():
            yield Procesado(disputa, pedido, tipo, desde_iso(vence_en), Resultado(resultado))


# --- one decision per kind of request -------------------------------------------------


@dataclass(frozen=True)
class _Plantilla:
    """What every request of one kind does when it expires, as rows taken from the request's
    row extended by `extender`: the updates of the order and of the request (the columns they
    set, then the id), and the events and messages it writes."""

    constantes: tuple
    jsons: tuple[Callable, ...]
    parciales: tuple[tuple[tuple[str, tuple[str, ...]], Callable], ...]
    eventos: tuple[Callable, ...]
    mensajes: tuple[Callable, ...]
    resultado: Resultado

    def extender(self, fila: tuple) -> tuple:
        """The row, then the values that do not depend on it, then those written into JSON: every
        row of the outcome is then one `itemgetter` call on this tuple, in C."""
        if len(self.jsons) == 1:  # the usual case, without a generator per row
            return fila + self.constantes + (self.jsons[0](fila),)
        return fila + self.constantes + tuple(f(fila) for f in self.jsons)


def _suplentes(variante: int) -> dict[str, object]:
    """Stand-ins, different in each variant and as stored, for the row's columns an outcome may
    copy as they are: an outcome that reads anything else goes request by request."""
    return {
        "disputa": -1_000_001 - variante,
        "pedido": -2_000_001 - variante,
        "vence_en": iso(datetime(2001 + variante, 2, 3, 4, 5, 6, tzinfo=UTC)),
        **{nombre: f"\x00{nombre}{variante}" for nombre in ("abierta_por", "destinatario", "cliente", "freelancer")},
    }


def _modelos(clave: tuple, variante: int) -> tuple[Pedido, Disputa]:
    """An order and its request of this kind. Everything the kind does not fix differs between
    the two variants, so that an outcome reading it decides differently for each."""
    tipo, politica, rol, estado, anterior, por_completar = clave
    s = _suplentes(variante)
    otro = timedelta(days=1 + variante, seconds=variante)
    vence = desde_iso(s["vence_en"])
    pedido = Pedido(
        id=s["pedido"],
        titulo=f"modelo {variante}",
        cliente=s["cliente"],
        freelancer=s["freelancer"],
        estado=EstadoPedido(estado),
        precio_centavos=100_000 + variante,
        fecha_entrega=vence + otro,
        creado_en=vence - 3 * otro,
        estado_anterior=EstadoPedido(anterior) if anterior is not None else None,
        completar_en=vence - otro if por_completar else None,
        reembolso_centavos=None if variante == 0 else 1,
    )
    disputa = Disputa(
        id=s["disputa"],
        pedido=s["pedido"],
        tipo=TipoDisputa(tipo),
        estado=EstadoDisputa.ABIERTA,
        abierta_por=s["abierta_por"],
        rol=Rol(rol),
        destinatario=s["destinatario"],
        creada_en=vence - 2 * otro,
        vence_en=vence,
        motivo=f"motivo {variante}",
        comentario=f"comentario {variante}",
        nueva_fecha_entrega=vence + 2 * otro,
        extras_centavos=1_000 + variante,
        extras_descripcion=f"extras {variante}",
        extras_dias=1 + variante,
        politica=politica,
        reembolso_centavos=5_000 + variante,
    )
    return pedido, disputa


def _molde(clave: tuple, variante: int) -> tuple:
    """`reglas.vencer` on the variant's stand-ins, with every stand-in replaced by the name of
    the row's column it stands for: the same for both variants exactly when the outcome
    depends on nothing but the kind and the copiable columns."""
    pedido, disputa = _modelos(clave, variante)
    decision = reglas.vencer(pedido, disputa)
    columna = {valor: _EN[nombre] for nombre, valor in _suplentes(variante).items()}
    en_json = {datos_json(valor): i for valor, i in columna.items() if isinstance(valor, str)}
    patron = re.compile("(" + "|".join(map(re.escape, en_json)) + ")")

    def simbolo(valor) -> tuple:
        if isinstance(valor, int | str) and valor in columna:
            return ("columna", columna[valor])
        if isinstance(valor, str) and patron.search(valor):
            trozos = patron.split(valor)
            return ("json", tuple(trozos[0::2]), tuple(en_json[m] for m in trozos[1::2]))
        return ("valor", valor)

    def cambios(antes, despues) -> tuple:
        pares = zip(COLUMNAS_FILA[type(antes)], a_fila(antes), a_fila(despues), strict=True)
        return tuple((nombre, simbolo(nuevo)) for nombre, viejo, nuevo in pares if nuevo != viejo)

    return (
        cambios(pedido, decision.pedido),
        cambios(disputa, decision.disputa),
        tuple(tuple(map(simbolo, a_fila(e))) for e in decision.eventos),
        tuple(tuple(map(simbolo, a_fila(m))) for m in decision.mensajes),
        decision.resultado,
    )


def _tomar(indices: list[int]) -> Callable:
    """The values at `indices` of a tuple, as a tuple (a row for `executemany`)."""
    if len(indices) == 1:  # itemgetter of one index gives the value, not a tuple
        return lambda extendida: (extendida[indices[0]],)
    return itemgetter(*indices)


def _json_con_la_fila(textos: tuple[str, ...], columnas: tuple[int, ...]) -> Callable:
    """The JSON text a symbol of `_molde` stands for, with the row's values put in its holes."""
    molde = "%s".join(texto.replace("%", "%%") for texto in textos)
    tomar = _tomar(columnas)
    return lambda fila: molde % tuple(map(datos_json, tomar(fila)))


@lru_cache(maxsize=256)
def _plantilla(clave: tuple) -> _Plantilla | None:
    """The kind's outcome written from rows, or None when it must go request by request (it
    reads more than the row holds, or the row names a type, rule set or state that `reglas`
    does not know: the objects then refuse the file as the rest of the commands do)."""
    try:
        molde = _molde(clave, 0)
        if molde != _molde(clave, 1):
            return None
    except (ValueError, KeyError, TypeError):
        return None
    pedido, disputa, eventos, mensajes, resultado = molde
    tablas = [(t, id, c) for t, id, c in (("pedidos", _PEDIDO, pedido), ("disputas", _DISPUTA, disputa)) if c]
    # Each row the outcome writes, as symbols; an update ends with the id of its row.
    filas = [
        *([*(s for _, s in cambios), ("columna", id)] for _, id, cambios in tablas),
        *eventos,
        *mensajes,
    ]
    simbolos = [s for fila in filas for s in fila]
    constantes = tuple(s[1] for s in simbolos if s[0] == "valor")
    # Each JSON text once: the event and both messages of a request usually carry the same data.
    jsons = list(dict.fromkeys(s for s in simbolos if s[0] == "json"))
    siguiente_constante = iter(range(len(VENCIDA), len(VENCIDA) + len(constantes)))

    def indice(simbolo: tuple) -> int:
        """Where the symbol's value lies in the extended row."""
        if simbolo[0] == "columna":
            return simbolo[1]
        if simbolo[0] == "json":
            return len(VENCIDA) + len(constantes) + jsons.index(simbolo)
        return next(siguiente_constante)

    tomas = [_tomar([indice(s) for s in fila]) for fila in filas]
    return _Plantilla(
        constantes=constantes,
        jsons=tuple(_json_con_la_fila(*s[1:]) for s in jsons),
        parciales=tuple(((t, tuple(n for n, _ in c)), toma) for (t, _, c), toma in zip(tablas, tomas, strict=False)),
        eventos=tuple(tomas[len(tablas) : len(tablas) + len(eventos)]),
        mensajes=tuple(tomas[len(tablas) + len(eventos) :]),
        resultado=resultado,
    )


# The columns that name a request's kind, in the order `_modelos` takes them; and whether every
# instant of the row is well written (else it goes through the objects, which refuse it).
_CLAVE = itemgetter(*(_EN[n] for n in ("tipo", "politica", "rol", "estado", "estado_anterior", "por_completar")))
_FECHAS_BIEN = _EN["fechas_bien"]


def _plantilla_de(fila: tuple) -> _Plantilla | None:
    return _plantilla(_CLAVE(fila)) if fila[_FECHAS_BIEN] else None


# --- rounds ---------------------------------------------------------------------------


class _Ronda:
    """The writes of one round, gathered in deadline order: one statement per table and shape."""

    def __init__(self) -> None:
        self.pedidos: list[Pedido] = []
        self.disputas: list[Disputa] = []
        self.parciales: dict[tuple[str, tuple[str, ...]], list] = {}
        self.eventos: list[tuple] = []
        self.mensajes: list[tuple] = []
        self.procesados: list[tuple] = []

    def desde_fila(self, plantilla: _Plantilla, fila: tuple) -> None:
        extendida = plantilla.extender(fila)
        for clave, tomar in plantilla.parciales:
            self.parciales.setdefault(clave, []).append(tomar(extendida))
        self.eventos += [tomar(extendida) for tomar in plantilla.eventos]
        self.mensajes += [tomar(extendida) for tomar in plantilla.mensajes]
        self.procesados.append((fila[_DISPUTA], fila[_PEDIDO], fila[_TIPO], fila[_VENCE_EN], plantilla.resultado))

    def decision(self, d: reglas.Decision) -> None:
        self.pedidos.append(d.pedido)
        if d.disputa is not None:
            self.disputas.append(d.disputa)
            cual = (d.disputa.id, d.pedido.id, d.disputa.tipo, iso(d.disputa.vence_en), d.resultado)
        else:
            cual = (None, d.pedido.id, "aceptar_entrega", iso(d.eventos[0].en), d.resultado)
        self.eventos += map(a_fila, d.eventos)
        self.mensajes += map(a_fila, d.mensajes)
        self.procesados.append(cual)

    def escribir(self, almacen: Almacen) -> None:
        almacen.actualizar_pedidos(self.pedidos)
        almacen.actualizar_disputas(self.disputas)
        for (tabla, columnas), filas in self.parciales.items():
            almacen.actualizar(tabla, columnas, filas)
        almacen.insertar_en_bloque(Evento, self.eventos)
        almacen.insertar_en_bloque(Mensaje, self.mensajes)


def procesar(almacen: Almacen, hasta: datetime, progreso: Progreso, anotar: Procesados | None = None) -> None:
    """Fire every deadline due by `hasta` in deadline order, each at its own instant; what is
    fired goes to `anotar`.

    Two kinds fall due: unanswered requests, and (under `aceptacion-automatica`) delivered
    orders the client left unanswered. Each round reads a batch of both, decides them in order,
    and writes them with one statement per table: the same rows as one by one, in far fewer
    round trips. A round stops short of where a full batch ends, and of `MINIMO_COMPLETAR`
    after its first deadline: a completion made by firing a deadline lies at least that far
    after it, so nothing can fall due before what a round already fired.
    """
    while True:
        filas = almacen.vencidas(hasta, LOTE)
        plantillas = [_plantilla_de(fila) for fila in filas]
        objetos = almacen.con_pedido([f[_DISPUTA] for f, p in zip(filas, plantillas, strict=True) if p is None])
        # (instant as stored, is a delivery, id, how it is fired, its row): the order of the rounds.
        solicitudes = [
            (f[_VENCE_EN], False, f[_DISPUTA], p, f)
            if p is not None
            else (iso(objetos[f[_DISPUTA]][1].vence_en), False, f[_DISPUTA], objetos[f[_DISPUTA]], None)
            for f, p in zip(filas, plantillas, strict=True)
        ]
        entregas = [(iso(p.completar_en), True, p.id, p, None) for p in almacen.por_completar(hasta, LOTE)]
        if not solicitudes and not entregas:
            return
        ronda = sorted(solicitudes + entregas, key=lambda x: x[:3])
        limite = iso(desde_iso(ronda[0][0]) + reglas.MINIMO_COMPLETAR)
        for tanda in (solicitudes, entregas):
            if len(tanda) == LOTE:
                limite = min(limite, tanda[-1][0])
        escritura = _Ronda()
        for en, _, _, como, fila in ronda:
            if en > limite:
                break
            if isinstance(como, _Plantilla):
                escritura.desde_fila(como, fila)
            elif isinstance(como, Pedido):
                escritura.decision(reglas.completar_solo(como))
            else:
                escritura.decision(reglas.vencer(*como))
        escritura.escribir(almacen)
        progreso.avanzar(len(escritura.procesados))
        if anotar is not None:
            anotar.anotar(escritura.procesados)
