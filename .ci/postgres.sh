#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for tests and the load test.
#
#   .ci/postgres.sh start DIR [PORT]   initdb + start; prints the DATABASE_URL to use
#   .ci/postgres.sh stop DIR           fast shutdown (safe to call twice or on a dead cluster)
#
# Runs the server as the `postgres` user (it refuses to run as root), trusts local
# connections only (listen_addresses=127.0.0.1, socket inside DIR) and creates the role
# `ladder` with CREATEDB, because pytest-django creates and drops the test database.
set -euo pipefail

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$dir" ]; then
        echo "postgres.sh: no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql)" >&2
        exit 1
    fi
    echo "$dir"
}

as_postgres() {
    if [ "$(id -un)" = postgres ]; then
        bash -c "$1"
    else
        su postgres -s /bin/bash -c "$1"
    fi
}

command=${1:-}
dir=${2:-}
port=${3:-54329}
if [ -z "$command" ] || [ -z "$dir" ]; then
    echo "usage: $0 start|stop DIR [PORT]" >&2
    exit 2
fi

case "$command" in
start)
    bin=$(pg_bin)
    mkdir -p "$dir"
    chown postgres: "$dir"
    chmod 700 "$dir"
    as_postgres "'$bin/initdb' -D '$dir/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # fsync off: a throwaway cluster trades durability on power loss for speed.
    as_postgres "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 60 \
        -o \"-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=off -c max_connections=200\" start" \
        >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_postgres "'$bin/psql' -h 127.0.0.1 -p $port -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c \"CREATE ROLE ladder LOGIN CREATEDB PASSWORD 'ladder'\" -c \"CREATE DATABASE ladder OWNER ladder\"" >&2
    echo "postgres://ladder:ladder@127.0.0.1:$port/ladder"
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        bin=$(pg_bin)
        as_postgres "'$bin/pg_ctl' -D '$dir/data' -m fast -w -t 60 stop" >/dev/null || true
    fi
    ;;
*)
    echo "usage: $0 start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
