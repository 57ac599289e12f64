#!/usr/bin/env bash
# Feed serving benchmark: `calendar-svc serve --workers 2` against, in the same run, the framework's
# ceiling (bench/ceiling.py: a bare Flask app on gunicorn, same workers and threads, returning the same
# feed bytes from memory) and nginx serving those bytes (written by `calendar-svc export-feeds`) as
# static files, measured with wrk.
#
#   bench/feeds.sh            # DURATION=10s CONNECTIONS=16 THREADS=2 ROUNDS=3 by default
#   DURATION=30s bench/feeds.sh
#
# Prints requests/s and p99 latency of the 200 path and of the 304 path (If-None-Match with the current
# ETag) for the combined feed and one country feed, and the ratios to the ceiling and nginx. The app and
# the ceiling are measured in ROUNDS interleaved rounds (medians), nginx once.
# Targets (issue 17), checked on the combined feed: the app's 200s >= 0.9x the ceiling's 200s, its 304s
# >= 1.5x the ceiling's 200s, no errors. The small country feed is reported for information.
# Needs the Debian packages wrk and nginx (installed with apt-get when missing and running as root).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
WORKERS="${WORKERS:-2}"
ROUNDS="${ROUNDS:-3}"
BASE_URL="http://bench.calendar-svc.test"

need() {
  local missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "installing ${missing[*]} with apt-get" >&2
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      echo "missing: ${missing[*]} (Debian packages; install them first)" >&2
      exit 2
    fi
  fi
}
need
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
command -v calendar-svc >/dev/null || { echo "calendar-svc is not installed (pip install -e .)" >&2; exit 2; }

WORK="$(mktemp -d /tmp/calendar-svc-bench.XXXXXX)"
chmod 755 "$WORK"  # nginx workers run as an unprivileged user
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_http() {  # url log
  for _ in $(seq 1 600); do
    if curl -fsS -o /dev/null --max-time 30 "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "server at $1 did not come up; its log:" >&2
  tail -20 "$2" >&2
  return 1
}

DB="sqlite:///$WORK/bench.sqlite3"
export CALENDAR_SVC_BASE_URL="$BASE_URL"

echo "== store: ingesting samples/ into $WORK/bench.sqlite3" >&2
if ! calendar-svc ingest "$ROOT/samples" --db "$DB" >"$WORK/ingest.log" 2>&1; then
  echo "   (some documents failed; the others are stored)" >&2
fi
grep -E "layout|FAILED" "$WORK/ingest.log" | sed 's/^/   /' >&2
calendar-svc export-feeds "$WORK/static" --db "$DB" --base-url "$BASE_URL" >"$WORK/export.log"
chmod -R a+rX "$WORK/static"
echo "   $(wc -l <"$WORK/export.log") feeds exported" >&2

APP_PORT="$(free_port)"
CEILING_PORT="$(free_port)"
NGINX_PORT="$(free_port)"
PYTHON="$(dirname "$(command -v calendar-svc)")/python"

# -- the app on gunicorn (production server), logs discarded like a log shipper would take them
calendar-svc serve --host 127.0.0.1 --port "$APP_PORT" --workers "$WORKERS" --db "$DB" >"$WORK/app.log" 2>&1 &
PIDS+=($!)

# -- the ceiling: a bare Flask app on gunicorn, as many workers and threads as the app, no access log
CEILING_DIR="$WORK/static" "$PYTHON" -m gunicorn -w "$WORKERS" -k gthread --threads 4 --chdir "$ROOT/bench" \
  -b "127.0.0.1:$CEILING_PORT" ceiling:app >"$WORK/ceiling.log" 2>&1 &
PIDS+=($!)

# -- nginx with as many worker processes as the app has workers
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes $WORKERS;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  types { text/calendar ics; }
  charset utf-8;
  charset_types text/calendar;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location /feeds/ { alias $WORK/static/; }
  }
}
EOF
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" 2>"$WORK/nginx/stderr.log" &
PIDS+=($!)

wait_http "http://127.0.0.1:$APP_PORT/feeds/all.ics" "$WORK/app.log"
wait_http "http://127.0.0.1:$NGINX_PORT/feeds/all.ics" "$WORK/nginx/error.log"
wait_http "http://127.0.0.1:$CEILING_PORT/feeds/all.ics" "$WORK/ceiling.log"

# the same bytes from both
for feed in all.ics countries/MA.ics; do
  curl -fsS "http://127.0.0.1:$APP_PORT/feeds/$feed" -o "$WORK/app.out"
  curl -fsS "http://127.0.0.1:$NGINX_PORT/feeds/$feed" -o "$WORK/nginx.out"
  curl -fsS "http://127.0.0.1:$CEILING_PORT/feeds/$feed" -o "$WORK/ceiling.out"
  cmp -s "$WORK/app.out" "$WORK/nginx.out" || { echo "app and nginx serve different bytes for $feed" >&2; exit 1; }
  cmp -s "$WORK/app.out" "$WORK/ceiling.out" || { echo "app and ceiling serve different bytes for $feed" >&2; exit 1; }
done

etag() { curl -fsS -o /dev/null -D - "$1" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2}'; }

