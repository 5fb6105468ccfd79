#!/usr/bin/env bash
# Requests per second of the library under concurrent load, against Django's own admin login page
# as the reference, on the same server in the same run (docs/performance.md).
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/epsa_bench benchmarks/throughput.sh
#
# Runs gunicorn with the production settings and the one-machine layout of docs/deployment.md
# (DEBUG off, manifest static files, 2 workers per core sharing Redis as their cache) on
# loopback and wrk (-t2 -c20 -d15s by default) against /admin/login/, /library/,
# /library/?q=climate and one case page, twice each, alternating. Installs gunicorn (the prod
# extra) and wrk (Debian package) if missing. Environment: DURATION (15s), CONNECTIONS (20),
# WORKERS (2 per core), REDIS_URL (database 14 of the local Redis, emptied first), PORT (8765),
# ROUNDS (2).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL benchmark database}"
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-20}
WORKERS=${WORKERS:-$((2 * $(nproc)))}
PORT=${PORT:-8765}
ROUNDS=${ROUNDS:-2}
BIN=.venv/bin

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian package)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
if [ ! -x "$BIN/gunicorn" ]; then
  "$BIN/python" -m pip install --quiet -e '.[prod]'
fi

if [ -z "${REDIS_URL:-}" ]; then
  export REDIS_URL=redis://127.0.0.1:6379/14
  redis-cli -n 14 flushdb >/dev/null
fi
export DEBUG=0
export SECRET_KEY="throughput-benchmark-only-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0
export STATIC_ROOT="${STATIC_ROOT:-var/throughput-static}"
export DJANGO_SETTINGS_MODULE=epsa_portal.settings
"$BIN/python" manage.py collectstatic --noinput -v0

CASE=$("$BIN/python" - <<'PY'
import django
django.setup()
from cases.domain.queries.library import published_cases
print(published_cases().order_by("-published_at", "-id").values_list("slug", flat=True)[500])
PY
)

LOG=$(mktemp)
"$BIN/gunicorn" epsa_portal.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --access-logfile /dev/null --error-logfile "$LOG" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/admin/login/" 2>/dev/null && break
  sleep 0.2
done

declare -A RPS
run() {  # name url
  local out rps errors timeouts
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  timeouts=$(awk -F'timeout ' '/Socket errors/ {print $2+0}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  median=$(awk '/^ +50%/ {print $2}' <<<"$out")
  echo "| $1 | $rps | ${median:-?} | ${timeouts:-0} | ${errors:-0} |"
  RPS[$1]="${RPS[$1]:-} $rps"
}

echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg); gunicorn $WORKERS workers, wrk -t2 -c$CONNECTIONS -d$DURATION, cache $REDIS_URL"
echo
echo "| page | requests/s | median latency | timeouts | non-2xx |"
echo "|---|---:|---:|---:|---:|"
for _round in $(seq "$ROUNDS"); do
  run "admin-login" "/admin/login/"
  run "library" "/library/"
  run "climate" "/library/?q=climate"
  run "case" "/library/$CASE/"
done
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
mean() { awk '{s=0; for (i=1; i<=NF; i++) s+=$i; printf "%.1f", s/NF}' <<<"$1"; }
REF=$(mean "${RPS[admin-login]}")
for page in library climate case; do
  value=$(mean "${RPS[$page]}")
  echo "$page: $value requests/s = $(awk -v a="$value" -v b="$REF" 'BEGIN {printf "%.0f", 100*a/b}')% of /admin/login/ ($REF)"
done
