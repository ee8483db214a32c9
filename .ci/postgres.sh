#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: a plain process on a loopback port, its data in a temp directory.
#   eval "$(.ci/postgres.sh start)"   # prints export lines: MATRIXTESTER_TEST_POSTGRES (the tests' connection
#                                     # string) and MATRIXTESTER_PG_DIR (what stop needs)
#   .ci/postgres.sh stop              # stops the cluster in $MATRIXTESTER_PG_DIR and deletes its directory
#   .ci/postgres.sh pause|resume      # stops / starts the server of $MATRIXTESTER_PG_DIR, keeping its data
#                                     # (outage tests; run them on a cluster of their own, never the shared one)
# Needs Debian's postgresql package (apt-get install postgresql); the system service is not used.
set -euo pipefail

# MATRIXTESTER_PG_BIN names the folder of initdb and pg_ctl (a folder without them plays a machine without PostgreSQL).
bin=${MATRIXTESTER_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "postgres.sh: PostgreSQL server binaries not found under ${MATRIXTESTER_PG_BIN:-/usr/lib/postgresql/*/bin} (apt-get install postgresql)" >&2
  exit 1
fi

# As root, the server must run as an unprivileged user (PostgreSQL refuses root).
as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

case "${1:-}" in
  start)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/matrixtester-pg.XXXXXX")
    port=${MATRIXTESTER_PG_PORT:-54329}
    while ! port_free "$port"; do port=$((port + 1)); done
    if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$dir"; fi
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # Loopback TCP only; the socket lives in the temp directory so nothing under /var/run is touched.
    options="-k $dir -h 127.0.0.1 -p $port -c fsync=off -c max_connections=200"
    echo "$options" >"$dir/options"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$options" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "export MATRIXTESTER_PG_DIR='$dir'"
    echo "export MATRIXTESTER_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
    ;;
  pause)
    dir=${MATRIXTESTER_PG_DIR:?MATRIXTESTER_PG_DIR is not set (eval the output of start)}
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  resume)
    dir=${MATRIXTESTER_PG_DIR:?MATRIXTESTER_PG_DIR is not set (eval the output of start)}
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$(cat "$dir/options")" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    ;;
  stop)
    dir=${MATRIXTESTER_PG_DIR:?MATRIXTESTER_PG_DIR is not set (eval the output of start)}
    if [ -d "$dir/data" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop|pause|resume" >&2
    exit 2
    ;;
esac
