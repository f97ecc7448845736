#!/bin/sh
# Creates the secret files of the production profile in this folder, once: a file that exists is
# kept (rotating a secret is deliberate work, see docs/operations.md). TLS certificate and key
# come from your certificate authority: copy them to tls_certificate and tls_private_key.
set -eu
cd "$(dirname "$0")"
# The containers run as different users (sigap 10001, Grafana, Prometheus…) and Compose mounts
# secret files with their host permissions: the files are readable by all, and the folder is
# closed to everyone but its owner on the host.
chmod 700 .
umask 022

random() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
create() {  # create NAME VALUE
  if [ -e "$1" ]; then echo "kept     $1"; else printf '%s' "$2" > "$1"; echo "created  $1"; fi
}

create rabbitmq_password "$(random 24)"
create rabbitmq_erlang_cookie "$(random 32)"
create mongo_root_password "$(random 24)"
create mongo_keyfile "$(head -c 756 /dev/urandom | base64 | tr -d '\n')"
create grafana_admin_password "$(random 16)"
create sigap_auth_secret "$(random 32)"
create sigap_pin_pepper "$(random 32)"
create sigap_metrics_token "$(random 24)"
create sigap_rabbitmq_url "amqp://sigap:$(cat rabbitmq_password)@rabbitmq:5672/"
create sigap_mongodb_url \
  "mongodb://sigap-root:$(cat mongo_root_password)@mongo-1:27017,mongo-2:27017,mongo-3:27017/?replicaSet=rs0&authSource=admin"
[ -e tls_certificate ] || echo "missing  tls_certificate (PEM chain; chmod 444)"
[ -e tls_private_key ] || echo "missing  tls_private_key (PEM key; chmod 444)"
