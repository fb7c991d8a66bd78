"""`resolucion guion ARCHIVO.toml`: play a scenario and check what it expects after each step.

A scenario is a data file (`carga`) that also says what must be true after each step: an
order's state, a request's state or deadline, the clock, a message in someone's inbox, or
the exit code a refused step gets. Steps are played one by one through the same code as
`init --datos` (so through the same services and rules as the commands), each in its own
transaction like a command typed at a terminal, and the report says, step by step, what was
expected and what was found.

Two kinds of mistakes are told apart. The file's own shape (TOML syntax, actions, field
names and types, refs, and every expectation) is checked before anything runs: a broken
file is bad input (exit 2) naming the step and the field, and no database is made. The
values a step hands to the tool (users, titles, prices, dates, durations, types, answers)
are the tool's to judge when the step runs, exactly as on the command line, so a scenario
can expect them to be refused (`codigo = 2` in its expectations).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from . import incluidos, relato, servicios, vista
from .almacen import Almacen
from .carga import CAMPOS, OPCIONES_ABRIR, Carga, destinos_tick, forma
from .entrada import limpiar
from .errores import EntradaInvalida, NoPermitido, ResolucionError, Salida
from .modelo import EstadoDisputa, EstadoPedido
from .reloj import iso, parsear_fecha, zona
from .sintaxis import demasiado_anidado, error_de_lectura, error_toml, leer_texto

# Actions and their fields are those of a data file; any step may also carry these.
COMUNES = frozenset({"nota", "espera"})
FECHAS = {"entrega", "nueva_entrega", "at"}
IMPORTES = {"precio", "extras_precio", "importe"}
ENTEROS = {"extras_dias"}
BOOLEANOS = {"siguiente"}
# The fields that name a ref, and what the ref must be (the `ref` of an earlier step).
REFERENCIAS = {"pedido": "ningún pedido creado", "disputa": "ninguna solicitud abierta"}

# Expectations about an order or a request: key in the file -> (key in its JSON object, kind).
ESPERA_PEDIDO = {
    "estado": ("estado", "estado_pedido"),
    "estado_etiqueta": ("estado_etiqueta", "texto"),
    "atrasado": ("atrasado", "booleano"),
    "precio_centavos": ("precio_centavos", "entero"),
    "fecha_entrega": ("fecha_entrega", "fecha"),
    "reembolso_centavos": ("reembolso_centavos", "entero"),
}
ESPERA_DISPUTA = {
    "estado_disputa": ("estado", "estado_disputa"),
    "vence_en": ("vence_en", "fecha"),
    "resuelta_en": ("resuelta_en", "fecha"),
    "resuelta_por": ("resuelta_por", "texto"),
    "importe_centavos": ("reembolso_centavos", "entero"),
}
ESPERA_OTRAS = {"pedido", "disputa", "reloj", "bandeja", "codigo", "mensaje"}
CAMPOS_BANDEJA = ({"para", "contiene"}, {"de"})
CODIGOS = sorted(int(s) for s in Salida if s != Salida.INTERRUMPIDO)


# --- the scenario, once checked -------------------------------------------------------


@dataclass(frozen=True)
class Comprobacion:
    """One thing expected after a step: `campo` of `objeto` (`ref` names it) is `esperado`."""

    campo: str
    objeto: str  # "pedido", "disputa", "reloj" or "bandeja"
    esperado: object
    ref: str | None = None
    clave: str | None = None  # the key of the order's or the request's JSON object


@dataclass(frozen=True)
class Paso:
    numero: int
    accion: str
    descripcion: str
    datos: dict  # the step as `carga` reads it: texts, but `extras_dias` and `siguiente`
    codigo: int = 0  # the exit code the step is expected to end with
    mensaje: str | None = None  # a part of the error message expected
    comprobaciones: tuple[Comprobacion, ...] = ()
    nota: str | None = None


@dataclass(frozen=True)
class Escenario:
    ruta: str
    titulo: str | None
    reloj: datetime
    pasos: tuple[Paso, ...]
    tz: tzinfo  # the file's own `tz`, else the reader's: its dates and expected texts are in it
    politica: str | None = None
    plazos: dict = field(default_factory=dict)  # TipoDisputa -> timedelta, as `init --plazo`


# --- the report -----------------------------------------------------------------------


@dataclass(frozen=True)
class Fallo:
    campo: str
    esperado: object
    encontrado: object


@dataclass
class ResultadoPaso:
    paso: Paso
    ejecutado: bool = False
    codigo: int | None = None
    mensaje: str | None = None
    fallos: list[Fallo] = field(default_factory=list)
    tick: "servicios.ResultadoTick | None" = None  # what a tick step did, for the narrated screen

    @property
    def ok(self) -> bool:
        return self.ejecutado and not self.fallos


@dataclass
class Informe:
    escenario: Escenario
    pasos: list[ResultadoPaso]
    desvio: int | None = None  # the step after which the story stopped, if any

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.pasos)

    @property
    def fallidos(self) -> list[int]:
        return [r.paso.numero for r in self.pasos if r.ejecutado and r.fallos]


# --- reading and checking the file ----------------------------------------------------


class _Lector:
    """Turns the TOML document into an `Escenario`, or refuses it naming where it is wrong."""

    def __init__(self, ruta: str, tz: tzinfo):
        self.ruta = ruta
        self.tz = tz
        self.refs = {"pedido": set(), "disputa": set()}

    def invalido(self, donde: str, problema: str) -> EntradaInvalida:
        return EntradaInvalida(f"El guion «{self.ruta}» no es válido: {donde}: {problema} No se ha ejecutado nada.")

    def escenario(self, documento: dict) -> Escenario:
        sobran = sorted(documento.keys() - {"reloj", "titulo", "tz", "politica", "plazo", "paso"})
        if sobran:
            raise self.invalido(
                f"campo «{limpiar(sobran[0])}»",
                "no existe (arriba del todo van reloj, titulo, tz, politica, plazo y paso).",
            )
        if "tz" in documento:
            self.tz = self.zona(documento["tz"])
        politica = self.politica(documento["politica"]) if "politica" in documento else None
        plazos = self.plazos(documento["plazo"]) if "plazo" in documento else {}
        if "reloj" not in documento:
            raise self.invalido(
                "campo «reloj»", 'falta: indica dónde empieza el reloj, como reloj = "2026-03-02T09:00:00Z".'
            )
        reloj = self.fecha(documento["reloj"], "campo «reloj»")
        titulo = documento.get("titulo")
        if titulo is not None and not isinstance(titulo, str):
            raise self.invalido("campo «titulo»", "debe ser un texto entre comillas.")
        pasos = documento.get("paso")
        if not isinstance(pasos, list) or not pasos or not all(isinstance(p, dict) for p in pasos):
            raise self.invalido("campo «paso»", "el guion necesita al menos un paso, cada uno en una tabla [[paso]].")
        pasos = tuple(self.paso(n, p) for n, p in enumerate(pasos, start=1))
        return Escenario(self.ruta, titulo, reloj, pasos, self.tz, politica, plazos)

    def zona(self, valor) -> tzinfo:
        if not isinstance(valor, str):
            raise self.invalido(
                "campo «tz»", 'debe ser el nombre de una zona entre comillas, como tz = "Europe/Madrid".'
            )
        try:
            return zona(valor)
        except EntradaInvalida as error:
            raise self.invalido("campo «tz»", error.mensaje) from None

    def politica(self, valor) -> str:
        from .reglas import POLITICAS

        if not isinstance(valor, str) or valor not in POLITICAS:
            nombres = " o ".join(f"«{p}»" for p in POLITICAS)
            raise self.invalido("campo «politica»", f"debe ser {nombres}, entre comillas.")
        return valor

    def plazos(self, valor) -> dict:
        """`plazo = { cancelacion = "24h" }`: the deadlines `init --plazo` would change."""
        from .entrada import opcion_de
        from .modelo import TipoDisputa
        from .reloj import parsear_duracion

        if not isinstance(valor, dict) or not valor:
            raise self.invalido("campo «plazo»", 'debe ser una tabla como plazo = { cancelacion = "24h" }.')
        plazos = {}
        for tipo, duracion in valor.items():
            donde = f"campo «plazo.{limpiar(tipo)}»"
            try:
                clave = TipoDisputa(opcion_de(tipo, list(map(str, TipoDisputa)), "El tipo de plazo"))
                if not isinstance(duracion, str):
                    raise EntradaInvalida('la duración va entre comillas, como "24h".')
                plazos[clave] = parsear_duracion(duracion, "la duración del plazo")
            except EntradaInvalida as error:
                raise self.invalido(donde, error.mensaje) from None
        return plazos

    def fecha(self, valor, donde: str) -> datetime:
        texto = self.texto_de_fecha(valor, donde)
        try:
            return parsear_fecha(texto, self.tz, "la fecha")
        except EntradaInvalida as error:
            raise self.invalido(donde, error.mensaje[:1].lower() + error.mensaje[1:]) from None

    def texto_de_fecha(self, valor, donde: str) -> str:
        """A TOML date or date-time (`2026-03-04T09:00:00Z` unquoted) reads as its ISO text."""
        if isinstance(valor, str):
            return valor
        if isinstance(valor, date):  # a datetime is a date too
            return valor.isoformat()
        raise self.invalido(donde, "debe ser una fecha, como 2026-03-04T09:00:00Z.")

    def paso(self, numero: int, paso: dict) -> Paso:
        accion = paso.get("accion")
        donde = f"paso {numero} ({accion})"
        problema = forma(paso, CAMPOS, COMUNES)
        if problema is not None:
            que, campo = problema
            if que == "accion":
                encontrado = f"«{limpiar(str(accion))}» no es" if accion is not None else "falta:"
                raise self.invalido(
                    f"paso {numero}, campo «accion»", f"{encontrado} una acción; usa una de {', '.join(CAMPOS)}."
                )
            if que == "falta":
                raise self.invalido(f"{donde}, campo «{campo}»", "falta.")
            raise self.invalido(f"{donde}, campo «{limpiar(campo)}»", f"no existe en la acción {accion}.")
        datos = {"accion": accion}
        for campo, valor in paso.items():
            if campo not in ("accion", "espera", "nota"):
                datos[campo] = self.valor(valor, f"{donde}, campo «{campo}»", campo)
        if accion == "tick" and len(destinos := destinos_tick(datos)) > 1:
            raise self.invalido(f"{donde}, campo «{destinos[1]}»", "usa solo uno de avanzar, at o siguiente.")
        for campo in REFERENCIAS:
            if campo in datos:
                self.referencia(datos[campo], campo, f"{donde}, campo «{campo}»")
        nota = paso.get("nota")
        if nota is not None and not isinstance(nota, str):
            raise self.invalido(f"{donde}, campo «nota»", "debe ser un texto entre comillas.")
        espera = paso.get("espera", {})
        if not isinstance(espera, dict):
            raise self.invalido(f"{donde}, campo «espera»", "debe ser una tabla: [paso.espera] o espera = { ... }.")
        codigo, mensaje = self.codigo(espera, donde)
        if codigo == 0 and "ref" in datos:
            # A step expected to be refused makes nothing, so its ref names nothing.
            tabla = self.refs["pedido" if accion == "crear" else "disputa"]
            if datos["ref"] in tabla:
                raise self.invalido(f"{donde}, campo «ref»", f"la ref «{limpiar(datos['ref'])}» ya la usa otro paso.")
            tabla.add(datos["ref"])
        return Paso(
            numero=numero,
            accion=accion,
            descripcion=describir(datos),
            datos=datos,
            codigo=codigo,
            mensaje=mensaje,
            comprobaciones=tuple(self.comprobaciones(espera, donde)),
            nota=nota,
        )

    def referencia(self, ref, objeto: str, donde: str) -> str:
        if not isinstance(ref, str):
            raise self.invalido(donde, "debe ser un texto entre comillas: la ref de un paso anterior.")
        if ref not in self.refs[objeto]:
            raise self.invalido(
                donde,
                f"«{limpiar(ref)}» no es la ref de {REFERENCIAS[objeto]} en un paso anterior "
                "(un paso que espera un código de error no crea nada).",
            )
        return ref

    def valor(self, valor, donde: str, campo: str):
        """The value of a step's field in the form `carga` reads: text, but `extras_dias` and `siguiente`."""
        if campo in FECHAS:
            return self.texto_de_fecha(valor, donde)
        if campo in ENTEROS:
            if not isinstance(valor, int) or isinstance(valor, bool):
                raise self.invalido(donde, "debe ser un número entero, sin comillas.")
            return valor
        if campo in BOOLEANOS:
            if not isinstance(valor, bool):
                raise self.invalido(donde, "debe ser true o false.")
            return valor
        if campo in IMPORTES and isinstance(valor, int | float) and not isinstance(valor, bool):
            return str(valor)
        if not isinstance(valor, str):
            tambien = " o un número" if campo in IMPORTES else ""
            raise self.invalido(donde, f"debe ser un texto entre comillas{tambien}.")
        return valor

    def codigo(self, espera: dict, donde: str) -> tuple[int, str | None]:
        codigo = espera.get("codigo", 0)
        if not isinstance(codigo, int) or isinstance(codigo, bool) or codigo not in CODIGOS:
            raise self.invalido(
                f"{donde}, campo «espera.codigo»", f"debe ser un código de salida: {', '.join(map(str, CODIGOS))}."
            )
        mensaje = espera.get("mensaje")
        if mensaje is not None:
            if not isinstance(mensaje, str) or not mensaje.strip():
                raise self.invalido(f"{donde}, campo «espera.mensaje»", "debe ser un texto entre comillas.")
            if codigo == 0:
                raise self.invalido(
                    f"{donde}, campo «espera.mensaje»", "solo tiene sentido con un «codigo» de error (1 a 5)."
                )
        return codigo, mensaje

    def comprobaciones(self, espera: dict, donde: str):
        conocidos = ESPERA_PEDIDO.keys() | ESPERA_DISPUTA.keys() | ESPERA_OTRAS
        sobran = sorted(espera.keys() - conocidos)
        if sobran:
            raise self.invalido(
                f"{donde}, campo «espera.{limpiar(sobran[0])}»",
                f"no es una comprobación; usa {', '.join(sorted(conocidos))}.",
            )
        for objeto, campos in (("pedido", ESPERA_PEDIDO), ("disputa", ESPERA_DISPUTA)):
            claves = sorted(espera.keys() & campos.keys())
            if objeto not in espera:
                if claves:
                    raise self.invalido(
                        f"{donde}, campo «espera.{claves[0]}»", f'indica de qué {objeto} con {objeto} = "ref".'
                    )
                continue
            ref = self.referencia(espera[objeto], objeto, f"{donde}, campo «espera.{objeto}»")
            if not claves:
                raise self.invalido(
                    f"{donde}, campo «espera.{objeto}»", f"di qué comprobar de él: {', '.join(campos)}."
                )
            for campo in claves:
                clave, tipo = campos[campo]
                esperado = self.esperado(espera[campo], tipo, f"{donde}, campo «espera.{campo}»")
                yield Comprobacion(campo, objeto, esperado, ref, clave)
        if "reloj" in espera:
            yield Comprobacion("reloj", "reloj", iso(self.fecha(espera["reloj"], f"{donde}, campo «espera.reloj»")))
        if "bandeja" in espera:
            bandejas = espera["bandeja"]
            for indice, bandeja in enumerate(bandejas if isinstance(bandejas, list) else [bandejas], start=1):
                lugar = f"{donde}, campo «espera.bandeja»" + (f" (la {indice}.ª)" if isinstance(bandejas, list) else "")
                yield Comprobacion("bandeja", "bandeja", self.bandeja(bandeja, lugar))

    def esperado(self, valor, tipo: str, donde: str):
        if tipo == "fecha":
            return iso(self.fecha(valor, donde))
        if tipo == "booleano":
            if not isinstance(valor, bool):
                raise self.invalido(donde, "debe ser true o false.")
        elif tipo == "entero":
            if not isinstance(valor, int) or isinstance(valor, bool):
                raise self.invalido(donde, "debe ser un número entero, sin comillas.")
        elif not isinstance(valor, str):
            raise self.invalido(donde, "debe ser un texto entre comillas.")
        opciones = {"estado_pedido": EstadoPedido, "estado_disputa": EstadoDisputa}.get(tipo)
        if opciones is not None and valor not in set(map(str, opciones)):
            raise self.invalido(
                donde, f"«{limpiar(valor)}» no es un estado; usa uno de {', '.join(map(str, opciones))}."
            )
        return valor

    def bandeja(self, bandeja, donde: str) -> dict:
        if not isinstance(bandeja, dict):
            raise self.invalido(donde, 'debe ser una tabla como { para = "ana", contiene = "texto" }.')
        obligatorios, opcionales = CAMPOS_BANDEJA
        faltan = sorted(obligatorios - bandeja.keys())
        if faltan:
            raise self.invalido(donde, f"falta «{faltan[0]}».")
        sobran = sorted(bandeja.keys() - obligatorios - opcionales)
        if sobran:
            raise self.invalido(donde, f"«{limpiar(sobran[0])}» no existe; usa para, contiene y de.")
        for clave, valor in bandeja.items():
            if not isinstance(valor, str) or not valor.strip():
                raise self.invalido(donde, f"«{clave}» debe ser un texto entre comillas.")
        return dict(bandeja)


