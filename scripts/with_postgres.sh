#!/usr/bin/env bash
# with_postgres.sh CMD [ARGS...]
#
# Starts a throw-away PostgreSQL 15 server for tests: a fresh cluster in a
# temporary folder, listening on 127.0.0.1 only on a free TCP port, trust
# authentication, fsync off. Exports
#   MLPIPE_TEST_POSTGRES_URI=postgresql://mlpipe@127.0.0.1:PORT/mlpipe_test
#   MLPIPE_TEST_POSTGRES_PID=the postmaster's pid (benchmarks read the
#                            server's CPU time from /proc)
# runs CMD, then stops the server and removes the folder on every exit path,
# and exits with CMD's status (3 when the server cannot be started). Run as
# root, the server runs as the `postgres` system user (PostgreSQL refuses to
# run as root; MLPIPE_PG_USER overrides); otherwise as the caller. CMD itself
# runs as the caller. A watchdog stops the server even if this script is
# killed with SIGKILL.
# Missing PostgreSQL binaries (looked up in MLPIPE_PG_BIN, default
# /usr/lib/postgresql/15/bin) are an error, never a silent skip.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

PG_BIN="${MLPIPE_PG_BIN:-/usr/lib/postgresql/15/bin}"
for tool in initdb pg_ctl pg_isready psql; do
  if [ ! -x "$PG_BIN/$tool" ]; then
    echo "with_postgres.sh: $PG_BIN/$tool not found; install postgresql-15 (scripts/setup.sh)" >&2
    exit 3
  fi
done

# Run server-side tools as an unprivileged user. setpriv execs (no fork), so
# the postmaster started below is this script's own child.
AS_USER=()
SERVER_USER="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
  SERVER_USER="${MLPIPE_PG_USER:-postgres}"
  if ! id "$SERVER_USER" >/dev/null 2>&1; then
    echo "with_postgres.sh: running as root but there is no '$SERVER_USER' user to run the server" >&2
    exit 3
  fi
  AS_USER=(setpriv "--reuid=$SERVER_USER" "--regid=$(id -g "$SERVER_USER")" --init-groups --)
fi

# As root the folder goes under /tmp, which the server user can always reach.
TMP_PARENT="${TMPDIR:-/tmp}"
if [ "$(id -u)" -eq 0 ]; then TMP_PARENT=/tmp; fi
WORK="$(mktemp -d "$TMP_PARENT/mlpipe-pg.XXXXXX")"
DATA="$WORK/data"
LOG="$WORK/server.log"
PG_PID=""
WATCHDOG_PID=""

stop_server() {
  if [ -n "$PG_PID" ] && kill -0 "$PG_PID" 2>/dev/null; then
    kill -QUIT "$PG_PID" 2>/dev/null || true  # immediate shutdown: the data is thrown away
    wait "$PG_PID" 2>/dev/null || true
  fi
  PG_PID=""
}

# shellcheck disable=SC2317  # called through trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [ -n "$WATCHDOG_PID" ]; then kill -KILL "$WATCHDOG_PID" 2>/dev/null || true; fi
  stop_server
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if [ "$(id -u)" -eq 0 ]; then
  chown "$SERVER_USER" "$WORK"
  chmod 700 "$WORK"
fi

DB_USER=mlpipe
DB_NAME=mlpipe_test
if ! "${AS_USER[@]}" "$PG_BIN/initdb" -D "$DATA" -U "$DB_USER" --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$WORK/initdb.log" 2>&1; then
  echo "with_postgres.sh: initdb failed:" >&2
  cat "$WORK/initdb.log" >&2
  exit 3
fi

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# A port found free may be taken before the server binds it: retry a few times.
PORT=""
for attempt in 1 2 3 4 5; do
  candidate="$(free_port)"
  "${AS_USER[@]}" "$PG_BIN/postgres" -D "$DATA" -c listen_addresses=127.0.0.1 -p "$candidate" \
    -c "unix_socket_directories=$WORK" -c fsync=off -c synchronous_commit=off \
    -c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB \
    >>"$LOG" 2>&1 </dev/null &
  PG_PID=$!
  for _ in $(seq 1 300); do
    if ! kill -0 "$PG_PID" 2>/dev/null; then break; fi
    if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$candidate"; then
      PORT="$candidate"
      break
    fi
    sleep 0.1
  done
  if [ -n "$PORT" ]; then break; fi
  stop_server
  echo "with_postgres.sh: server did not start on port $candidate (attempt $attempt)" >&2
done
if [ -z "$PORT" ]; then
  echo "with_postgres.sh: could not start PostgreSQL; server log:" >&2
  cat "$LOG" >&2 || true
  exit 3
fi

# If this script is killed outright (SIGKILL, no trap runs), stop the server
# and remove the folder anyway.
(
  trap '' INT TERM HUP
  while kill -0 "$$" 2>/dev/null; do sleep 1; done
  kill -QUIT "$PG_PID" 2>/dev/null || true
  sleep 2
  rm -rf "$WORK"
) >/dev/null 2>&1 </dev/null &
WATCHDOG_PID=$!

"$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d postgres \
  -c "CREATE DATABASE $DB_NAME" >/dev/null

export MLPIPE_TEST_POSTGRES_URI="postgresql://$DB_USER@127.0.0.1:$PORT/$DB_NAME"
export MLPIPE_TEST_POSTGRES_PID="$PG_PID"
echo "with_postgres.sh: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at $MLPIPE_TEST_POSTGRES_URI" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
