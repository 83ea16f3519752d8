#!/usr/bin/env bash
# Initiates the MongoDB replica set once and waits until it has a writable primary.
# Idempotent: on an initiated set it only waits for the primary, so it is safe in a restarted
# compose stack and as a Helm post-upgrade hook. The Helm chart ships a copy (charts/orders-project/files/).
#
#   MONGO_HOST                  the member to talk to (default mongo:27017)
#   MONGO_REPLICA_SET           the set's name (default rs0)
#   MONGO_MEMBERS               comma-separated member host:port list (default MONGO_HOST)
#   MONGO_INITDB_ROOT_USERNAME  root user (the one the mongo image created on first start)
#   MONGO_INITDB_ROOT_PASSWORD
#   MONGO_INIT_TIMEOUT_S        give up after this long (default 120)
set -euo pipefail

host="${MONGO_HOST:-mongo:27017}"
replica_set="${MONGO_REPLICA_SET:-rs0}"
members="${MONGO_MEMBERS:-$host}"
user="${MONGO_INITDB_ROOT_USERNAME:?MONGO_INITDB_ROOT_USERNAME is not set}"
password="${MONGO_INITDB_ROOT_PASSWORD:?MONGO_INITDB_ROOT_PASSWORD is not set}"
deadline=$((SECONDS + ${MONGO_INIT_TIMEOUT_S:-120}))

mongo() {
  mongosh "mongodb://${host}/?directConnection=true" --quiet \
    --username "$user" --password "$password" --authenticationDatabase admin "$@"
}

wait_for() {
  local what="$1"
  shift
  until "$@"; do
    if ((SECONDS >= deadline)); then
      echo "init-replica: gave up waiting for ${what}" >&2
      exit 1
    fi
    sleep 2
  done
}

answers() { mongo --eval 'db.adminCommand({ ping: 1 }).ok' >/dev/null 2>&1; }
has_primary() { [ "$(mongo --eval 'db.hello().isWritablePrimary' 2>/dev/null)" = "true" ]; }

wait_for "${host} to answer" answers

member_docs=""
index=0
IFS=',' read -ra member_hosts <<<"$members"
for member in "${member_hosts[@]}"; do
  member_docs+="{ _id: ${index}, host: '${member}' },"
  index=$((index + 1))
done

mongo --eval "
  try {
    rs.status();
    print('init-replica: ${replica_set} is already initiated');
  } catch (error) {
    if (error.codeName !== 'NotYetInitialized') throw error;
    rs.initiate({ _id: '${replica_set}', members: [${member_docs}] });
    print('init-replica: initiated ${replica_set} with ${members}');
  }
"

wait_for "a primary in ${replica_set}" has_primary
echo "init-replica: ${replica_set} has a writable primary"
