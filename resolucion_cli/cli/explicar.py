"""`resolucion explicar`: each step of a request, the rule behind it and the text it comes from."""

from .. import entrada
from .comun import Contexto, argumento, comando


def registrar(app) -> None:
    @comando(app, "explicar", "Pedidos y solicitudes")
    def explicar(ctx: Contexto, id: argumento("Número de la solicitud.", "SOLICITUD")) -> None:
        """Explica una solicitud: qué le pasó, cuándo, quién actuó y qué regla se aplicó.

        Cada paso (abierta, respondida, aceptada, rechazada, revocada, vencida) muestra la regla
        de las reglas con las que se abrió la solicitud y la frase de la página de ayuda de la que
        sale. Con --como, solo el cliente o el freelancer del pedido pueden verla.

        Ejemplo: resolucion explicar 1 --como ana
        """
        from .. import servicios, vista

        numero = entrada.identificador(id, "solicitud")
        ahora, explicacion = servicios.explicar_disputa(ctx.almacen(), numero, ctx.como)
        ctx.mostrar(
            lambda: vista.explicacion_json(explicacion),
            lambda c: vista.mostrar_explicacion(c, explicacion, ahora, ctx.tz()),
        )
