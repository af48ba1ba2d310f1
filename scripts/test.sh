#!/usr/bin/env bash
# shellcheck disable=SC2317 # cleanup, on_signal and what they call run from traps
# THE test command of CalMiner.
#
#   bash scripts/test.sh [dotnet test arguments...]
#
# Data tests run against a real PostgreSQL and a real Redis, never mocks. So that the command
# works the same on a developer's machine and in CI, with nothing running beforehand, it:
#   1. installs what the tests need when it is missing (as root): the PostgreSQL and Redis
#      servers, headless LibreOffice Calc, Node.js and npm (see ensure_packages_installed);
#   2. starts a throwaway PostgreSQL cluster and a throwaway Redis on free ports of 127.0.0.1,
#      with all their files in one temporary folder;
#   3. copies the working tree (every file git tracks or would track, local changes included, no
#      build output) into that folder, with nothing beside it, so that a test reading a file the
#      repository does not hold fails here as it would on a user's fresh clone, and installs the
#      OpenAPI linter there;
#   4. exports where the servers are (see export_environment) and, in the copy, runs
#      `dotnet test CalMiner.sln -c Release`, then, for a whole run, the core's tests again without
#      AVX-512 and without AVX2;
#   5. always stops both servers and removes the folder: on success, failure, Ctrl-C or TERM.
# The exit code is dotnet test's (130 / 143 when interrupted).
#
# Tests that need to stop and restart Redis get CALMINER_REDIS_SERVER_BIN and CALMINER_REDIS_DIR;
# "$CALMINER_REDIS_SERVER_BIN" "$CALMINER_REDIS_DIR/redis.conf" starts it again on the same port.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly READY_TIMEOUT_SECONDS=30
readonly DB_NAME=calminer_test
readonly DB_USER=calminer

WORK_DIR=""       # the temporary folder holding both servers' files and the copy of the repository
TEST_ROOT=""      # the copy of the repository that the tests run in
PG_BIN=""         # /usr/lib/postgresql/<version>/bin
PG_DATA=""
PG_SOCKET_DIR=""
PG_PORT=""
PG_LOG=""
DB_PASSWORD=""
PG_STARTED=false
REDIS_SERVER=""
REDIS_CLI=""
REDIS_DIR=""
REDIS_PORT=""
REDIS_STARTED=false
TEST_PID=""
TEST_ENV=""

log() { printf '[test.sh] %s\n' "$*" >&2; }
die() { printf '[test.sh] error: %s\n' "$*" >&2; exit 1; }

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# PostgreSQL refuses to run as root, so as root its programs run as the `postgres` user that
# the Debian package creates. From inside WORK_DIR, because that user may not be allowed to
# enter the caller's working directory (e.g. /root/...).
as_postgres() {
  if is_root; then
    (cd "$WORK_DIR" && runuser -u postgres -- "$@")
  else
    (cd "$WORK_DIR" && "$@")
  fi
}

find_postgres_bin() {
  # Debian installs the server per major version, outside PATH; take the newest one.
  local dirs=(/usr/lib/postgresql/*/bin) dir
  dir="$(printf '%s\n' "${dirs[@]}" | sort -V | tail -n 1)"
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
    PG_BIN="$dir"
  fi
}

find_redis_bin() {
  REDIS_SERVER="$(command -v redis-server || true)"
  REDIS_CLI="$(command -v redis-cli || true)"
}

# What the tests need from the system, each as (apt package, the check that it is there):
#   postgresql, redis-server   the throwaway servers;
#   libreoffice-calc-nogui     headless LibreOffice Calc, which recalculates the exported workbooks;
#   nodejs, npm                the OpenAPI linter (tests/openapi, Redocly CLI).
# Whatever is missing is installed in one apt-get run (as root); elsewhere the script stops and
# says what to install.
ensure_packages_installed() {
  find_postgres_bin
  find_redis_bin
  local missing=()
  [[ -n "$PG_BIN" ]] || missing+=(postgresql)
  [[ -n "$REDIS_SERVER" && -n "$REDIS_CLI" ]] || missing+=(redis-server)
  command -v soffice >/dev/null || missing+=(libreoffice-calc-nogui)
  command -v npm >/dev/null || missing+=(nodejs npm)
  if ((${#missing[@]} == 0)); then
    return 0
  fi

  if ! is_root || ! command -v apt-get >/dev/null; then
    die "missing ${missing[*]}: install it first (Debian/Ubuntu: sudo apt-get install --no-install-recommends ${missing[*]}), then run scripts/test.sh again."
  fi
  log "installing ${missing[*]} (apt-get; LibreOffice takes about a minute)"
  # Quiet and non-interactive: CI has no terminal, and a configuration prompt would hang it.
  export DEBIAN_FRONTEND=noninteractive
  # apt's chatter is shown only when it fails.
  local apt_log
  apt_log="$(mktemp)"
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    rm -f "$apt_log"
    die "could not install ${missing[*]} with apt-get"
  fi
  rm -f "$apt_log"
  find_postgres_bin
  find_redis_bin
  [[ -n "$PG_BIN" ]] || die "PostgreSQL server programs not found under /usr/lib/postgresql/*/bin after installing."
  [[ -n "$REDIS_SERVER" && -n "$REDIS_CLI" ]] || die "redis-server / redis-cli not found after installing."
  command -v soffice >/dev/null || die "soffice not found after installing libreoffice-calc-nogui."
  command -v npm >/dev/null || die "npm not found after installing nodejs and npm."
}

# The OpenAPI linter the web tests run, installed in the copy exactly as its package-lock.json pins it
# (npm's own cache makes later installs quick).
install_openapi_linter() {
  log "installing the OpenAPI linter (npm ci --prefix tests/openapi)"
  npm ci --prefix "$TEST_ROOT/tests/openapi" --no-audit --no-fund --loglevel=error >/dev/null \
    || die "npm ci --prefix tests/openapi failed"
}

# A port nobody listens on. Chosen below the kernel's ephemeral range (32768+ by default) so an
# outgoing connection cannot take it between this check and the server's bind.
free_port() {
  local port _
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 12000))
    [[ "$port" == "${PG_PORT:-}" ]] && continue
    # A refused connection means the port is free; bash's /dev/tcp needs no extra tool.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "found no free TCP port on 127.0.0.1"
}

