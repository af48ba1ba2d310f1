#!/usr/bin/env bash
# shellcheck disable=SC2317 # cleanup runs from a trap
# Load test of the web API's hot reads.
#
#   bash scripts/load-test.sh [PATH...]
#
# Publishes the web app and the CLI (Release), migrates the database and makes an admin API key
# with `calminer`, starts the app in Production on 127.0.0.1, creates a scenario from
# samples/gold-open-pit.json, warms up, then runs wrk against each PATH in turn and prints
# requests/s and the 99th-percentile latency. `{id}` in a PATH is the scenario's id. Default
# paths: /api/scenarios/{id}, and /api/scenarios/{id}/cashflow when the app has it.
#
# The database is the one the DATABASE_* variables name (PostgreSQL: migrated here, used as it
# is, the scenario and the load-test user are left in it); without them, a throwaway SQLite file.
# REDIS_URL, when set, is passed on too. The data-protection certificate Production needs is
# DATA_PROTECTION_CERTIFICATE_PATH/_PASSWORD when set, else a throwaway self-signed one (openssl).
#
# Settings (environment): DURATION (20s), CONNECTIONS (32), THREADS (1), WARMUP (10s per path), PORT (free).
# Needs wrk (Debian/Ubuntu: apt-get install wrk). Everything it starts is stopped on exit.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly REPO_ROOT
readonly DURATION="${DURATION:-20s}"
readonly CONNECTIONS="${CONNECTIONS:-32}"
readonly THREADS="${THREADS:-1}"
readonly WARMUP="${WARMUP:-10s}"

WORK_DIR=""
APP_PID=""

log() { printf '[load-test] %s\n' "$*" >&2; }
die() { printf '[load-test] error: %s\n' "$*" >&2; exit 1; }

# shellcheck source=scripts/lib/free-port.sh
source "$REPO_ROOT/scripts/lib/free-port.sh"

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  [[ -n "$WORK_DIR" ]] && rm -rf "$WORK_DIR"
  exit "$status"
}

main() {
  command -v wrk >/dev/null || die "wrk is missing (Debian/Ubuntu: apt-get install wrk)"
  command -v curl >/dev/null || die "curl is missing"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/calminer-load.XXXXXX")"
  if [[ "${DATABASE_DRIVER:-sqlite}" != postgresql ]]; then
    export DATABASE_DRIVER=sqlite
    export DATABASE_PATH="$WORK_DIR/calminer.db"
  fi
  local port="${PORT:-$(free_port)}"
  local base="http://127.0.0.1:$port"

  log "publishing the web app and the CLI (Release)"
  dotnet publish "$REPO_ROOT/hosts/CalMiner.Web" -c Release -o "$WORK_DIR/web" --nologo -v quiet >"$WORK_DIR/publish.log" 2>&1 \
    || { cat "$WORK_DIR/publish.log" >&2; die "publishing the web app failed"; }
  dotnet publish "$REPO_ROOT/hosts/CalMiner.Cli" -c Release -o "$WORK_DIR/cli" --nologo -v quiet >>"$WORK_DIR/publish.log" 2>&1 \
    || { cat "$WORK_DIR/publish.log" >&2; die "publishing the CLI failed"; }

  log "database: $DATABASE_DRIVER; migrating and making an API key"
  "$WORK_DIR/cli/calminer" migrate >&2
  local key
  key="$("$WORK_DIR/cli/calminer" apikey create --email "load-test@calminer.local" --role admin --name "load test $(date +%s)")"
  [[ "$key" == cm_* ]] || die "calminer apikey create printed no key"

  if [[ -z "${DATA_PROTECTION_CERTIFICATE_PATH:-}" ]]; then
    command -v openssl >/dev/null || die "openssl is missing (Debian/Ubuntu: apt-get install openssl), or set DATA_PROTECTION_CERTIFICATE_PATH"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=CalMiner load test" \
      -keyout "$WORK_DIR/dp.key" -out "$WORK_DIR/dp.crt" >/dev/null 2>&1 || die "openssl could not make a certificate"
    openssl pkcs12 -export -inkey "$WORK_DIR/dp.key" -in "$WORK_DIR/dp.crt" -out "$WORK_DIR/dp.pfx" -passout pass:load-test \
      || die "openssl could not write the PKCS#12 file"
    export DATA_PROTECTION_CERTIFICATE_PATH="$WORK_DIR/dp.pfx" DATA_PROTECTION_CERTIFICATE_PASSWORD=load-test
  fi

  log "starting the web app (Production) on $base"
  (cd "$WORK_DIR/web" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$base" exec ./CalMiner.Web) >"$WORK_DIR/app.log" 2>&1 &
  APP_PID=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS "$base/health/ready" >/dev/null 2>&1; do
    kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK_DIR/app.log" >&2; die "the web app stopped"; }
    ((SECONDS < deadline)) || { cat "$WORK_DIR/app.log" >&2; die "the web app was not ready within 60 s"; }
    sleep 0.3
  done

  local created id
  created="$(curl -fsS -X POST "$base/api/scenarios?workspace=1" -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
    --data-binary "@$REPO_ROOT/samples/gold-open-pit.json")"
  id="$(printf '%s' "$created" | grep -o '"id":[0-9]*' | head -n 1 | cut -d: -f2)"
  [[ -n "$id" ]] || die "could not create the scenario: $created"
  log "scenario $id created"

  local paths=("$@")
  if ((${#paths[@]} == 0)); then
    paths=("/api/scenarios/{id}")
    if [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$base/api/scenarios/$id/cashflow")" == 200 ]]; then
      paths+=("/api/scenarios/{id}/cashflow")
    fi
  fi

  local path url status out rps p50 p99
  # Every path is warmed up before any is measured: the JIT compiles the hot code again, optimised,
  # on the same two cores, and the shared parts of the pipeline would otherwise be measured
  # half-compiled on the first path only.
  for path in "${paths[@]}"; do
    url="$base${path//\{id\}/$id}"
    status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $key" "$url")"
    [[ "$status" == 200 ]] || die "GET $url answers $status, not 200"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Authorization: Bearer $key" "$url" >/dev/null
  done

  printf '%-40s %12s %10s %10s\n' "path" "requests/s" "p50" "p99"
  for path in "${paths[@]}"; do
    url="$base${path//\{id\}/$id}"
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $key" "$url")"
    printf '%s\n' "$out" >"$WORK_DIR/wrk.log"
    if grep -q "Non-2xx" <<<"$out"; then
      printf '%s\n' "$out" >&2
      die "GET $url answered errors under load"
    fi
    rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
    p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
    printf '%-40s %12s %10s %10s\n' "$path" "$rps" "$p50" "$p99"
  done
  log "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $DATABASE_DRIVER, $(nproc) cores"
}

main "$@"
