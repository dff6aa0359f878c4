#!/usr/bin/env bash
# The whole topology on loopback, from Debian's packages (docs/deploy.md draws it):
#
#   nginx :3400 ──round robin──> app-1 :3401, app-2 :3402        (RUN_WORKER=false)
#                                worker (email and reminder jobs)
#   app-1, app-2, worker ──> HAProxy :3390 ──> Galera nodes :3311 :3312 :3313
#                        └─> Redis Cluster :7001-:7006 (3 primaries, 3 replicas)
#   mail catcher: SMTP :3425, what arrived at http://127.0.0.1:3426/messages
#
#   npm run stack:up       start whatever is down (idempotent), push the schema, print the URL
#   npm run stack:down     stop everything (data is kept under .stack/, git-ignored)
#   npm run stack:status   one line per part; exit 1 when something is down
#   deploy/stack.sh start|stop|kill PART    one part (kill = SIGKILL, for the fault tests):
#       app-1, app-2, worker, nginx, mail, haproxy, galera-check, schema (start only),
#       galera (all nodes) or galera-1..3, redis (all nodes) or redis-7001..7006 (start starts
#       every node that is down: a node rejoins as it finds the cluster)
#
# Needs: apt-get install mariadb-server galera-4 rsync redis-server haproxy nginx curl; a build
# (`npx next build`, made here when missing). The app's settings: deploy/stack.env.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
state="$root/.stack"
run="$state/run"
logs="$state/logs"
URL=http://127.0.0.1:3400
apps=(app-1 app-2)
app_port() { echo $((3400 + ${1#app-})); }

load_env() {
  set -a
  # shellcheck source=/dev/null
  source deploy/stack.env
  # shellcheck source=/dev/null
  [[ -f "$state/local.env" ]] && source "$state/local.env"
  set +a
}

wait_until() { # what, seconds, command...
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 4))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  echo "timed out after ${seconds}s waiting for $what (logs: $logs)" >&2
  return 1
}

pid_of() { cat "$run/$1.pid" 2>/dev/null; }
running() { local pid; pid=$(pid_of "$1") && [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; }
ready() { curl -fsS --max-time 2 "$1" >/dev/null; }

# daemon NAME COMMAND ARGS...: starts COMMAND in the background unless NAME runs already.
daemon() {
  local name=$1
  shift
  running "$name" && return 0
  start-stop-daemon --start --background --make-pidfile --pidfile "$run/$name.pid" \
    --chdir "$root" --output "$logs/$name.log" --startas "$1" -- "${@:2}"
}

stop_daemon() { # NAME [SIGNAL]: TERM, then KILL after 15 s
  local name=$1
  running "$name" || { rm -f "$run/$name.pid"; return 0; }
  start-stop-daemon --stop --pidfile "$run/$name.pid" --retry "${2:-TERM}/15/KILL/5" >/dev/null || true
  rm -f "$run/$name.pid"
}

start_part() {
  case $1 in
    redis) deploy/redis-cluster.sh start 7001 ;;
    redis-700[1-6]) deploy/redis-cluster.sh start 7001 ;; # starts whichever node is down
    galera) deploy/galera.sh start ;;
    galera-check)
      daemon galera-check /usr/bin/env node deploy/galera-check.mjs
      wait_until "the Galera check" 10 ready http://127.0.0.1:3392/
      ;;
    galera-[123]) deploy/galera.sh start-node "${1#galera-}" ;;
    haproxy)
      if ! running haproxy; then
        haproxy -c -q -f deploy/haproxy.cfg
        daemon haproxy /usr/sbin/haproxy -W -db -f deploy/haproxy.cfg
      fi
      wait_until "HAProxy to reach a Galera node" 20 \
        mariadb --no-defaults -h127.0.0.1 -P3390 -utodos -ptodos-stack --connect-timeout=2 -e 'SELECT 1' todos
      ;;
    schema) DATABASE_URL=$DATABASE_URL node --import tsx scripts/db-push.ts ;;
    mail)
      daemon mail /usr/bin/env MAIL_SINK_SMTP_PORT=3425 MAIL_SINK_HTTP_PORT=3426 node --import tsx e2e/mail-sink.ts
      wait_until "the mail catcher" 20 ready http://127.0.0.1:3426/
      ;;
    app-1 | app-2)
      daemon "$1" /usr/bin/env PORT="$(app_port "$1")" INSTANCE_ID="$1" node --max-old-space-size=256 server.mjs
      wait_until "$1 to be ready" 60 ready "http://127.0.0.1:$(app_port "$1")/api/ready"
      # Back in nginx's rotation, if it was drained.
      if running nginx && grep -q "$(app_port "$1") down" "$state/nginx/upstream.conf" 2>/dev/null; then
        write_upstream
        nginx_reload
      fi
      ;;
    worker) daemon worker /usr/bin/env INSTANCE_ID=worker node --import tsx --conditions=react-server scripts/worker.ts ;;
    nginx)
      mkdir -p "$state/nginx/"{run,logs,tmp}
      [[ -f "$state/nginx/upstream.conf" ]] || write_upstream
      # Workers run as nobody: they write request bodies of imports there.
      [[ $(id -u) == 0 ]] && chown -R nobody:nogroup "$state/nginx/tmp"
      if ! running nginx; then
        nginx_config
        nginx -t -q -p "$state/nginx/" -e logs/error.log -c "$state/nginx/nginx.conf"
        daemon nginx /usr/sbin/nginx -p "$state/nginx/" -e logs/error.log -c "$state/nginx/nginx.conf" -g 'daemon off;'
      fi
      wait_until "nginx to answer" 20 ready "$URL/api/ready"
      ;;
    *)
      echo "unknown part: $1" >&2
      exit 2
      ;;
  esac
}

