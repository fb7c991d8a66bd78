"""Random use of the services (hypothesis) keeps every invariant of the database."""

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resolucion_cli import entrada, reglas, servicios
from resolucion_cli.almacen import Almacen
from resolucion_cli.errores import ResolucionError
from resolucion_cli.modelo import MOTIVOS, Respuesta, Rol, TipoDisputa
from tests.conftest import T0
from tests.hostil import volcado

# --- 7. random use of the services keeps every invariant --------------------------------

USUARIOS = ["ana", "beto", "carla", "dario"]
# Who acts, relative to the order (or to the request) the action names: a party or a stranger.
quien_pedido = st.sampled_from(["cliente", "freelancer", "ajeno"])
quien_disputa = st.sampled_from(["recibe", "abre", "ajeno"])
# Orders and requests are named by position among those that exist (-1: one that does not).
pedido_ref = st.integers(-1, 20)
disputa_ref = st.integers(-1, 20)
disputa_reciente = st.integers(0, 2)
texto = st.none() | st.sampled_from(["Hecho", "Ya no lo necesito", "[bold]x[/bold]"])
fecha = st.integers(-5 * 24, 40 * 24).map(lambda h: T0 + timedelta(hours=h))

solicitud_al_azar = st.builds(
    reglas.Solicitud,
    tipo=st.sampled_from(list(TipoDisputa)),
    motivo=st.none() | st.sampled_from(list(MOTIVOS)),
    comentario=texto,
    nueva_fecha_entrega=st.none() | fecha,
    extras_centavos=st.none() | st.integers(1, entrada.MAX_CENTAVOS),
    extras_descripcion=st.none() | st.just("Una revisión"),
    extras_dias=st.none() | st.integers(1, entrada.MAX_EXTRAS_DIAS),
)


@st.composite
def solicitud_coherente(draw, tipo=None):
    """Options that fit the type (the role may still be wrong)."""
    tipo = tipo or draw(st.sampled_from(list(TipoDisputa)))
    if tipo == TipoDisputa.ACTUALIZACION:
        return reglas.Solicitud(tipo, comentario=draw(texto))
    if tipo == TipoDisputa.CANCELACION:
        return reglas.Solicitud(tipo, motivo=draw(st.none() | st.sampled_from(list(MOTIVOS))), comentario="Motivo")
    if tipo == TipoDisputa.PRORROGA:
        return reglas.Solicitud(tipo, nueva_fecha_entrega=T0 + timedelta(days=draw(st.integers(20, 400))))
    return reglas.Solicitud(
        tipo,
        extras_centavos=draw(st.integers(1, 10**6)),
        extras_descripcion="Una revisión",
        extras_dias=draw(st.none() | st.integers(1, 10)),
    )


@st.composite
def apertura_valida(draw):
    """A role and a request that role may open, with the options its type needs."""
    quien = draw(st.sampled_from(["cliente", "freelancer"]))
    tipo = draw(st.sampled_from(list(reglas.ACCIONES[Rol(quien)])))
    if tipo == TipoDisputa.ACTUALIZACION:
        return quien, reglas.Solicitud(tipo, comentario=draw(texto))
    if tipo == TipoDisputa.CANCELACION:
        motivo = draw(st.sampled_from(list(MOTIVOS))) if quien == "freelancer" else None
        return quien, reglas.Solicitud(tipo, motivo=motivo, comentario="Motivo")
    return quien, draw(solicitud_coherente(tipo))


apertura = st.one_of(
    apertura_valida(),
    apertura_valida(),
    st.tuples(quien_pedido, st.one_of(solicitud_coherente(), solicitud_al_azar)),
)

acciones = st.one_of(
    # The actions that make requests come more often, and often by the right party,
    # so that sequences reach answers, revocations and expiries, not only refusals.
    st.tuples(st.just("crear"), st.permutations(USUARIOS[:3]), st.integers(1, 10**8), st.integers(-3, 30)),
    st.tuples(st.just("crear_mismo"), st.sampled_from(USUARIOS)),
    st.tuples(st.just("entregar"), pedido_ref, quien_pedido),
    st.tuples(st.just("entregar"), pedido_ref, st.just("freelancer")),
    st.tuples(st.just("completar"), pedido_ref, quien_pedido),
    st.tuples(st.just("completar"), pedido_ref, st.just("cliente")),
    st.tuples(st.just("abrir"), pedido_ref, apertura),
    st.tuples(st.just("abrir"), pedido_ref, apertura),
    st.tuples(st.just("abrir"), pedido_ref, apertura),
    st.tuples(st.just("responder"), disputa_ref, quien_disputa,
              st.sampled_from(["la que encaja", "la que encaja", *Respuesta]), texto),
    st.tuples(st.just("responder"), disputa_reciente, st.just("recibe"),
              st.sampled_from(["la que encaja", Respuesta.RECHAZAR]), texto),
    st.tuples(st.just("revocar"), disputa_ref, quien_disputa, texto),
    st.tuples(st.just("revocar"), disputa_reciente, st.just("abre"), texto),
    st.tuples(st.just("tick"), st.sampled_from(["avanzar", "hasta", "siguiente", "ahora"]),
              st.integers(-5, 120), st.booleans()),
    st.tuples(st.just("ver"), pedido_ref, st.none() | quien_pedido),
    st.tuples(st.just("bandeja"), st.sampled_from(USUARIOS)),
)  # fmt: skip