# run_wrk URL [header] -> "rps p99_ms errors"
run_wrk() {
  local url="$1" header="${2:-}" out
  if [ -n "$header" ]; then
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$header" "$url")"
  else
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url")"
  fi
  echo "$out" >>"$WORK/wrk.log"
  python3 - "$out" <<'PY'
import re, sys
text = sys.argv[1]
rps = float(re.search(r"Requests/sec:\s*([\d.]+)", text).group(1))
m = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
errors = 0
if (e := re.search(r"Non-2xx or 3xx responses:\s*(\d+)", text)):
    errors += int(e.group(1))
if (e := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)):
    errors += sum(int(x) for x in e.groups())
print(f"{rps:.0f} {p99:.2f} {errors}")
PY
}

# median_rounds "a b c ..." ... -> the per-column median (rates and p99s) or sum (error counts, every 3rd)
median_rounds() {
  python3 - "$@" <<'PY'
import statistics, sys
rows = [[float(x) for x in arg.split()] for arg in sys.argv[1:]]
cells = []
for i, column in enumerate(zip(*rows)):
    cells.append(f"{sum(column):.0f}" if i % 3 == 2 else f"{statistics.median(column):.{0 if i % 3 == 0 else 2}f}")
print(" ".join(cells))
PY
}
ratio() { python3 -c "print(f'{$1/$2:.2f}x')"; }
printf '\n%-18s %-5s %12s %9s %12s %9s %12s %9s %10s %9s %7s\n' feed path "app req/s" "app p99" \
  "ceiling 200" "c. p99" "nginx req/s" "nginx p99" "/ceiling" "/nginx" errors
FAIL=0
for feed in all.ics countries/MA.ics; do
  app_url="http://127.0.0.1:$APP_PORT/feeds/$feed"
  ceiling_url="http://127.0.0.1:$CEILING_PORT/feeds/$feed"
  nginx_url="http://127.0.0.1:$NGINX_PORT/feeds/$feed"
  for url in "$app_url" "$ceiling_url" "$nginx_url"; do wrk -t1 -c4 -d2s "$url" >/dev/null; done  # warm-up
  app_etag="$(etag "$app_url")"
  nginx_etag="$(etag "$nginx_url")"
  # ROUNDS rounds of app 200, ceiling 200, app 304 in turn, medians kept: on a shared machine the load
  # moves between runs, and interleaving spreads it over the figures that are compared
  rounds=()
  for _ in $(seq 1 "$ROUNDS"); do
    rounds+=("$(run_wrk "$app_url") $(run_wrk "$ceiling_url") $(run_wrk "$app_url" "If-None-Match: $app_etag")")
  done
  read -r a200 ap200 ae200 c200 cp200 ce200 a304 ap304 ae304 < <(median_rounds "${rounds[@]}")
  read -r n200 np200 ne200 < <(run_wrk "$nginx_url")
  read -r n304 np304 ne304 < <(run_wrk "$nginx_url" "If-None-Match: $nginx_etag")
  printf '%-18s %-5s %12s %7sms %12s %7sms %12s %7sms %10s %9s %7s\n' "$feed" 200 "$a200" "$ap200" "$c200" \
    "$cp200" "$n200" "$np200" "$(ratio "$a200" "$c200")" "$(ratio "$a200" "$n200")" "$((ae200 + ce200 + ne200))"
  printf '%-18s %-5s %12s %7sms %12s %7sms %12s %7sms %10s %9s %7s\n' "$feed" 304 "$a304" "$ap304" "$c200" \
    "$cp200" "$n304" "$np304" "$(ratio "$a304" "$c200")" "$(ratio "$a304" "$n304")" "$((ae304 + ne304))"
  # wrk counts 304 as 3xx (not an error); check that the 304 path really answers 304
  code="$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $app_etag" "$app_url")"
  [ "$code" = 304 ] || { echo "app answered $code, not 304, to If-None-Match" >&2; FAIL=1; }
  [ "$((ae200 + ae304))" = 0 ] || { echo "  $feed: app errors" >&2; FAIL=1; }
  [ "$feed" = all.ics ] || continue  # the gate is the combined feed (see the header)
  python3 - "$a200" "$c200" "$a304" "$((ae200 + ae304))" "$feed" <<'PY' || FAIL=1
import sys
a200, c200, a304, errors, feed = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
ok = True
if a200 < 0.9 * c200:
    print(f"  {feed}: app 200s below 0.9x the ceiling's 200s", file=sys.stderr); ok = False
if a304 < 1.5 * c200:
    print(f"  {feed}: app 304s below 1.5x the ceiling's 200s", file=sys.stderr); ok = False
if errors:
    print(f"  {feed}: {errors} app errors", file=sys.stderr); ok = False
sys.exit(0 if ok else 1)
PY
done
echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $ROUNDS rounds (medians); app: calendar-svc serve --workers $WORKERS (gunicorn gthread);" \
  "ceiling: bench/ceiling.py on gunicorn, same workers; nginx: worker_processes $WORKERS; $(nproc) CPUs"
if [ "$FAIL" = 0 ]; then
  echo "targets met on the combined feed: app 200 >= 0.9x ceiling 200, app 304 >= 1.5x ceiling 200, no errors"
else
  echo "TARGETS MISSED"
fi
exit "$FAIL"
