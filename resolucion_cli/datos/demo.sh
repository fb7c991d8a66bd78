#!/usr/bin/env bash
# La demo de resolucion: una historia completa del Centro de resoluciones con los comandos
# públicos. Cada tipo de solicitud y cada forma de terminar (respondida, aceptada, rechazada,
# revocada, vencida), con `tick` disparando cada plazo.
#
#   bash sample_data/demo.sh                       # en una base temporal nueva
#   RESOLUCION_DB=/tmp/clase.db bash sample_data/demo.sh   # en una base nueva que se conserva
#
# `resolucion demo` reproduce este mismo archivo, narrado. Una línea que termina en
# `|| true` es un rechazo que la historia espera (el comando debe fallar).
set -euo pipefail
if [[ -z "${RESOLUCION_DB:-}" ]]; then
    RESOLUCION_DB="$(mktemp -d)/demo.db"
fi
export RESOLUCION_DB
export RESOLUCION_TZ="${RESOLUCION_TZ:-UTC}"
narrar() { printf '\n== %s\n\n' "$*"; }

# --- historia ---
narrar "Lunes 2 de marzo, 09:00. Abrimos el marketplace con el reloj simulado parado en ese instante."
resolucion init --reloj 2026-03-02T09:00Z
narrar "Cuatro pedidos: ana y carla son clientes; beto y dario, freelancers."
resolucion pedido crear --cliente ana --freelancer beto --titulo "Logo para la cafetería" --precio 150 --entrega 5d
resolucion pedido crear --cliente carla --freelancer dario --titulo "Traducción del catálogo" --precio 320,50 --entrega 3d
resolucion pedido crear --cliente ana --freelancer dario --titulo "Landing page" --precio 480 --entrega 7d
resolucion pedido crear --cliente carla --freelancer beto --titulo "Ilustraciones para redes" --precio 200 --entrega 4d
resolucion pedido listar

narrar "1. ana pide una actualización del pedido 1: beto tiene 48 horas para contestar."
resolucion disputa abrir 1 --como ana --tipo actualizacion --comentario "¿Cómo va el logo?"
resolucion pedido ver 1
narrar "Pasan 5 horas y beto envía la actualización: la solicitud queda respondida y el pedido vuelve a Activo."
resolucion tick --avanzar 5h
resolucion disputa responder 1 --como beto --actualizacion "Voy por el 80 %: mañana te mando dos propuestas."
resolucion bandeja --como ana

narrar "2. beto entrega el pedido 1; ana pide otra actualización y esta vez nadie contesta."
resolucion pedido entregar 1 --como beto
resolucion disputa abrir 1 --como ana --tipo actualizacion
narrar "tick --siguiente lleva el reloj justo al vencimiento: la solicitud vence y el pedido vuelve a Entregado."
resolucion tick --siguiente
resolucion pedido completar 1 --como ana
narrar "Un pedido completado ya no puede usar el Centro de resoluciones: hay que hablar con Atención al cliente."
resolucion disputa abrir 1 --como ana --tipo cancelacion --comentario "Quiero cancelarlo" || true

narrar "3. carla pide cancelar el pedido 2 y dario lo rechaza: el pedido vuelve a Activo."
resolucion disputa abrir 2 --como carla --tipo cancelacion --comentario "Ya no necesito la traducción"
resolucion disputa responder 3 --como dario --rechazar --comentario "Está casi terminada, te la entrego mañana"
narrar "4. dario ofrece extras en el pedido 2 y carla los acepta: sube el precio y la fecha de entrega."
resolucion disputa abrir 2 --como dario --tipo extras --extras-precio 45 --extras-descripcion "Glosario de términos" --extras-dias 2
resolucion disputa responder 4 --como carla --aceptar --comentario "¡Perfecto!"
resolucion pedido ver 2

narrar "5. beto pide a carla que cancele el pedido 4, pero se arrepiente y revoca su solicitud."
resolucion disputa abrir 4 --como beto --tipo cancelacion --motivo fuera_de_alcance --comentario "Me pides 20 ilustraciones y el pedido era de 5"
narrar "Solo quien abrió una solicitud puede revocarla: si carla lo intenta, se le rechaza."
resolucion disputa revocar 5 --como carla || true
narrar "Lo hablan por mensaje: cada texto llega a la bandeja del otro y queda en el historial del pedido."
resolucion mensaje 4 --como carla --texto "Perdona, me expliqué mal: eran 5; las otras 15 las encargo aparte."
resolucion mensaje 4 --como beto --texto "Entendido, sigo con las 5."
resolucion bandeja --como carla
resolucion disputa revocar 5 --como beto --comentario "Lo hablamos por mensaje: sigo con las 5"

narrar "6. dario pide una prórroga del pedido 3 (96 horas para contestar) y, una hora después, carla pide cancelar el pedido 4 (48 horas)."
resolucion disputa abrir 3 --como dario --tipo prorroga --nueva-entrega 2026-03-12T18:00Z --comentario "El cliente cambió el diseño"
resolucion tick --avanzar 1h
resolucion disputa abrir 4 --como carla --tipo cancelacion --comentario "Al final no haré la campaña"
resolucion tick --simular --avanzar 4d
narrar "Nadie contesta. Cuatro días después, tick dispara cada plazo en su orden y en su instante: la cancelación cancela el pedido 4 de mutuo acuerdo; la prórroga caduca sin cambiar la fecha."
resolucion tick --avanzar 4d
resolucion pedido ver 4
resolucion disputa listar
narrar "Así queda el marketplace."
resolucion pedido listar
resolucion bandeja --como carla
