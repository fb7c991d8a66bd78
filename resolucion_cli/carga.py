"""`init --datos FILE`: load a JSON data set as a sequence of steps, all or nothing.

A data set is a story, not a dump of rows: each step is one of the commands (create,
deliver, complete, open, answer, revoke, move the clock), played through the same rules
and services as the command line, so whatever it loads keeps every invariant. Orders and
requests are named by the file's own `ref` names, so a file loads into any database.
Dates may be durations counted from the clock at that step (`"entrega": "5d"`), so the
same file gives deadlines at the same distances whenever it is loaded.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from . import entrada, incluidos, reglas, servicios
from .almacen import Almacen
from .errores import EntradaInvalida, ResolucionError
from .modelo import MOTIVOS, Respuesta, TipoDisputa
from .reloj import contar_desde, parsear_duracion, parsear_fecha, parsear_fecha_o_duracion
from .sintaxis import demasiado_anidado, error_de_lectura, error_json, leer_texto

FORMATO = "resolucion-datos"

# The optional fields of `abrir` that are options of `disputa abrir`, in the order `--help` lists them.
OPCIONES_ABRIR = (
    "motivo",
    "comentario",
    "nueva_entrega",
    "extras_precio",
    "extras_descripcion",
    "extras_dias",
    "importe",
)
# For each action: its required fields and its optional ones.
CAMPOS = {
    "crear": ({"ref", "cliente", "freelancer", "titulo", "precio", "entrega"}, set()),
    "entregar": ({"pedido", "como"}, set()),
    "completar": ({"pedido", "como"}, set()),
    "abrir": ({"pedido", "como", "tipo"}, {"ref", *OPCIONES_ABRIR}),
    "responder": ({"disputa", "como", "respuesta"}, {"texto"}),
    "revocar": ({"disputa", "como"}, {"comentario"}),
    "mensaje": ({"pedido", "como", "texto"}, set()),
    # At most one of them; none processes what is due now.
    "tick": (set(), {"avanzar", "at", "siguiente"}),
}


def forma(paso: dict, campos: dict = CAMPOS, tambien: frozenset = frozenset()) -> tuple[str, str] | None:
    """The first thing wrong with a step's fields, as (what, field): ("accion", "accion") for an
    unknown action, ("falta", f) for a missing field, ("sobra", f) for one the action does not
    take (`tambien` are accepted on every step). None when the shape is right."""
    if paso.get("accion") not in campos:
        return "accion", "accion"
    obligatorios, opcionales = campos[paso["accion"]]
    faltan = sorted(obligatorios - paso.keys())
    if faltan:
        return "falta", faltan[0]
    sobran = sorted(paso.keys() - obligatorios - opcionales - tambien - {"accion"})
    if sobran:
        return "sobra", sobran[0]
    return None


def destinos_tick(paso: dict) -> list[str]:
    """The ways a tick step says where the clock goes; more than one is a contradiction."""
    return [c for c in ("avanzar", "at") if c in paso] + (["siguiente"] if paso.get("siguiente") else [])


@dataclass
class Resumen:
    pasos: int = 0
    pedidos: int = 0
    disputas: int = 0


class Carga:
    """Plays steps through the services, remembering the orders and requests each `ref` names."""

    def __init__(self, almacen: Almacen, tz: tzinfo):
        self.almacen = almacen
        self.tz = tz
        self.pedidos: dict[str, int] = {}
        self.disputas: dict[str, int] = {}
        self.resumen = Resumen()

    def texto(self, paso: dict, campo: str) -> str:
        valor = paso[campo]
        if not isinstance(valor, str):
            raise EntradaInvalida(f"el campo «{campo}» debe ser un texto entre comillas.")
        return valor

    def fecha(self, paso: dict, campo: str) -> datetime:
        valor = parsear_fecha_o_duracion(self.texto(paso, campo), self.tz, f"el campo «{campo}»")
        return contar_desde(valor, self.almacen.reloj()[0]) if isinstance(valor, timedelta) else valor

    def referencia(self, paso: dict, campo: str, tabla: dict[str, int]) -> int:
        nombre = self.texto(paso, campo)
        if nombre not in tabla:
            raise EntradaInvalida(f"«{nombre}» no es la ref de ningún paso anterior.")
        return tabla[nombre]

    def nueva_ref(self, paso: dict, tabla: dict[str, int]) -> str | None:
        if "ref" not in paso:
            return None
        nombre = self.texto(paso, "ref")
        if nombre in tabla:
            raise EntradaInvalida(f"la ref «{nombre}» ya la usa otro paso.")
        return nombre

    def aplicar(self, paso: dict) -> "servicios.ResultadoTick | None":
        """Play one step; a tick returns its result, which a narrator shows as `tick` would."""
        accion = paso["accion"]
        como = entrada.usuario(self.texto(paso, "como"), "«como»") if "como" in paso else None
        if accion == "crear":
            ref = self.nueva_ref(paso, self.pedidos)
            _, pedido = servicios.crear_pedido(
                self.almacen,
                cliente=entrada.usuario(self.texto(paso, "cliente"), "«cliente»"),
                freelancer=entrada.usuario(self.texto(paso, "freelancer"), "«freelancer»"),
                titulo=entrada.texto_corto(self.texto(paso, "titulo"), "«titulo»"),
                precio_centavos=entrada.centavos(self.texto(paso, "precio"), "«precio»"),
                entrega=self.fecha(paso, "entrega"),
            )
            self.pedidos[ref] = pedido.id
            self.resumen.pedidos += 1
        elif accion in ("entregar", "completar"):
            getattr(servicios, accion)(self.almacen, self.referencia(paso, "pedido", self.pedidos), como)
        elif accion == "abrir":
            self.abrir(paso, como)
        elif accion == "responder":
            respuesta = Respuesta(
                entrada.opcion_de(self.texto(paso, "respuesta"), list(map(str, Respuesta)), "«respuesta»")
            )
            texto = entrada.comentario(self.texto(paso, "texto"), "«texto»") if "texto" in paso else None
            servicios.responder_disputa(
                self.almacen, self.referencia(paso, "disputa", self.disputas), como, respuesta, texto
            )
        elif accion == "revocar":
            comentario = (
                entrada.comentario(self.texto(paso, "comentario"), "«comentario»") if "comentario" in paso else None
            )
            servicios.revocar_disputa(self.almacen, self.referencia(paso, "disputa", self.disputas), como, comentario)
        elif accion == "mensaje":
            texto = entrada.mensaje(self.texto(paso, "texto"), "«texto»")
            servicios.enviar_mensaje(self.almacen, self.referencia(paso, "pedido", self.pedidos), como, texto)
        else:
            return self.tick(paso)
        return None

    def tick(self, paso: dict) -> "servicios.ResultadoTick":
        destinos = destinos_tick(paso)
        if len(destinos) > 1:
            raise EntradaInvalida(f"el campo «{destinos[1]}» sobra: usa solo uno de avanzar, at o siguiente.")
        if "siguiente" in paso and not isinstance(paso["siguiente"], bool):
            raise EntradaInvalida("el campo «siguiente» debe ser true o false.")
        if "at" in paso:
            return servicios.tick(self.almacen, hasta=parsear_fecha(self.texto(paso, "at"), self.tz, "el campo «at»"))
        if "avanzar" in paso:
            return servicios.tick(self.almacen, avanzar=parsear_duracion(self.texto(paso, "avanzar"), "«avanzar»"))
        return servicios.tick(self.almacen, siguiente=bool(paso.get("siguiente")))

    def abrir(self, paso: dict, como: str) -> None:
        ref = self.nueva_ref(paso, self.disputas)
        dias = paso.get("extras_dias")
        if dias is not None and (not isinstance(dias, int) or isinstance(dias, bool)):
            raise EntradaInvalida("el campo «extras_dias» debe ser un número entero.")
        solicitud = reglas.Solicitud(
            tipo=TipoDisputa(entrada.opcion_de(self.texto(paso, "tipo"), list(map(str, TipoDisputa)), "«tipo»")),
            motivo=entrada.opcion_de(self.texto(paso, "motivo"), list(MOTIVOS), "«motivo»")
            if "motivo" in paso
            else None,
            comentario=entrada.comentario(self.texto(paso, "comentario"), "«comentario»")
            if "comentario" in paso
            else None,
            nueva_fecha_entrega=self.fecha(paso, "nueva_entrega") if "nueva_entrega" in paso else None,
            extras_centavos=(
                entrada.centavos(self.texto(paso, "extras_precio"), "«extras_precio»")
                if "extras_precio" in paso
                else None
            ),
            extras_descripcion=(
                entrada.texto_corto(
                    self.texto(paso, "extras_descripcion"), "«extras_descripcion»", entrada.MAX_COMENTARIO
                )
                if "extras_descripcion" in paso
                else None
            ),
            extras_dias=entrada.entero(str(dias), "«extras_dias»", 1, entrada.MAX_EXTRAS_DIAS)
            if dias is not None
            else None,
            reembolso_centavos=_importe(self.texto(paso, "importe")) if "importe" in paso else None,
        )
        _, disputa, _ = servicios.abrir_disputa(
            self.almacen, self.referencia(paso, "pedido", self.pedidos), como, solicitud
        )
        if disputa is None:
            return  # the client cancelled a very late order at once: there is no request to name
        if ref is not None:
            self.disputas[ref] = disputa.id
        self.resumen.disputas += 1


def _importe(texto: str) -> int:
    """A partial refund's amount, as `--importe` takes it."""
    return reglas.importe_de_reembolso(entrada.centavos(texto, "«importe»"), "«importe»")


