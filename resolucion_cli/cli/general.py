"""Top-level commands: `init` and `bandeja`."""

from .comun import Contexto, comando, opcion, requerir


def registrar(app) -> None:
    @comando(app, "init", "Base de datos y demo")
    def init(
        ctx: Contexto,
        reloj: opcion("Dónde empieza el reloj (ISO 8601); por defecto, ahora.") = None,
        modo_reloj: opcion("simulado (por defecto: solo avanza con tick) o real.") = None,
        datos: opcion("Archivo JSON de datos de ejemplo para cargar.") = None,
    ) -> None:
        """Crea la base de datos o actualiza su esquema (nunca borra datos).

        Ejemplo: resolucion init --reloj 2026-03-02T09:00 --tz Europe/Madrid
        """
        from pathlib import Path

        from .. import carga, entrada, servicios, vista
        from ..reloj import ModoReloj, iso, parsear_fecha

        inicio = parsear_fecha(reloj, ctx.tz(), "la fecha de --reloj") if reloj is not None else None
        modo = (
            ModoReloj(entrada.opcion_de(modo_reloj, list(map(str, ModoReloj)), "--modo-reloj")) if modo_reloj else None
        )
        if datos is not None:
            carga.leer(datos)  # a broken file is refused before the database is even created
        almacen = ctx.almacen(inicio, modo)
        servicios.comprobar_inicio(almacen, inicio, modo)
        resumen = carga.cargar(almacen, datos, ctx.tz()) if datos is not None else None
        ahora, modo_actual = almacen.reloj()
        objeto = {
            "db": str(Path(ctx.db).resolve()),
            "reloj": iso(ahora),
            "modo_reloj": str(modo_actual),
            "version_esquema": almacen.version(),
        }
        verbo = "creada" if almacen.creada else "lista (ya existía; sus datos y su reloj siguen igual)"
        cargado = f"\nDatos cargados: {resumen.pedidos} pedidos y {resumen.disputas} solicitudes." if resumen else ""
        ctx.mostrar(
            lambda: objeto,
            lambda c: c.print(
                f"Base de datos {verbo}: {objeto['db']}\n"
                f"Reloj: {vista.legible(ahora, ctx.tz())} ({modo_actual}) · "
                f"esquema v{objeto['version_esquema']}{cargado}",
                markup=False,
            ),
        )

    @comando(app, "generar", "Base de datos y demo")
    def generar(
        ctx: Contexto,
        pedidos: opcion("Cuántos pedidos crear (1 a 5 000 000).", metavar="N") = None,
        semilla: opcion("Semilla del azar: la misma semilla da los mismos datos.", metavar="S") = None,
    ) -> None:
        """Llena la base con un marketplace sintético para demos y pruebas de carga.

        N pedidos entre unos N/5 usuarios, en todos los estados, con solicitudes abiertas de cada tipo
        en un tercio de ellos que vencen en los próximos 4 días.

        Ejemplo: resolucion generar --pedidos 100000 --semilla 7
        """
        import random

        from .. import entrada, servicios
        from ..generador import MAX_PEDIDOS

        requerir(pedidos=pedidos)
        cuantos = entrada.entero(pedidos, "--pedidos", 1, MAX_PEDIDOS)
        valor = entrada.entero(semilla, "--semilla", 0, 2**63 - 1) if semilla is not None else random.randrange(2**31)
        hechos, abiertas = servicios.generar(ctx.almacen(), cuantos, valor)
        ctx.mostrar(
            lambda: {"pedidos": hechos, "disputas_abiertas": abiertas},
            lambda c: c.print(
                f"Generados {hechos} pedidos con {abiertas} solicitudes abiertas (semilla {valor}: "
                f"«--semilla {valor}» repite estos datos).",
                markup=False,
            ),
        )

    @comando(app, "verificar", "Base de datos y demo")
    def verificar(ctx: Contexto) -> None:
        """Comprueba la integridad del archivo y cada invariante del Centro de resoluciones.

        No escribe nada. Sale con 1 y lista cada problema si encuentra alguno.

        Ejemplo: resolucion verificar --db clase.db
        """
        import typer

        from .. import servicios, vista

        problemas = servicios.verificar(ctx.almacen())
        ctx.mostrar(
            lambda: {"ok": not problemas, "problemas": problemas},
            lambda c: vista.mostrar_verificacion(c, ctx.db, problemas),
        )
        if problemas:
            raise typer.Exit(1)

    @comando(app, "bandeja", "Reloj y mensajes")
    def bandeja(ctx: Contexto) -> None:
        """Muestra los mensajes que recibió el usuario que actúa, del más antiguo al más nuevo.

        Ejemplo: resolucion bandeja --como ana
        """
        from .. import servicios, vista

        como = ctx.exigir_como()
        ahora, mensajes = servicios.bandeja(ctx.almacen(), como)
        ctx.mostrar(
            lambda: {"mensajes": [vista.mensaje_json(m) for m in mensajes]},
            lambda c: vista.mostrar_bandeja(c, como, mensajes, ctx.tz()),
        )
