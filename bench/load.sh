#!/usr/bin/env bash
# Load test (issue 10): wrk over a mix of feed and JSON API URLs against `calendar-svc serve --workers 2`
# while `calendar-svc ingest` runs in a loop on the samples and edited copies of them.
#
#   bench/load.sh                       # 60 s, 100 connections, 4 wrk threads, 2 gunicorn workers, SQLite
#   DURATION=20 CONNECTIONS=50 bench/load.sh
#   CALENDAR_SVC_DATABASE_URL=postgresql://... bench/load.sh   # an empty or disposable database!
#
# Prints wrk's figures and RESULT lines (requests, non-2xx/3xx responses, socket errors, latency
# percentiles) and the number of ingest runs; exits 1 when any request failed or an ingest run failed.
# Needs wrk (apt-get install wrk). Rate limits are switched off for the run (the mix has no searches
# anyway); see docs/security.md.
set -euo pipefail

DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-100}
THREADS=${THREADS:-4}
WORKERS=${WORKERS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/calendar-svc-load.XXXXXX")
DB=${CALENDAR_SVC_DATABASE_URL:-sqlite:///$WORK/load.sqlite3}
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BASE="http://127.0.0.1:$PORT"
export CALENDAR_SVC_RATE_LIMIT_SEARCH=off CALENDAR_SVC_RATE_LIMIT_ADMIN=off CALENDAR_SVC_LOG_LEVEL=WARNING
CLI=(python3 -m calendar_svc.cli)

command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 2; }

SERVER_PID=""
LOOP_PID=""
cleanup() {
  [ -n "$LOOP_PID" ] && kill "$LOOP_PID" 2>/dev/null && wait "$LOOP_PID" 2>/dev/null
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

cd "$ROOT"
echo "== setup: database $DB, work dir $WORK"
"${CLI[@]}" ingest samples/ --db "$DB" >/dev/null

# edited copies: two variants of every sample (a location renamed, a date moved), swapped on every run
mkdir -p "$WORK/edited" "$WORK/variants"
for f in samples/*.txt; do
  name=$(basename "$f")
  sed -e 's/Brussels/Bruxelles/g' "$f" >"$WORK/variants/a-$name"
  sed -e 's/September 2021/October 2021/; s/Rabat/Rabat (Morocco)/g' "$f" >"$WORK/variants/b-$name"
done

"${CLI[@]}" serve --host 127.0.0.1 --port "$PORT" --workers "$WORKERS" --db "$DB" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS "$BASE/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$BASE/readyz" >/dev/null || { echo "server did not come up" >&2; cat "$WORK/serve.log" >&2; exit 2; }

# the URL mix: feeds (all, every country and process, with and without parameters) and the JSON API
python3 - "$BASE" >"$WORK/urls.txt" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
get = lambda path: json.load(urllib.request.urlopen(base + path))
countries = [c["code"] for c in get("/api/countries")]
processes = [p["slug"] for p in get("/api/processes") if p["event_count"]]
uids = [e["uid"] for e in get("/api/events?limit=200")["events"]]
urls = ["/feeds/all.ics"] * 4 + ["/feeds/all.ics?upcoming=true", "/feeds/all.ics?fuzzy=omit"]
urls += [f"/feeds/countries/{c}.ics" for c in countries] + [f"/feeds/processes/{p}.ics" for p in processes]
urls += ["/api/events", "/api/events?limit=500", "/api/events?upcoming=true", "/api/countries", "/api/processes",
         "/openapi.json"] * 3
urls += [f"/api/events?country={c}" for c in countries[:20]] + [f"/api/events?process={p}" for p in processes]
urls += [f"/api/events/{u}" for u in uids[::4]]
print("\n".join(urls))
PY
echo "== $(wc -l <"$WORK/urls.txt") URLs; ${DURATION}s, $CONNECTIONS connections, $THREADS threads, $WORKERS workers"

# ingest in a loop while the load runs
(
  child=""
  trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 0' TERM
  i=0
  while true; do
    variant=$([ $((i % 2)) -eq 0 ] && echo a || echo b)
    for f in "$WORK"/variants/"$variant"-*; do cp "$f" "$WORK/edited/edited-${f##*/?-}"; done
    "${CLI[@]}" ingest samples/ "$WORK/edited" --db "$DB" >"$WORK/ingest-$i.log" 2>&1 &
    child=$!
    if wait "$child"; then
      echo ok >>"$WORK/ingest-runs"
    else
      echo "failed: run $i" >>"$WORK/ingest-runs"
      cp "$WORK/ingest-$i.log" "$WORK/ingest-failed-$i.log"
    fi
    rm -f "$WORK/ingest-$i.log"
    i=$((i + 1))
  done
) &
LOOP_PID=$!

URLS_FILE="$WORK/urls.txt" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency \
  -s "$HERE/load.lua" "$BASE" | tee "$WORK/wrk.out"

kill "$LOOP_PID" 2>/dev/null; wait "$LOOP_PID" 2>/dev/null || true
LOOP_PID=""
runs=$(grep -c . "$WORK/ingest-runs" 2>/dev/null || true)
failed=$(grep -c failed "$WORK/ingest-runs" 2>/dev/null || true)
echo "RESULT ingest_runs_completed=${runs:-0} ingest_runs_failed=${failed:-0}"
for log in "$WORK"/ingest-failed-*.log; do [ -e "$log" ] && tail -5 "$log"; done
server_errors=$(grep -c '"level": "ERROR"' "$WORK/serve.log" || true)
echo "RESULT server_error_log_lines=${server_errors:-0}"

errors=$(sed -n 's/^RESULT non_2xx_3xx=\([0-9]*\) socket_errors=\([0-9]*\).*/\1 \2/p' "$WORK/wrk.out")
read -r bad socket <<<"$errors"
if [ "${bad:-1}" -ne 0 ] || [ "${socket:-1}" -ne 0 ] || [ "${failed:-0}" -ne 0 ]; then
  echo "FAIL: $bad non-2xx/3xx, $socket socket errors, $failed failed ingest runs" >&2
  exit 1
fi
echo "OK: no errors"
