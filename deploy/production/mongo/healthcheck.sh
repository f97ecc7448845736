#!/bin/sh
# Healthcheck of mongo-1: initiates replica set rs0 with the three members on first start (as the
# root user created from the secret), and is healthy only once the set has a writable primary.
set -eu
exec mongosh --quiet --host 127.0.0.1 -u sigap-root -p "$(cat /run/secrets/mongo_root_password)" \
  --authenticationDatabase admin --file /opt/sigap/replica-set.js