def describir(datos: dict) -> str:
    """A step in a few words, for the report's «Acción» column."""
    accion = datos["accion"]
    como = f" ({datos['como']})" if "como" in datos else ""
    if accion == "crear":
        return f"crear {datos['ref']} ({datos['cliente']} → {datos['freelancer']})"
    if accion in ("entregar", "completar"):
        return f"{accion} {datos['pedido']}{como}"
    if accion == "abrir":
        ref = f" {datos['ref']}" if "ref" in datos else ""
        return f"abrir{ref}: {datos['tipo']} en {datos['pedido']}{como}"
    if accion == "responder":
        return f"responder {datos['respuesta']} a {datos['disputa']}{como}"
    if accion == "revocar":
        return f"revocar {datos['disputa']}{como}"
    if accion == "mensaje":
        return f"mensaje en {datos['pedido']}{como}"
    if "at" in datos:
        return f"tick → {datos['at']}"
    if "avanzar" in datos:
        return f"tick +{datos['avanzar']}"
    return "tick al siguiente plazo" if datos.get("siguiente") else "tick"


# Each action's command line: its subcommand, the field naming the order or request it takes
# as its number, and the fields given as options (in the order `--help` lists them).
_LINEAS = {
    "crear": (["pedido", "crear"], None, ("cliente", "freelancer", "titulo", "precio", "entrega")),
    "entregar": (["pedido", "entregar"], "pedido", ()),
    "completar": (["pedido", "completar"], "pedido", ()),
    "abrir": (["disputa", "abrir"], "pedido", ("tipo", *OPCIONES_ABRIR)),
    "responder": (["disputa", "responder"], "disputa", ()),
    "revocar": (["disputa", "revocar"], "disputa", ("comentario",)),
    "mensaje": (["mensaje"], "pedido", ("texto",)),
    "tick": (["tick"], None, ("at", "avanzar")),
}


