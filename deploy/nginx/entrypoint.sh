#!/bin/sh
# Renders nginx.conf.template from the environment into NGINX_RUNTIME_DIR and execs nginx in the
# foreground; extra arguments go to nginx (e.g. -t to only check the configuration).
# Every ${NAME} in the template must be set: a missing one stops here with its name, not inside nginx.
set -eu
template="${NGINX_TEMPLATE:-/etc/nginx/pizza/nginx.conf.template}"
runtime="${NGINX_RUNTIME_DIR:?NGINX_RUNTIME_DIR is not set}"

names=$(grep -o '\${[A-Z_][A-Z0-9_]*}' "$template" | sort -u)
for ref in $names; do
  name=${ref#??}
  name=${name%?}
  eval "value=\${$name:-}"
  if [ -z "$value" ]; then
    echo "nginx entrypoint: $name is not set" >&2
    exit 1
  fi
done

mkdir -p "$runtime"
# shellcheck disable=SC2086 # one argument listing the names: envsubst leaves every other $ alone
envsubst "$(echo $names)" <"$template" >"$runtime/nginx.conf"
exec nginx -e stderr -p "$runtime/" -c "$runtime/nginx.conf" -g 'daemon off;' "$@"
