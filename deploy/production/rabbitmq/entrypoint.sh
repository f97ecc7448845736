#!/bin/sh
# Secrets of a RabbitMQ node, from files: the Erlang cookie that lets the three nodes cluster
# (Erlang insists on a file readable by its owner only) and the password of user "sigap".
set -eu
install -d -o rabbitmq -g rabbitmq /var/lib/rabbitmq
install -m 600 -o rabbitmq -g rabbitmq /run/secrets/rabbitmq_erlang_cookie /var/lib/rabbitmq/.erlang.cookie
install -m 644 /opt/sigap/rabbitmq.conf /etc/rabbitmq/rabbitmq.conf
install -m 644 /opt/sigap/enabled_plugins /etc/rabbitmq/enabled_plugins
RABBITMQ_DEFAULT_PASS="$(cat /run/secrets/rabbitmq_password)"
export RABBITMQ_DEFAULT_PASS
exec docker-entrypoint.sh "$@"