def linea_de_comandos(paso: Paso, carga: Carga) -> list[str]:
    """The command a person would type for a step played: refs become the numbers they got."""
    datos = paso.datos
    palabras, numero, opciones = _LINEAS[paso.accion]
    linea = list(palabras)
    if numero is not None:
        linea.append(str((carga.pedidos if numero == "pedido" else carga.disputas).get(datos[numero], datos[numero])))
    if "como" in datos:
        linea += ["--como", datos["como"]]
    linea += [a for campo in opciones if campo in datos for a in ("--" + campo.replace("_", "-"), str(datos[campo]))]
    if paso.accion == "responder":
        # The text of an update is the answer itself; with accept or reject it is a comment.
        respuesta = datos["respuesta"]
        linea.append(f"--{respuesta}")
        if "texto" in datos:
            linea += ([] if respuesta == "actualizacion" else ["--comentario"]) + [datos["texto"]]
    if datos.get("siguiente"):
        linea.append("--siguiente")
    return linea


def pedido_del_paso(paso: Paso, carga: Carga) -> int | None:
    """The order a step acted on (None for a tick, or a ref the step never made)."""
    datos = paso.datos
    if "disputa" in datos and datos["disputa"] in carga.disputas:
        return carga.almacen.disputa(carga.disputas[datos["disputa"]]).pedido
    ref = datos.get("pedido", datos.get("ref") if paso.accion == "crear" else None)
    return carga.pedidos.get(ref)