def leer(ruta: str) -> list[dict]:
    """The steps of a data file (a path, `-` for standard input, or a shipped name such as
    «ejemplo»), checked for shape; exit 2 naming the line or the step."""
    archivo = incluidos.datos(ruta)
    try:
        texto = leer_texto(archivo, "El archivo de datos")
    except FileNotFoundError:
        incluidos_ = ", ".join(incluidos.nombres_de_datos())
        raise EntradaInvalida(
            f"No existe el archivo de datos «{ruta}»: comprueba la ruta, o usa uno de los incluidos ({incluidos_})."
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise EntradaInvalida(f"No puedo leer el archivo de datos «{ruta}»: {error_de_lectura(error)}.") from None
    try:
        datos = json.loads(texto)
    except RecursionError:
        raise demasiado_anidado("El archivo de datos", ruta) from None
    except json.JSONDecodeError as error:
        raise EntradaInvalida(
            f"El archivo de datos «{ruta}» no es JSON válido {error_json(error)}. No se ha cargado nada."
        ) from None
    if not isinstance(datos, dict) or datos.get("formato") != FORMATO or not isinstance(datos.get("pasos"), list):
        raise EntradaInvalida(
            f"«{ruta}» no es un archivo de datos de resolucion: debe ser un objeto con "
            f'"formato": "{FORMATO}" y una lista "pasos".'
        )
    for numero, paso in enumerate(datos["pasos"], start=1):
        _comprobar_forma(ruta, numero, paso)
    return datos["pasos"]


def _comprobar_forma(ruta: str, numero: int, paso) -> None:
    problema = forma(paso) if isinstance(paso, dict) else ("accion", "accion")
    if problema is None:
        return
    que, campo = problema
    if que == "accion":
        raise EntradaInvalida(
            f"«{ruta}», paso {numero}: cada paso es un objeto con «accion», una de {', '.join(CAMPOS)}."
        )
    donde = f"«{ruta}», paso {numero} ({paso['accion']})"
    if que == "falta":
        raise EntradaInvalida(f"{donde}: falta el campo «{campo}».")
    raise EntradaInvalida(f"{donde}: el campo «{entrada.limpiar(campo)}» no existe en esta acción.")


def cargar(almacen: Almacen, ruta: str, pasos: list[dict], tz: tzinfo) -> Resumen:
    """Play every step of the data file `ruta` (read with `leer`) in one transaction: the first
    refused step undoes them all."""
    carga = Carga(almacen, tz)
    with almacen.escritura():
        for numero, paso in enumerate(pasos, start=1):
            try:
                carga.aplicar(paso)
            except ResolucionError as error:
                raise EntradaInvalida(
                    f"«{ruta}», paso {numero} ({paso['accion']}): {error.texto(tz)} No se ha cargado nada."
                ) from None
            carga.resumen.pasos += 1
    return carga.resumen
