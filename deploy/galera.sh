#!/usr/bin/env bash
# A local MariaDB Galera cluster of three nodes on loopback, from Debian's mariadb-server and
# galera-4 (apt-get install mariadb-server galera-4 rsync). Idempotent: `start` starts only the
# nodes that are down; the first node to start bootstraps the cluster (or the node Galera marked
# safe to bootstrap), the others join it and catch up by IST or an rsync state transfer.
#
#   deploy/galera.sh start|stop|status|start-node N|stop-node N|kill N      (nodes 1-3)
#
# Node N: client port 3310+N, group communication 4557+10N (IST on the next port), state
# transfer 4434+10N. Data lives under .stack/galera/node<N>/ (git-ignored). mariadbd runs as the
# `mysql` user: run as root, rsync's state transfer drops to `nobody` and fails (STACK-NOTES).
# Users made on the first start: root@localhost (no password, for this script), todos (the app,
# password "todos-stack", only the `todos` database) and haproxy (no password, no rights: the
# health check logs in with it).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.stack/galera"
nodes=(1 2 3)

client_port() { echo $((3310 + $1)); }
gcomm_port() { echo $((4557 + 10 * $1)); }
sst_port() { echo $((4434 + 10 * $1)); }
datadir() { echo "$dir/node$1"; }
pidfile() { echo "$dir/node$1.pid"; }

sql() { mariadb --no-defaults -uroot -h127.0.0.1 -P"$(client_port "$1")" --connect-timeout=2 -N -B -e "$2"; }
answers() { sql "$1" 'SELECT 1' >/dev/null 2>&1; }
wsrep() { sql "$1" "SHOW STATUS LIKE 'wsrep_$2'" 2>/dev/null | cut -f2; }
synced() { [[ "$(wsrep "$1" local_state_comment)" == Synced ]]; }
running() { local pid; pid=$(cat "$(pidfile "$1")" 2>/dev/null) && kill -0 "$pid" 2>/dev/null; }
alive_and_synced() {
  running "$1" || { echo "node $1 stopped: see $dir/node$1.log" >&2; exit 1; }
  synced "$1"
}
any_running() { local n; for n in "${nodes[@]}"; do running "$n" && return 0; done; return 1; }

wait_until() { # what, seconds, command...
  local what=$1 seconds=$2
  shift 2
  for _ in $(seq 1 $((seconds * 2))); do
    if "$@"; then return 0; fi
    sleep 0.5
  done
  echo "timed out waiting for $what" >&2
  return 1
}

install_node() {
  local data
  data=$(datadir "$1")
  [[ -d "$data/mysql" ]] && return 0
  mkdir -p "$data"
  chown mysql:mysql "$data"
  mariadb-install-db --no-defaults --datadir="$data" --user=mysql \
    --auth-root-authentication-method=normal --skip-test-db >"$dir/install-node$1.log" 2>&1
}

# A node that dies without a goodbye stalls every commit in the cluster until the others give up
# on it (evs.suspect_timeout, 5 s by default): 2 s here, on loopback, where a missed keepalive
# means a dead process. Between machines keep the defaults (a slow network is not a dead node).
EVS_TIMEOUTS="evs.keepalive_period=PT0.5S;evs.suspect_timeout=PT2S;evs.inactive_timeout=PT4S;evs.install_timeout=PT4S"

