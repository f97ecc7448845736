#!/bin/sh
# The edge broker's secrets from files: the Erlang cookie (shared with the uplink job, which
# sets up the shovels with rabbitmqctl) and the password of user "sigap".
set -eu
install -m 600 -o rabbitmq -g rabbitmq /run/secrets/rabbitmq_erlang_cookie /var/lib/rabbitmq/.erlang.cookie
printf '%s\n' '[rabbitmq_management,rabbitmq_shovel,rabbitmq_shovel_management].' > /etc/rabbitmq/enabled_plugins
RABBITMQ_DEFAULT_PASS="$(cat /run/secrets/rabbitmq_password)"
export RABBITMQ_DEFAULT_PASS
exec docker-entrypoint.sh "$@"