stop_part() {
  case $1 in
    app-1 | app-2)
      # Drain it at nginx first, then SIGTERM (it finishes the requests it has).
      if running nginx; then
        write_upstream "$1"
        nginx_reload
        sleep 1
      fi
      stop_daemon "$1"
      ;;
    redis) deploy/redis-cluster.sh stop 7001 ;;
    redis-700[1-6]) redis-cli -h 127.0.0.1 -p "${1#redis-}" shutdown nosave >/dev/null 2>&1 || true ;;
    galera) deploy/galera.sh stop ;;
    galera-[123]) deploy/galera.sh stop-node "${1#galera-}" ;;
    *) stop_daemon "$1" ;;
  esac
}

# The instances in nginx's upstream (deploy/nginx.conf includes it); $1, if given, is marked down.
write_upstream() {
  local app
  mkdir -p "$state/nginx"
  for app in "${apps[@]}"; do
    printf 'server 127.0.0.1:%s%s max_fails=1 fail_timeout=2s;\n' "$(app_port "$app")" "$([[ $app == "${1:-}" ]] && echo ' down')"
  done >"$state/nginx/upstream.conf"
}

# deploy/nginx.conf, copied beside the upstream.conf it includes (nginx resolves an include
# against the directory of its configuration file).
nginx_config() { cp deploy/nginx.conf "$state/nginx/nginx.conf"; }

# New workers take the new upstream; the old ones finish their requests first.
nginx_reload() {
  nginx_config
  nginx -q -p "$state/nginx/" -e logs/error.log -c "$state/nginx/nginx.conf" -s reload
}

kill_part() {
  case $1 in
    galera-[123]) deploy/galera.sh kill "${1#galera-}" ;;
    redis-700[1-6]) redis_kill "${1#redis-}" ;;
    galera | redis | schema)
      echo "kill one node: $1-<n>" >&2
      exit 2
      ;;
    *)
      if running "$1"; then kill -KILL "$(pid_of "$1")"; fi
      rm -f "$run/$1.pid"
      ;;
  esac
}

redis_kill() {
  local pidfile="$root/.redis-cluster/7001/redis-$1.pid"
  [[ -f $pidfile ]] && kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
}

check_tools() {
  local missing=()
  for tool in mariadbd redis-server haproxy nginx rsync curl; do
    command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || missing+=("$tool")
  done
  [[ -f /usr/lib/galera/libgalera_smm.so ]] || missing+=(galera-4)
  ((${#missing[@]})) || return 0
  local packages=(mariadb-server galera-4 rsync redis-server haproxy nginx curl)
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "installing Debian's ${packages[*]} (missing: ${missing[*]})"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${packages[@]}" >/dev/null || { apt-get update -qq && apt-get install -y -qq "${packages[@]}" >/dev/null; }
    # The packages start their own services on the standard ports; the stack runs its own.
    for service in nginx haproxy; do service "$service" stop >/dev/null 2>&1 || true; done
  else
    echo "missing: ${missing[*]} (apt-get install ${packages[*]})" >&2
    exit 1
  fi
}

up() {
  check_tools
  load_env
  mkdir -p "$run" "$logs"
  start_part redis
  start_part galera
  start_part galera-check
  start_part haproxy
  start_part schema
  if [[ ! -f .next/BUILD_ID ]]; then
    echo "no build yet: next build"
    npx next build
  fi
  start_part mail
  for app in "${apps[@]}"; do start_part "$app"; done
  start_part worker
  start_part nginx
  echo "stack up: $URL (mail that arrived: http://127.0.0.1:3426/messages, HAProxy: http://127.0.0.1:3389/)"
}

down() {
  for part in nginx worker "${apps[@]}" mail haproxy galera-check; do stop_part "$part"; done
  stop_part galera
  stop_part redis
  echo "stack down"
}

status() {
  local down=0 line
  line() { printf '%-13s %s\n' "$1" "$2"; }
  for part in nginx "${apps[@]}" worker mail haproxy galera-check; do
    if running "$part"; then line "$part" "up (pid $(pid_of "$part"))"; else line "$part" down; down=1; fi
  done
  for app in "${apps[@]}"; do
    running "$app" && ! ready "http://127.0.0.1:$(app_port "$app")/api/ready" && { line "$app" "not ready"; down=1; }
  done
  deploy/galera.sh status | sed 's/^/galera       /' || down=1
  deploy/redis-cluster.sh status 7001 | sed 's/^/redis        /' || down=1
  if ready "$URL/api/ready"; then echo "$URL ready"; else echo "$URL not ready"; down=1; fi
  return $down
}

part_arg() {
  [[ -n ${2:-} ]] || { echo "usage: $0 $1 PART" >&2; exit 2; }
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) status ;;
  start)
    part_arg "$@"
    load_env
    mkdir -p "$run" "$logs"
    start_part "$2"
    ;;
  stop) part_arg "$@"; stop_part "$2" ;;
  kill) part_arg "$@"; kill_part "$2" ;;
  *)
    echo "usage: $0 up|down|status|start PART|stop PART|kill PART" >&2
    exit 2
    ;;
esac
