#!/bin/sh
# The replica set's internal key file, from a secret: mongod wants it owned by its user and
# readable by nobody else, which a mounted secret file cannot promise.
set -eu
install -d /etc/mongo
install -m 400 -o mongodb -g mongodb /run/secrets/mongo_keyfile /etc/mongo/keyfile
exec docker-entrypoint.sh "$@"
