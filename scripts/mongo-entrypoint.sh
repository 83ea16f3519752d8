#!/usr/bin/env bash
# mongod refuses a keyfile that others can read or that another user owns, and a bind-mounted or
# secret file keeps the host's owner and mode; so install a private copy, then hand over to the
# mongo image's own entrypoint (which creates the root user on first start and drops privileges).
set -euo pipefail
source_keyfile="${MONGO_KEYFILE_SOURCE:-/run/secrets/mongo-keyfile}"
keyfile="${MONGO_KEYFILE:-/data/keyfile}"
install -m 0400 -o mongodb -g mongodb "$source_keyfile" "$keyfile"
exec docker-entrypoint.sh "$@"
