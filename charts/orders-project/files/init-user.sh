#!/usr/bin/env bash
# Creates (or updates the password of) the application's MongoDB user with readWrite on MONGO_DB.
# Idempotent; runs as a Helm hook after init-replica.sh, connecting as the root user.
#
#   MONGO_HOST, MONGO_REPLICA_SET, MONGO_INITDB_ROOT_USERNAME, MONGO_INITDB_ROOT_PASSWORD  (as init-replica.sh)
#   MONGO_DB, MONGO_APP_USER, MONGO_APP_PASSWORD
set -euo pipefail
: "${MONGO_DB:?MONGO_DB is not set}" "${MONGO_APP_USER:?MONGO_APP_USER is not set}"
: "${MONGO_APP_PASSWORD:?MONGO_APP_PASSWORD is not set}"

mongosh "mongodb://${MONGO_HOST:-mongo:27017}/?replicaSet=${MONGO_REPLICA_SET:-rs0}" --quiet \
  --username "${MONGO_INITDB_ROOT_USERNAME:?}" --password "${MONGO_INITDB_ROOT_PASSWORD:?}" \
  --authenticationDatabase admin --eval '
    const { MONGO_DB, MONGO_APP_USER, MONGO_APP_PASSWORD } = process.env;
    const target = db.getSiblingDB(MONGO_DB);
    const roles = [{ role: "readWrite", db: MONGO_DB }];
    if (target.getUser(MONGO_APP_USER)) {
      target.updateUser(MONGO_APP_USER, { pwd: MONGO_APP_PASSWORD, roles });
      print(`init-user: updated ${MONGO_APP_USER} on ${MONGO_DB}`);
    } else {
      target.createUser({ user: MONGO_APP_USER, pwd: MONGO_APP_PASSWORD, roles });
      print(`init-user: created ${MONGO_APP_USER} on ${MONGO_DB}`);
    }
  '