# Runs "$@" until it succeeds or READY_TIMEOUT_SECONDS pass.
wait_until() {
  local what="$1"
  shift
  local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      log "$what did not become ready within ${READY_TIMEOUT_SECONDS}s"
      return 1
    fi
    sleep 0.2
  done
}

make_work_dir() {
  WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/calminer-test.XXXXXX")"
  # mktemp makes it private to us; the postgres user must be able to enter it.
  chmod 755 "$WORK_DIR"
  PG_DATA="$WORK_DIR/postgres/data"
  PG_SOCKET_DIR="$WORK_DIR/postgres/socket"
  PG_LOG="$WORK_DIR/postgres/server.log"
  REDIS_DIR="$WORK_DIR/redis"
  mkdir -p "$PG_DATA" "$PG_SOCKET_DIR" "$REDIS_DIR"
  if is_root; then
    chown -R postgres:postgres "$WORK_DIR/postgres"
    runuser -u postgres -- test -w "$PG_DATA" \
      || die "user postgres cannot write to $PG_DATA (is a parent of ${TMPDIR:-/tmp} closed to it? set TMPDIR)"
  fi
}

start_postgres() {
  PG_PORT="$(free_port)"
  log "starting PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
  # Superuser `postgres` is trusted on the private socket only; the tests log in over TCP with
  # a password, as the application does.
  as_postgres "$PG_BIN/initdb" --pgdata="$PG_DATA" --username=postgres \
    --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C --no-sync --no-instructions >"$WORK_DIR/initdb.log" 2>&1 \
    || { cat "$WORK_DIR/initdb.log" >&2; die "initdb failed"; }
  # The cluster is thrown away after the run: durability only costs time here.
  cat >>"$PG_DATA/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  PG_STARTED=true
  as_postgres "$PG_BIN/pg_ctl" start --pgdata="$PG_DATA" --log="$PG_LOG" --no-wait >/dev/null
  if ! wait_until "PostgreSQL" "$PG_BIN/pg_isready" --quiet --host=127.0.0.1 --port="$PG_PORT"; then
    tail -n 20 "$PG_LOG" >&2 || true
    die "PostgreSQL did not start"
  fi

  DB_PASSWORD="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  # CREATEDB so that tests may make databases of their own next to calminer_test.
  as_postgres "$PG_BIN/psql" --quiet --no-psqlrc --host="$PG_SOCKET_DIR" --port="$PG_PORT" \
    --username=postgres --dbname=postgres --set=ON_ERROR_STOP=1 >/dev/null <<EOF
CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
CREATE DATABASE $DB_NAME OWNER $DB_USER;
EOF
}

start_redis() {
  REDIS_PORT="$(free_port)"
  log "starting Redis $("$REDIS_SERVER" --version | grep -o 'v=[^ ]*' | cut -d= -f2) on 127.0.0.1:$REDIS_PORT"
  # A config file rather than flags, so that a test can restart the same server with it.
  # No RDB snapshots and no AOF: nothing of a test run is worth keeping.
  cat >"$REDIS_DIR/redis.conf" <<EOF
bind 127.0.0.1
port $REDIS_PORT
dir "$REDIS_DIR"
daemonize yes
pidfile "$REDIS_DIR/redis.pid"
logfile "$REDIS_DIR/redis.log"
save ""
appendonly no
EOF
  REDIS_STARTED=true
  "$REDIS_SERVER" "$REDIS_DIR/redis.conf"
  if ! wait_until "Redis" "$REDIS_CLI" -h 127.0.0.1 -p "$REDIS_PORT" ping; then
    tail -n 20 "$REDIS_DIR/redis.log" >&2 || true
    die "Redis did not start"
  fi
}