def leer(ruta: str, tz: tzinfo) -> Escenario:
    """The scenario in `ruta`, checked whole before anything runs; exit 2 naming step and field."""
    import tomllib

    try:
        texto = leer_texto(incluidos.escenario(ruta), "El guion")
    except FileNotFoundError:
        nombres = ", ".join(nombre for nombre, _ in incluidos.escenarios())
        raise EntradaInvalida(
            f"No existe el guion «{ruta}»: comprueba la ruta del archivo .toml, o usa uno de los incluidos ({nombres})."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise EntradaInvalida(f"No puedo leer el guion «{ruta}»: {error_de_lectura(error)}.") from None
    try:
        documento = tomllib.loads(texto)
    except RecursionError:
        raise demasiado_anidado("El guion", ruta) from None
    except tomllib.TOMLDecodeError as error:
        raise EntradaInvalida(
            f"El guion «{ruta}» no es TOML válido {limpiar(error_toml(error, texto))}. No se ha ejecutado nada."
        ) from None
    return _Lector(ruta, tz).escenario(documento)


# --- running it -----------------------------------------------------------------------


class _Ejecucion:
    def __init__(self, almacen: Almacen, tz: tzinfo):
        self.almacen = almacen
        self.tz = tz
        self.carga = Carga(almacen, tz)  # plays the actions exactly as `init --datos` does

    def accion(self, paso: Paso) -> "servicios.ResultadoTick | None":
        return self.carga.aplicar(paso.datos)

    def comprobar(self, c: Comprobacion) -> Fallo | None:
        if c.objeto == "bandeja":
            return self.bandeja(c.esperado)
        if c.objeto == "reloj":
            encontrado = iso(self.almacen.reloj()[0])
        elif c.objeto == "pedido":
            vista_pedido = servicios.ver_pedido(self.almacen, self.carga.pedidos[c.ref], None)
            encontrado = vista.pedido_json(vista_pedido.pedido, vista_pedido.reloj)[c.clave]
        else:
            id = self.carga.disputas.get(c.ref)
            if id is None:
                # Its step was played, but the client cancelled a very late order instead of asking.
                return Fallo(c.campo, c.esperado, f"ninguna solicitud: el paso de «{c.ref}» no abrió ninguna")
            vista_pedido = servicios.ver_pedido(self.almacen, self.almacen.disputa(id).pedido, None)
            encontrado = vista.disputa_json(next(d for d in vista_pedido.disputas if d.id == id))[c.clave]
        return None if encontrado == c.esperado else Fallo(c.campo, c.esperado, encontrado)

    def bandeja(self, esperado: dict) -> Fallo | None:
        """None when a message to `para` (from `de`, if given) contains the text."""
        para, de = esperado["para"], esperado.get("de")
        desde = f" de {de}" if de else ""
        descripcion = f"un mensaje{desde} para {para} que contenga «{esperado['contiene']}»"
        try:
            _, mensajes = servicios.bandeja(self.almacen, para)
        except NoPermitido:
            return Fallo("bandeja", descripcion, f"{para} no tiene bandeja: no es parte de ningún pedido")
        candidatos = [m for m in mensajes if de in (None, m.de)]
        textos = [relato.texto(m, self.tz) for m in candidatos]
        if any(esperado["contiene"].casefold() in texto.casefold() for texto in textos):
            return None
        if not candidatos:
            return Fallo("bandeja", descripcion, f"ningún mensaje{desde} para {para}")
        return Fallo(
            "bandeja",
            descripcion,
            f"{len(candidatos)} mensaje(s){desde} para {para}, ninguno lo contiene; el último dice «{textos[-1]}»",
        )

    def paso(self, paso: Paso) -> ResultadoPaso:
        resultado = ResultadoPaso(paso, ejecutado=True, codigo=0)
        try:
            resultado.tick = self.accion(paso)
        except ResolucionError as error:
            resultado.codigo, resultado.mensaje = int(error.codigo), error.texto(self.tz)
        if resultado.codigo != paso.codigo:
            resultado.fallos.append(Fallo("codigo", paso.codigo, resultado.codigo))
        if paso.mensaje and paso.mensaje.casefold() not in (resultado.mensaje or "").casefold():
            resultado.fallos.append(Fallo("mensaje", paso.mensaje, resultado.mensaje))
        if (resultado.codigo == 0) != (paso.codigo == 0):
            return resultado  # the story went another way: what it expects next means nothing
        resultado.fallos += [f for f in map(self.comprobar, paso.comprobaciones) if f is not None]
        return resultado


def ejecutar(almacen: Almacen, escenario: Escenario, tz: tzinfo, al_paso=None) -> Informe:
    """Play every step on `almacen` (a new database at the scenario's clock) and check it.

    A failed expectation does not stop the run. A step that succeeds where it should have
    been refused, or the other way round, does: the steps after it are reported unplayed.
    `al_paso(resultado, carga)`, when given, is called after each step played (the narrator).
    """
    ejecucion = _Ejecucion(almacen, tz)
    resultados, desvio = [], None
    for paso in escenario.pasos:
        if desvio is not None:
            resultados.append(ResultadoPaso(paso))
            continue
        resultado = ejecucion.paso(paso)
        resultados.append(resultado)
        if al_paso is not None:
            al_paso(resultado, ejecucion.carga)
        if (resultado.codigo == 0) != (paso.codigo == 0):
            desvio = paso.numero
    return Informe(escenario, resultados, desvio)