def _ajeno(*partes: str) -> str:
    return next(u for u in USUARIOS if u not in partes)


def _pedido_id(almacen: Almacen, ref: int) -> int:
    (cuantos,) = almacen.conexion.execute("SELECT count(*) FROM pedidos").fetchone()
    return 999 if ref < 0 or not cuantos else 1 + ref % cuantos


def _usuario_del_pedido(almacen: Almacen, id: int, quien: str) -> str:
    pedido = almacen.pedido(id)
    if quien in USUARIOS or pedido is None:
        return quien if quien in USUARIOS else "ana"
    return {"cliente": pedido.cliente, "freelancer": pedido.freelancer}.get(quien) or _ajeno(
        pedido.cliente, pedido.freelancer
    )


def _disputa(almacen: Almacen, ref: int, quien: str):
    """The request named by `ref` (newest first), the user `quien` stands for, and the request."""
    (ultima,) = almacen.conexion.execute("SELECT coalesce(max(id), 0) FROM disputas").fetchone()
    disputa = almacen.disputa(ultima - ref % ultima) if ref >= 0 and ultima else None
    if disputa is None:
        return 999, quien if quien in USUARIOS else "ana", None
    if quien in USUARIOS:
        return disputa.id, quien, disputa
    pedido = almacen.pedido(disputa.pedido)
    como = {"abre": disputa.abierta_por, "recibe": disputa.destinatario}.get(quien) or _ajeno(
        pedido.cliente, pedido.freelancer
    )
    return disputa.id, como, disputa


def _hacer(almacen: Almacen, accion: tuple) -> bool:
    """Run one action; True if it must not change anything (a read or a simulation)."""
    nombre, *resto = accion
    if nombre == "crear":
        (cliente, freelancer, _), precio, dias = resto
        servicios.crear_pedido(almacen, cliente, freelancer, "Pedido", precio, timedelta(days=dias))
    elif nombre == "crear_mismo":
        servicios.crear_pedido(almacen, resto[0], resto[0], "Pedido", 100, timedelta(days=3))
    elif nombre in ("entregar", "completar"):
        ref, quien = resto
        id = _pedido_id(almacen, ref)
        getattr(servicios, nombre)(almacen, id, _usuario_del_pedido(almacen, id, quien))
    elif nombre == "abrir":
        ref, (quien, solicitud) = resto
        id = _pedido_id(almacen, ref)
        servicios.abrir_disputa(almacen, id, _usuario_del_pedido(almacen, id, quien), solicitud)
    elif nombre == "responder":
        ref, quien, respuesta, comentario = resto
        id, como, disputa = _disputa(almacen, ref, quien)
        if respuesta == "la que encaja":
            encaja = disputa is not None and disputa.tipo == TipoDisputa.ACTUALIZACION
            respuesta = Respuesta.ACTUALIZACION if encaja else Respuesta.ACEPTAR
        servicios.responder_disputa(almacen, id, como, respuesta, comentario)
    elif nombre == "revocar":
        ref, quien, comentario = resto
        id, como, _ = _disputa(almacen, ref, quien)
        servicios.revocar_disputa(almacen, id, como, comentario)
    elif nombre == "tick":
        modo, horas, simular = resto
        ahora = almacen.reloj()[0]
        destino = {
            "avanzar": {"avanzar": timedelta(hours=horas)} if horas > 0 else {},
            "hasta": {"hasta": ahora + timedelta(hours=horas)},
            "siguiente": {"siguiente": True},
            "ahora": {},
        }[modo]
        servicios.tick(almacen, simular=simular, **destino)
        return simular
    elif nombre == "ver":
        ref, quien = resto
        id = _pedido_id(almacen, ref)
        servicios.ver_pedido(almacen, id, _usuario_del_pedido(almacen, id, quien) if quien else None)
        return True
    elif nombre == "bandeja":
        servicios.bandeja(almacen, resto[0])
        return True
    return False


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pasos=st.lists(acciones, min_size=10, max_size=40))
def test_any_sequence_of_service_calls_succeeds_or_refuses_cleanly_and_keeps_every_invariant(tmp_path_factory, pasos):
    almacen = Almacen.abrir(tmp_path_factory.mktemp("azar") / "azar.db", T0)
    try:
        for cliente, freelancer in (("ana", "beto"), ("carla", "beto"), ("ana", "carla")):
            servicios.crear_pedido(almacen, cliente, freelancer, "Inicial", 10000, timedelta(days=5))
        for numero, accion in enumerate(pasos):
            antes = volcado(almacen.ruta)
            try:
                sin_cambios = _hacer(almacen, accion)
            except ResolucionError:
                sin_cambios = True
            # A refusal, a read or a simulation changes nothing: every tick fires what is due,
            # so a read never has an expiry to write.
            if sin_cambios:
                assert volcado(almacen.ruta) == antes, (numero, accion)
            assert not almacen.conexion.in_transaction, (numero, accion)
            assert almacen.problemas() == [], (numero, accion)
    finally:
        almacen.cerrar()