copy_repository() {
  TEST_ROOT="$WORK_DIR/clone/$(basename "$REPO_ROOT")"
  mkdir -p "$TEST_ROOT"
  log "copying the working tree to $TEST_ROOT"
  if git -C "$REPO_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # --ignore-failed-read: a tracked file deleted in the working tree is simply not copied.
    (cd "$REPO_ROOT" && git ls-files -z --cached --others --exclude-standard) \
      | tar -C "$REPO_ROOT" --null --files-from=- --ignore-failed-read -cf - 2>/dev/null \
      | tar -C "$TEST_ROOT" -xf -
  else
    # Not a git checkout (an unpacked archive, say): everything but build output.
    tar -C "$REPO_ROOT" --exclude=./.git --exclude=bin --exclude=obj --exclude=node_modules -cf - . \
      | tar -C "$TEST_ROOT" -xf -
  fi
  [[ -f "$TEST_ROOT/CalMiner.sln" ]] || die "copying the repository to $TEST_ROOT failed"
}

export_environment() {
  export DATABASE_DRIVER=postgresql
  export DATABASE_HOST=127.0.0.1
  export DATABASE_PORT="$PG_PORT"
  export DATABASE_USER="$DB_USER"
  export DATABASE_PASSWORD="$DB_PASSWORD"
  export DATABASE_NAME="$DB_NAME"
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  export CALMINER_REDIS_SERVER_BIN="$REDIS_SERVER"
  export CALMINER_REDIS_DIR="$REDIS_DIR"
}

stop_redis() {
  [[ "$REDIS_STARTED" == true ]] || return 0
  REDIS_STARTED=false
  # SHUTDOWN reaches whichever process serves the port now, even one a test restarted; the
  # pid file is the fallback for a server that no longer answers.
  "$REDIS_CLI" -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  local pid
  pid="$(cat "$REDIS_DIR/redis.pid" 2>/dev/null || true)"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
  fi
}

stop_postgres() {
  [[ "$PG_STARTED" == true ]] || return 0
  PG_STARTED=false
  # Immediate mode skips the shutdown checkpoint: the data is deleted right after.
  as_postgres "$PG_BIN/pg_ctl" stop --pgdata="$PG_DATA" --mode=immediate --wait >/dev/null 2>&1 || true
}

# dotnet test runs vstest.console, which runs testhost: stopping only dotnet test would leave
# those two running tests against servers that are gone. They all share the process group that
# run_tests gave dotnet test, so the group is stopped whole: TERM first, KILL if it lingers.
stop_tests() {
  [[ -n "$TEST_PID" ]] || return 0
  # No such group yet if the signal came before setsid ran: then the pid alone is enough.
  kill -TERM -- "-$TEST_PID" 2>/dev/null || { kill -TERM "$TEST_PID" 2>/dev/null; return 0; }
  local _
  for _ in $(seq 1 50); do
    kill -0 -- "-$TEST_PID" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -KILL -- "-$TEST_PID" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_tests
  if [[ -n "$WORK_DIR" ]]; then
    log "stopping PostgreSQL and Redis"
    stop_redis
    stop_postgres
    rm -rf "$WORK_DIR"
  fi
  exit "$status"
}

on_signal() {
  log "interrupted by SIG$1"
  # Leaving through exit runs cleanup (the EXIT trap) with the conventional 128+n status.
  case "$1" in
    INT) exit 130 ;;
    *) exit 143 ;;
  esac
}

# run_tests TARGET [dotnet test arguments...], with the variables in TEST_ENV (NAME=value) set.
run_tests() {
  local target=$1
  shift
  log "running ${TEST_ENV:+$TEST_ENV }dotnet test $target -c Release${*:+ $*}"
  # In the background so that `wait` returns as soon as a signal arrives (a foreground command
  # would hold the INT/TERM trap back until the whole run had finished), and under setsid so
  # that dotnet test and every process it starts form one group that stop_tests can end.
  # A Ctrl-C therefore reaches only this script, which passes it on through stop_tests.
  # shellcheck disable=SC2086 # TEST_ENV is empty or one NAME=value word
  (cd "$TEST_ROOT" && exec setsid env $TEST_ENV dotnet test "$target" -c Release "$@") &
  TEST_PID=$!
  local status=0
  wait "$TEST_PID" || status=$?
  TEST_PID=""
  return "$status"
}

main() {
  trap cleanup EXIT
  trap 'on_signal INT' INT
  trap 'on_signal TERM' TERM

  ensure_packages_installed
  make_work_dir
  start_postgres
  start_redis
  copy_repository
  install_openapi_linter
  export_environment

  local status=0
  TEST_ENV=""
  run_tests CalMiner.sln "$@" || status=$?

  # A whole run then repeats the core's tests as on machines with fewer vector instructions: the
  # kernels take 256-bit lanes without AVX-512 and scalar or emulated paths without AVX2, and
  # every result must stay the same bits.
  if ((status == 0 && $# == 0)); then
    for TEST_ENV in DOTNET_EnableAVX512F=0 DOTNET_EnableAVX2=0; do
      run_tests tests/CalMiner.Core.Tests --no-build || { status=$?; break; }
    done
  fi

  if ((status == 0)); then
    log "tests passed"
  else
    log "tests failed (dotnet test exit code $status)"
  fi
  exit "$status"
}

main "$@"
