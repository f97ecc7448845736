#!/bin/sh
# Store-and-forward uplink of a clinic's edge node: one dynamic shovel (rabbitmq_shovel plugin)
# per consuming service queue, from the edge broker's queue to the district's queue of the same
# name. The edge's intake publishes to its own broker exactly as at the district, so its queues
# fill while the link is down; each shovel moves its queue's messages to the district once the
# link is back, acknowledging at the edge only after the district confirmed (ack-mode
# on-confirm). Nothing is forwarded by SIGAP code.
#
#   shovels.sh up     # create or update the shovels (idempotent; they persist in the broker)
#   shovels.sh down   # remove them (messages then wait at the edge)
#
# Environment:
#   DISTRICT_URI_FILE  file holding the district's AMQP URI, e.g.
#                      amqps://clinic-mdrj1:<password>@sigap.dinkes.example.id:5671/%2F?heartbeat=30
#                      (default /run/secrets/district_amqp_uri)
#   EDGE_URI           this broker as the shovel sees it, e.g. amqp://sigap:<password>@localhost:5672/
#   EDGE_URI_FILE      or a file holding it (default: EDGE_URI, else amqp:// — a direct connection)
#   EDGE_VHOST         vhost of the edge's queues and of the shovel parameters (default /)
#   SIGAP_AMQP_PREFIX  the queue prefix, the same at the edge and the district (default sigap)
#   RABBITMQCTL        the rabbitmqctl command (default rabbitmqctl)
set -eu

# The services whose queues receive what an edge intake publishes (shared/topology.py
# SUBSCRIPTIONS, all but intake). The district's intake answers tracking: it learns of the
# edge's complaints from the edge's uplink queue (SIGAP_EDGE_UPLINK=true declares it), which
# one more shovel moves into the district's intake queue.
SERVICES="triage notify reporting"

action="${1:-}"
prefix="${SIGAP_AMQP_PREFIX:-sigap}"
vhost="${EDGE_VHOST:-/}"
if [ -z "${EDGE_URI:-}" ] && [ -n "${EDGE_URI_FILE:-}" ]; then EDGE_URI="$(cat "$EDGE_URI_FILE")"; fi
edge_uri="${EDGE_URI:-amqp://}"
ctl="${RABBITMQCTL:-rabbitmqctl}"

case "$action" in
  up)
    district_uri="$(cat "${DISTRICT_URI_FILE:-/run/secrets/district_amqp_uri}")"
    for service in $SERVICES intake; do
      queue="$prefix.$service"
      source="$queue"
      [ "$service" = intake ] && source="$prefix.uplink.intake"
      $ctl -q set_parameter -p "$vhost" shovel "sigap-uplink-$service" \
        "{\"src-uri\": \"$edge_uri\", \"src-queue\": \"$source\",
          \"dest-uri\": \"$district_uri\", \"dest-queue\": \"$queue\",
          \"ack-mode\": \"on-confirm\", \"reconnect-delay\": 10}"
    done
    ;;
  down)
    for service in $SERVICES intake; do
      $ctl -q clear_parameter -p "$vhost" shovel "sigap-uplink-$service" || true
    done
    ;;
  *)
    echo "usage: $0 up|down" >&2
    exit 2
    ;;
esac
