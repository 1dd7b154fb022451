#!/usr/bin/env bash
# A throwaway PostgreSQL for the sink's tests and bench: initdb into a temporary folder, started on
# a free 127.0.0.1 port with its socket in that folder, fsync on (the default), a random password.
# PostgreSQL refuses to run as root, so as root everything runs as the `postgres` system user
# (created when missing); the `postgresql` apt package is installed when no initdb is found.
#
#   source scripts/ci-postgres.sh     # exports TAPEDECK_TEST_POSTGRES_URL; ci_postgres_stop ends it
#   scripts/ci-postgres.sh start      # prints TAPEDECK_TEST_POSTGRES_URL=… and TAPEDECK_POSTGRES_DIR=…
#   scripts/ci-postgres.sh stop DIR   # stops the server started in DIR and removes DIR
#
# .ci/run sources it and stops it with a trap on EXIT. About 2 s.

ci_postgres_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb > /dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

# Runs a command as the server's owner: `postgres` when we are root, ourselves otherwise.
ci_postgres_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ci_postgres_start() {
  local bin dir port password
  if ! bin=$(ci_postgres_bin); then
    echo "== installing postgresql" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
    bin=$(ci_postgres_bin) || { echo "ci-postgres: no initdb after installing postgresql" >&2; return 1; }
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres > /dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  dir=$(mktemp -d /tmp/tapedeck-pg.XXXXXX)
  chmod 0755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" > "$dir/pwfile"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir/pwfile"
  chmod 0600 "$dir/pwfile"
  ci_postgres_as_owner "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --no-locale > "$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; return 1; }
  rm -f "$dir/pwfile"
  # A free port: bound by the kernel, released, then taken by the server (a race only with itself).
  port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  ci_postgres_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200" start > /dev/null \
    || { cat "$dir/server.log" >&2; return 1; }
  PGPASSWORD="$password" ci_postgres_as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres tapedeck \
    || return 1
  TAPEDECK_POSTGRES_DIR="$dir"
  TAPEDECK_TEST_POSTGRES_URL="postgres://postgres:$password@127.0.0.1:$port/tapedeck"
  export TAPEDECK_POSTGRES_DIR TAPEDECK_TEST_POSTGRES_URL
}

ci_postgres_stop_dir() {
  local dir=$1 bin
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  bin=$(ci_postgres_bin) && ci_postgres_as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop > /dev/null 2>&1
  rm -rf "$dir"
}

ci_postgres_stop() {
  ci_postgres_stop_dir "${TAPEDECK_POSTGRES_DIR:-}"
  unset TAPEDECK_POSTGRES_DIR TAPEDECK_TEST_POSTGRES_URL
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start)
      ci_postgres_start
      echo "TAPEDECK_TEST_POSTGRES_URL=$TAPEDECK_TEST_POSTGRES_URL"
      echo "TAPEDECK_POSTGRES_DIR=$TAPEDECK_POSTGRES_DIR"
      ;;
    stop) ci_postgres_stop_dir "${2:?usage: ci-postgres.sh stop DIR}" ;;
    *) echo "usage: scripts/ci-postgres.sh start | stop DIR   (or: source scripts/ci-postgres.sh)" >&2; exit 2 ;;
  esac
else
  ci_postgres_start
fi
