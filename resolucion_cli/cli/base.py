"""The database's own commands: `init`, `generar` and `verificar`."""

import typer

from ..errores import EntradaInvalida
from .comun import (
    AYUDA,
    BASE,
    COMO,
    DB,
    JSON,
    NO_INTERACTIVO,
    TZ,
    opcion,
    orden,
    registro,
    reglas_conocidas,
    requerir,
)
from .progreso import progreso

app = typer.Typer()


def _plazo(texto: str):
    """`cancelacion=24h` -> (TipoDisputa.CANCELACION, 24 hours), for `init --plazo`."""
    from .. import entrada
    from ..modelo import TipoDisputa
    from ..reloj import parsear_duracion

    tipo, igual, duracion = texto.partition("=")
    if not igual:
        raise EntradaInvalida(
            f"--plazo «{entrada.limpiar(texto)}» debe ser TIPO=DURACION, por ejemplo cancelacion=24h."
        )
    tipo = TipoDisputa(entrada.opcion_de(tipo, list(map(str, TipoDisputa)), "El tipo de --plazo"))
    return tipo, parsear_duracion(duracion, "la duración de --plazo")


@app.command("init", **registro("Base de datos y demo"))
def init(
    reloj: opcion("Dónde empieza el reloj (ISO 8601); por defecto, ahora.", metavar="FECHA") = None,
    modo_reloj: opcion(
        "simulado (por defecto: solo avanza con tick) o real.",
        metavar="simulado|real",
        valores=lambda: ("simulado", "real"),
    ) = None,
    datos: opcion(
        "Archivo JSON de datos que cargar, «-» para leerlo de la entrada estándar, o «ejemplo» (el incluido).",
        metavar="ARCHIVO",
    ) = None,
    politica: opcion(
        "Reglas para lo que se abra o entregue desde ahora (las dos, arriba).",
        metavar="REGLAS",
        valores=reglas_conocidas,
    ) = None,
    plazo: opcion(
        "Cambia el plazo de un tipo de solicitud, por ejemplo cancelacion=24h (se puede repetir).",
        list[str] | None,
        "--plazo",
        metavar="TIPO=DURACIÓN",
    ) = None,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Crea la base de datos o actualiza su esquema (nunca borra datos).

    En una base que ya existe, --politica y --plazo cambian las reglas solo para las
    solicitudes que se abran a partir de ahora: cada solicitud guarda las suyas.

    Reglas (--politica): clasica (por defecto) o aceptacion-automatica.

    Ejemplo: resolucion init --reloj 2026-03-02T09:00 --tz Europe/Madrid
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        from .. import carga, entrada, servicios, vista
        from ..reglas import POLITICAS
        from ..reloj import ModoReloj, iso, parsear_fecha

        inicio = parsear_fecha(reloj, ctx.tz(), "la fecha de --reloj") if reloj is not None else None
        modo = (
            ModoReloj(entrada.opcion_de(modo_reloj, list(map(str, ModoReloj)), "--modo-reloj")) if modo_reloj else None
        )
        reglas_pedidas = entrada.opcion_de(politica, list(POLITICAS), "--politica") if politica is not None else None
        plazos = dict(_plazo(texto) for texto in plazo or [])
        # Read once (it may be standard input), and refused if broken before the database exists.
        pasos = carga.leer(datos) if datos is not None else None
        almacen = ctx.almacen(inicio, modo, crear=True)
        servicios.comprobar_inicio(almacen, inicio, modo)
        reglas_vigentes = servicios.fijar_politica(almacen, reglas_pedidas, plazos)
        resumen = carga.cargar(almacen, datos, pasos, ctx.tz()) if pasos is not None else None
        ahora, modo_actual = almacen.reloj()
        objeto = {
            "db": ctx.db_absoluta(),
            "reloj": iso(ahora),
            "modo_reloj": str(modo_actual),
            "version_esquema": almacen.version(),
            "politica": reglas_vigentes,
        }
        verbo = "creada" if almacen.creada else "lista (ya existía; sus datos y su reloj siguen igual)"
        cargado = f"\nDatos cargados: {resumen.pedidos} pedidos y {resumen.disputas} solicitudes." if resumen else ""
        ctx.mostrar(
            lambda: objeto,
            lambda c: c.print(
                vista.parrafo(
                    f"Base de datos {verbo}: {objeto['db']}\n"
                    f"Reloj: {vista.legible(ahora, ctx.tz())} ({modo_actual}) · "
                    f"esquema v{objeto['version_esquema']} · reglas «{reglas_vigentes}»{cargado}"
                )
            ),
            cabecera=False,
        )


@app.command("generar", **registro("Base de datos y demo"))
def generar(
    pedidos: opcion("Cuántos pedidos crear (1 a 5 000 000).", metavar="N") = None,
    semilla: opcion(
        "Semilla del azar: la misma semilla da los mismos datos.", str | None, "--semilla", metavar="SEMILLA"
    ) = None,
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Llena la base con un marketplace sintético para demos y pruebas de carga.

    N pedidos entre unos N/5 usuarios, en todos los estados, con solicitudes abiertas de cada tipo
    en un tercio de ellos que vencen en los próximos 4 días.

    Ejemplo: resolucion generar --pedidos 100000 --semilla 7
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        import random

        from .. import entrada, servicios
        from ..generador import MAX_PEDIDOS

        requerir(pedidos=pedidos)
        cuantos = entrada.entero(pedidos, "--pedidos", 1, MAX_PEDIDOS)
        valor = entrada.entero(semilla, "--semilla", 0, 2**63 - 1) if semilla is not None else random.randrange(2**31)
        with progreso(ctx) as barra:
            hechos, abiertas = servicios.generar(ctx.almacen(), cuantos, valor, barra)
        ctx.mostrar(
            lambda: {"pedidos": hechos, "disputas_abiertas": abiertas},
            lambda c: c.print(
                f"Generados {hechos} pedidos con {abiertas} solicitudes abiertas (semilla {valor}: "
                f"«--semilla {valor}» repite estos datos).",
                markup=False,
            ),
        )


@app.command("verificar", **registro("Base de datos y demo"))
def verificar(
    db: DB = BASE,
    como: COMO = None,
    json_: JSON = False,
    tz: TZ = None,
    no_interactivo: NO_INTERACTIVO = False,
    _ayuda: AYUDA = False,
) -> None:
    """Comprueba la integridad del archivo y cada invariante del Centro de resoluciones.

    No escribe nada. Sale con 1 y lista cada problema si encuentra alguno.

    Ejemplo: resolucion verificar --db clase.db
    """
    with orden(db, como, json_, tz, no_interactivo) as ctx:
        import typer

        from .. import servicios, vista

        with progreso(ctx) as barra:
            problemas = servicios.verificar(ctx.almacen(), ctx.tz(), barra)
        ctx.mostrar(
            lambda: {"ok": not problemas, "problemas": problemas},
            lambda c: vista.mostrar_verificacion(
                c, ctx.db_absoluta() if ctx.servidor() else ctx.db, problemas, ctx.servidor()
            ),
            cabecera=False,
        )
        if problemas:
            raise typer.Exit(1)