# Starts node $1; $2 = "bootstrap" to found a new cluster with it.
launch() {
  local n=$1 address=gcomm://127.0.0.1:4567,127.0.0.1:4577,127.0.0.1:4587 extra=()
  if [[ ${2:-} == bootstrap ]]; then
    address=gcomm://
    extra+=(--wsrep-new-cluster)
    # Galera refuses to bootstrap from a node that was not the last to leave; when none is up,
    # this one is the most recent we have (a test bench: a real cluster needs a person here).
    [[ -f "$(datadir "$n")/grastate.dat" ]] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$(datadir "$n")/grastate.dat"
  fi
  # start-stop-daemon detaches it and writes the pid file; mariadbd itself drops to `mysql`.
  start-stop-daemon --start --background --make-pidfile --pidfile "$(pidfile "$n")" \
    --output "$dir/node$n.log" --exec /usr/sbin/mariadbd -- \
    --no-defaults --datadir="$(datadir "$n")" --user=mysql \
    --bind-address=127.0.0.1 --port="$(client_port "$n")" --socket="$(datadir "$n")/mariadbd.sock" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
    --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=2 --max-connections=300 \
    --wsrep-on=ON --wsrep-provider=/usr/lib/galera/libgalera_smm.so \
    --wsrep-cluster-name=todos-stack --wsrep-node-name="node$n" \
    --wsrep-cluster-address="$address" --wsrep-node-address="127.0.0.1:$(gcomm_port "$n")" \
    --wsrep-provider-options="base_port=$(gcomm_port "$n");gcache.size=64M;$EVS_TIMEOUTS" \
    --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$(sst_port "$n")" \
    --wsrep-retry-autocommit=3 \
    "${extra[@]}"
}

start_node() {
  local n=$1
  if running "$n"; then return 0; fi
  install_node "$n"
  if any_running; then launch "$n"; else launch "$n" bootstrap; fi
  # A joiner may need a full state transfer: give it time.
  wait_until "node $n to be synced" 120 alive_and_synced "$n"
}

make_users() {
  sql 1 "CREATE DATABASE IF NOT EXISTS todos CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    CREATE USER IF NOT EXISTS 'todos'@'127.0.0.1' IDENTIFIED BY 'todos-stack';
    GRANT ALL PRIVILEGES ON todos.* TO 'todos'@'127.0.0.1';
    CREATE USER IF NOT EXISTS 'haproxy'@'127.0.0.1';"
}

start() {
  command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]] || { echo "mariadbd is missing: apt-get install mariadb-server galera-4 rsync" >&2; exit 1; }
  [[ -f /usr/lib/galera/libgalera_smm.so ]] || { echo "the Galera provider is missing: apt-get install galera-4" >&2; exit 1; }
  command -v rsync >/dev/null || { echo "rsync is missing (state transfer): apt-get install rsync" >&2; exit 1; }
  mkdir -p "$dir"
  chmod 755 "$root/.stack" "$dir"
  local n
  for n in "${nodes[@]}"; do start_node "$n"; done
  make_users
  echo "Galera up: nodes on 127.0.0.1:$(client_port 1),$(client_port 2),$(client_port 3), cluster size $(wsrep 1 cluster_size)"
}

stop_node() {
  local n=$1
  running "$n" || return 0
  start-stop-daemon --stop --pidfile "$(pidfile "$n")" --retry TERM/30/KILL/5 >/dev/null || true
  rm -f "$(pidfile "$n")"
}

stop() {
  # The last to leave is the one Galera marks safe to bootstrap: node 1, which starts first.
  local n
  for n in 3 2 1; do stop_node "$n"; done
  echo "Galera stopped"
}

status() {
  local down=0 n
  for n in "${nodes[@]}"; do
    if answers "$n"; then
      printf 'node%s %s %s cluster_size=%s\n' "$n" "$(client_port "$n")" "$(wsrep "$n" local_state_comment)" "$(wsrep "$n" cluster_size)"
    else
      printf 'node%s %s down\n' "$n" "$(client_port "$n")"
      down=1
    fi
  done
  return $down
}

node_arg() {
  [[ ${1:-} =~ ^[123]$ ]] || { echo "which node? 1, 2 or 3" >&2; exit 2; }
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  start-node) node_arg "${2:-}" && start_node "$2" ;;
  stop-node) node_arg "${2:-}" && stop_node "$2" ;;
  # A crash, for the fault tests: no shutdown, no goodbye to the cluster.
  kill)
    node_arg "${2:-}"
    n=$2
    if running "$n"; then kill -KILL "$(cat "$(pidfile "$n")")"; fi
    rm -f "$(pidfile "$n")"
    ;;
  *)
    echo "usage: $0 start|stop|status|start-node N|stop-node N|kill N" >&2
    exit 2
    ;;
esac
