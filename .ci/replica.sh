#!/usr/bin/env bash
# A streaming replica of the CI PostgreSQL, for the read-replica test: a
# second PostgreSQL 15 server on 127.0.0.1:5433 made with pg_basebackup -R
# from the primary on 127.0.0.1:5432. It replicates the whole cluster, so
# every test database created on the primary appears there shortly after.
#
#   .ci/replica.sh create    (re)create it from a fresh base backup and start it
#   .ci/replica.sh stop      stop it (fast shutdown)
#   .ci/replica.sh start     start it again
#   .ci/replica.sh destroy   stop it and remove its data
#
# `create` exits non-zero with a message when the replica cannot be made
# here (not root or postgres, no PostgreSQL 15 binaries, wal_level minimal);
# .ci/run then runs without it and the replica test skips.
set -euo pipefail

PRIMARY_HOST="${GONGKAI_CI_PRIMARY_HOST:-127.0.0.1}"
PRIMARY_PORT="${GONGKAI_CI_PRIMARY_PORT:-5432}"
PORT="${GONGKAI_CI_REPLICA_PORT:-5433}"
DIR="${GONGKAI_CI_REPLICA_DIR:-/var/tmp/gongkai-replica-$PORT}"
BIN=/usr/lib/postgresql/15/bin

skip() { echo "replica: not created: $*" >&2; exit 1; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then
    "$@"
  elif [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    return 1
  fi
}

primary() { psql -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

stop() {
  if [ -f "$DIR/postmaster.pid" ]; then
    as_postgres "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null
  fi
}

start() {
  as_postgres "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start >/dev/null
}

create() {
  [ -x "$BIN/pg_basebackup" ] && [ -x "$BIN/pg_ctl" ] || skip "no PostgreSQL 15 binaries in $BIN"
  { [ "$(id -un)" = postgres ] || [ "$(id -u)" = 0 ]; } || skip "needs root or the postgres user"
  pg_isready -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -q || skip "the primary on $PRIMARY_HOST:$PRIMARY_PORT does not answer"
  local wal_level senders
  wal_level="$(primary -c 'SHOW wal_level')"
  senders="$(primary -c 'SHOW max_wal_senders')"
  [ "$wal_level" != minimal ] || skip "the primary's wal_level is minimal (needs replica and a restart)"
  [ "$senders" -gt 0 ] || skip "the primary's max_wal_senders is 0 (needs a restart)"
  if [ -f /usr/share/postgresql/15/extension/pg_stat_statements.control ]; then
    # Created on the primary, replicated; only the replica loads the library,
    # so the test can count the statements the replica ran.
    primary -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'
  else
    skip "pg_stat_statements is not installed"
  fi
  # Replication connections match no "all" database line of pg_hba.conf.
  local hba
  hba="$(primary -c 'SHOW hba_file')"
  if ! grep -Eq "^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32" "$hba"; then
    [ -w "$hba" ] || skip "cannot add a replication line to $hba"
    echo "host replication all 127.0.0.1/32 trust" >>"$hba"
    primary -c 'SELECT pg_reload_conf()' >/dev/null
  fi

  stop 2>/dev/null || true
  rm -rf "$DIR"
  mkdir -p "$DIR"
  chown postgres:postgres "$DIR" 2>/dev/null || true
  chmod 700 "$DIR"
  as_postgres pg_basebackup -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$DIR" -R -X stream -c fast \
    || skip "pg_basebackup failed"
  # The Debian primary keeps its configuration outside the data folder; the
  # standby's own. Settings a standby must not set lower than the primary
  # are copied from it.
  local setting
  {
    echo "port = $PORT"
    echo "listen_addresses = '127.0.0.1'"
    echo "unix_socket_directories = '$DIR'"
    echo "hot_standby = on"
    echo "shared_preload_libraries = 'pg_stat_statements'"
    echo "pg_stat_statements.track = top"
    echo "jit = off"
    for setting in max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction; do
      echo "$setting = $(primary -c "SHOW $setting")"
    done
  } | as_postgres tee "$DIR/postgresql.conf" >/dev/null
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' | as_postgres tee "$DIR/pg_hba.conf" >/dev/null
  start || { tail -n 20 "$DIR/server.log" >&2; skip "the replica did not start"; }
  for _ in $(seq 1 30); do
    if [ "$(psql -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qAt -c 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ]; then
      echo "replica: streaming from $PRIMARY_HOST:$PRIMARY_PORT on 127.0.0.1:$PORT ($DIR)"
      return 0
    fi
    sleep 1
  done
  skip "the replica does not answer as a standby"
}

case "${1:-}" in
  create) create ;;
  start) start ;;
  stop) stop ;;
  destroy) stop || true; rm -rf "$DIR" ;;
  *) echo "usage: $0 create|start|stop|destroy" >&2; exit 2 ;;
esac
