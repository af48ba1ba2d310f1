#!/usr/bin/env bash
# shellcheck disable=SC2317 # cleanup runs from a trap
# What a flood of made-up credentials and a database outage cost the web app.
#
#   bash scripts/hostile-load.sh flood     # anonymous requests with random Bearer tokens
#   bash scripts/hostile-load.sh outage    # PostgreSQL stopped under the app
#
# Publishes the web app (and for `outage` the CLI) in Release from SOURCE (default: this
# repository; point it at an unpacked older commit to compare) and starts it in Production on
# 127.0.0.1, with a throwaway data-protection certificate (openssl).
#
# flood: a throwaway SQLite file (REDIS_URL passed on when set); wrk sends GET /api/scenarios for
#   DURATION (default 90s) over CONNECTIONS (32) connections, each request with a new random
#   Bearer token: TOKENS=random (default; 160 base64url characters, as a fuzzer sends) or
#   TOKENS=wellformed (`cm_` and 43 characters, the form of a real key). Prints the answers by
#   status, the growth of the app's resident memory and the bytes and lines it logged.
# outage: a throwaway PostgreSQL cluster (as the user postgres when run as root), migrated with
#   `calminer migrate`, an API key from `calminer apikey create`, a scenario read once; then the
#   cluster is stopped at once and wrk reads the scenario with the key for DURATION (default 20s).
#   Prints the answers by status and what the app logged meanwhile; then starts the cluster again
#   and waits for the app to serve the scenario.
#
# Needs wrk, curl, openssl (and for outage the PostgreSQL server programs). Everything it starts
# is stopped on exit.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly SOURCE="${SOURCE:-$REPO_ROOT}"
readonly MODE="${1:-}"
readonly CONNECTIONS="${CONNECTIONS:-32}"
readonly TOKENS="${TOKENS:-random}"

WORK_DIR=""
APP_PID=""
PG_BIN=""
PG_DATA=""

log() { printf '[hostile-load] %s\n' "$*" >&2; }
die() { printf '[hostile-load] error: %s\n' "$*" >&2; exit 1; }

# shellcheck source=scripts/lib/free-port.sh
source "$REPO_ROOT/scripts/lib/free-port.sh"

as_postgres() {
  if [[ "$(id -u)" -eq 0 ]]; then
    (cd "$WORK_DIR" && runuser -u postgres -- "$@")
  else
    (cd "$WORK_DIR" && "$@")
  fi
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  if [[ -n "$PG_DATA" ]]; then
    as_postgres "$PG_BIN/pg_ctl" stop --pgdata="$PG_DATA" --mode=immediate >/dev/null 2>&1 || true
  fi
  [[ -n "$WORK_DIR" ]] && rm -rf "$WORK_DIR"
  exit "$status"
}

publish() {
  local project=$1 out=$2
  dotnet publish "$SOURCE/hosts/$project" -c Release -o "$out" --nologo -v quiet >>"$WORK_DIR/publish.log" 2>&1 \
    || { cat "$WORK_DIR/publish.log" >&2; die "publishing $project failed"; }
}

certificate() {
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=CalMiner hostile load" \
    -keyout "$WORK_DIR/dp.key" -out "$WORK_DIR/dp.crt" >/dev/null 2>&1 || die "openssl could not make a certificate"
  openssl pkcs12 -export -inkey "$WORK_DIR/dp.key" -in "$WORK_DIR/dp.crt" -out "$WORK_DIR/dp.pfx" -passout pass:hostile \
    || die "openssl could not write the PKCS#12 file"
  export DATA_PROTECTION_CERTIFICATE_PATH="$WORK_DIR/dp.pfx" DATA_PROTECTION_CERTIFICATE_PASSWORD=hostile
}

start_app() {
  local base=$1
  (cd "$WORK_DIR/web" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$base" exec ./CalMiner.Web) >"$WORK_DIR/app.log" 2>&1 &
  APP_PID=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS "$base/health/live" >/dev/null 2>&1; do
    kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK_DIR/app.log" >&2; die "the web app stopped"; }
    ((SECONDS < deadline)) || { cat "$WORK_DIR/app.log" >&2; die "the web app was not ready within 60 s"; }
    sleep 0.3
  done
}

rss_kib() { ps -o rss= -p "$APP_PID" | tr -d ' '; }
log_bytes() { stat -c %s "$WORK_DIR/app.log"; }
log_lines() { wc -l <"$WORK_DIR/app.log"; }

# A wrk script: every request GETs the path with a Bearer token (random, well formed, or the key
# given), and the answers are counted by status in each thread and added up at the end.
write_wrk_script() {
  cat >"$WORK_DIR/wrk.lua" <<LUA
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local mode = "$1"
local key = "$2"
local path = "$3"
math.randomseed(os.time())
local function random_text(n)
  local t = {}
  for i = 1, n do
    local c = math.random(1, #alphabet)
    t[i] = alphabet:sub(c, c)
  end
  return table.concat(t)
end
request = function()
  local token = key
  if mode == "random" then token = random_text(160) elseif mode == "wellformed" then token = "cm_" .. random_text(43) end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
statuses = {}
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function()
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d: %d\n", status, count))
  end
end
LUA
}

flood() {
  local duration="${DURATION:-90s}"
  export DATABASE_DRIVER=sqlite DATABASE_PATH="$WORK_DIR/calminer.db"
  log "publishing the web app from $SOURCE"
  publish CalMiner.Web "$WORK_DIR/web"
  certificate
  local base
  base="http://127.0.0.1:$(free_port)"
  start_app "$base"
  write_wrk_script "$TOKENS" "" "/api/scenarios"
  local rss0 bytes0 lines0
  rss0="$(rss_kib)" bytes0="$(log_bytes)" lines0="$(log_lines)"
  log "flooding $base/api/scenarios for $duration with $TOKENS tokens over $CONNECTIONS connections"
  wrk -t1 -c"$CONNECTIONS" -d"$duration" -s "$WORK_DIR/wrk.lua" "$base/api/scenarios" | grep -E "^(status|Requests/sec| +[0-9]+ requests)" || true
  local rss1 bytes1 lines1
  rss1="$(rss_kib)" bytes1="$(log_bytes)" lines1="$(log_lines)"
  printf 'resident memory: %d MiB before, %d MiB after (+%d MiB)\n' $((rss0 / 1024)) $((rss1 / 1024)) $(((rss1 - rss0) / 1024))
  printf 'log: +%d bytes, +%d lines\n' $((bytes1 - bytes0)) $((lines1 - lines0))
  tail -n 5 "$WORK_DIR/app.log"
}

outage() {
  local duration="${DURATION:-20s}"
  local dirs=(/usr/lib/postgresql/*/bin)
  PG_BIN="$(printf '%s\n' "${dirs[@]}" | sort -V | tail -n 1)"
  [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL server programs not found under /usr/lib/postgresql/*/bin"
  log "publishing the web app and the CLI from $SOURCE"
  publish CalMiner.Web "$WORK_DIR/web"
  publish CalMiner.Cli "$WORK_DIR/cli"
  certificate

  local pg_port
  pg_port="$(free_port)"
  mkdir -p "$WORK_DIR/pg"
  [[ "$(id -u)" -eq 0 ]] && chown postgres:postgres "$WORK_DIR/pg"
  PG_DATA="$WORK_DIR/pg/data"
  as_postgres "$PG_BIN/initdb" --pgdata="$PG_DATA" --username=postgres --auth=trust --no-sync >/dev/null
  local pg_start=("$PG_BIN/pg_ctl" start --pgdata="$PG_DATA" --log="$WORK_DIR/pg/server.log" --wait
    "--options=-F -p $pg_port -k $WORK_DIR/pg -c listen_addresses=127.0.0.1")
  as_postgres "${pg_start[@]}" >/dev/null
  export DATABASE_DRIVER=postgresql DATABASE_HOST=127.0.0.1 DATABASE_PORT="$pg_port" DATABASE_USER=postgres DATABASE_NAME=postgres
  unset DATABASE_PASSWORD DATABASE_SCHEMA
  "$WORK_DIR/cli/calminer" migrate >&2
  local key
  key="$("$WORK_DIR/cli/calminer" apikey create --email "outage@calminer.local" --role admin --name outage)"

  local base
  base="http://127.0.0.1:$(free_port)"
  start_app "$base"
  local created id
  created="$(curl -fsS -X POST "$base/api/scenarios?workspace=1" -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
    --data-binary "@$SOURCE/samples/gold-open-pit.json")"
  id="$(printf '%s' "$created" | grep -o '"id":[0-9]*' | head -n 1 | cut -d: -f2)"
  curl -fsS -o /dev/null -H "Authorization: Bearer $key" "$base/api/scenarios/$id"
  write_wrk_script key "$key" "/api/scenarios/$id"

  local bytes0 lines0
  bytes0="$(log_bytes)" lines0="$(log_lines)"
  log "stopping PostgreSQL; reading $base/api/scenarios/$id for $duration over $CONNECTIONS connections"
  as_postgres "$PG_BIN/pg_ctl" stop --pgdata="$PG_DATA" --mode=immediate --wait >/dev/null
  wrk -t1 -c"$CONNECTIONS" -d"$duration" -s "$WORK_DIR/wrk.lua" "$base/api/scenarios/$id" | grep -E "^(status|Requests/sec| +[0-9]+ requests)" || true
  printf 'log during the outage: +%d bytes, +%d lines:\n' $(($(log_bytes) - bytes0)) $(($(log_lines) - lines0))
  tail -c +$((bytes0 + 1)) "$WORK_DIR/app.log" | cut -c1-240 | head -n 20

  as_postgres "${pg_start[@]}" >/dev/null
  local deadline=$((SECONDS + 60)) status=""
  until [[ "$status" == 200 ]]; do
    ((SECONDS < deadline)) || die "the app did not serve again within 60 s of the database's return"
    sleep 0.5
    status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$base/api/scenarios/$id")"
  done
  log "serving again after the database came back"
  sleep 6
  tail -n 3 "$WORK_DIR/app.log" | cut -c1-240
}

main() {
  [[ "$MODE" == flood || "$MODE" == outage ]] || die "usage: bash scripts/hostile-load.sh flood|outage"
  for tool in wrk curl openssl; do
    command -v "$tool" >/dev/null || die "$tool is missing (Debian/Ubuntu: apt-get install $tool)"
  done
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/calminer-hostile.XXXXXX")"
  chmod 755 "$WORK_DIR"
  "$MODE"
}

main "$@"
