#!/usr/bin/env bash
# A local Redis Cluster for development and the stack: 3 primaries + 3 replicas on loopback, from
# Debian's redis-server and redis-cli (apt-get install redis-server). Idempotent: `start` starts
# only the nodes that are down (they rejoin the cluster they know) and creates the cluster when
# none was running; the topology (nodes.conf) lives under .redis-cluster/<base-port>/
# (git-ignored), the data is not kept (--save '').
#
#   deploy/redis-cluster.sh start|stop|status [base-port]     (default 7001: ports 7001-7006,
#                                                              and their bus ports 17001-17006)
# Then: REDIS_CLUSTER_NODES=127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003
set -euo pipefail

command=${1:-}
base=${2:-7001}
if ! [[ $base =~ ^[0-9]+$ ]] || ((base < 1024 || base > 55529)); then
  echo "base port must be a number from 1024 to 55529 (each node also uses port + 10000)" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.redis-cluster/$base"
ports=()
for i in 0 1 2 3 4 5; do ports+=($((base + i))); done

cli() { redis-cli -h 127.0.0.1 -p "$1" "${@:2}"; }
up() { [[ "$(cli "$1" ping 2>/dev/null)" == PONG ]]; }
state_ok() { cli "$1" cluster info 2>/dev/null | grep -q '^cluster_state:ok'; }
slots_assigned() { cli "$1" cluster info 2>/dev/null | sed -n 's/^cluster_slots_assigned:\([0-9]*\).*/\1/p'; }

wait_until() { # what, command...; up to 30 s
  local what=$1
  shift
  for _ in $(seq 1 60); do
    if "$@"; then return 0; fi
    sleep 0.5
  done
  echo "timed out waiting for $what" >&2
  return 1
}
any_up() {
  local port
  for port in "${ports[@]}"; do up "$port" && return 0; done
  return 1
}
all_up() { local port; for port in "${ports[@]}"; do up "$port" || return 1; done; }
synced() { cli "$1" info replication 2>/dev/null | grep -q -e '^role:master' -e '^master_link_status:up'; }
all_synced() { local port; for port in "${ports[@]}"; do synced "$port" || return 1; done; }
all_ok() { local port; for port in "${ports[@]}"; do state_ok "$port" || return 1; done; }

start() {
  command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install redis-server" >&2; exit 1; }
  mkdir -p "$dir"
  # No node keeps data (--save ''): when none is running, the old topology describes keys that are
  # gone, and nodes restarted from it can disagree about who owns which slot. Start afresh then;
  # a node started while others run keeps its nodes.conf and rejoins the cluster it knows.
  if ! any_up; then rm -f "$dir"/nodes-*.conf "$dir"/dump*.rdb; fi
  for port in "${ports[@]}"; do
    if up "$port"; then continue; fi
    # Each node its own dump file: a replica writes the copy it syncs there, and with one --dir
    # for all, a node restarted later would load another node's keys.
    redis-server --port "$port" --bind 127.0.0.1 --protected-mode yes \
      --cluster-enabled yes --cluster-node-timeout 2000 \
      --cluster-config-file "$dir/nodes-$port.conf" --dir "$dir" --dbfilename "dump-$port.rdb" \
      --save '' --appendonly no --repl-diskless-sync-delay 0 \
      --daemonize yes --pidfile "$dir/redis-$port.pid" --logfile "$dir/redis-$port.log"
  done
  wait_until "the nodes to answer" all_up
  # A new cluster has no slots anywhere; a restarted one finds its topology in nodes.conf.
  if [[ "$(slots_assigned "${ports[0]}")" == 0 ]]; then
    local addresses=()
    for port in "${ports[@]}"; do addresses+=("127.0.0.1:$port"); done
    redis-cli --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log"
  fi
  wait_until "cluster_state:ok on every node" all_ok
  # A replica that never synced refuses to take over from a crashed primary.
  wait_until "every replica in sync" all_synced
  echo "Redis Cluster up: REDIS_CLUSTER_NODES=127.0.0.1:${ports[0]},127.0.0.1:${ports[1]},127.0.0.1:${ports[2]}"
}

stop() {
  for port in "${ports[@]}"; do
    if up "$port"; then cli "$port" shutdown nosave >/dev/null 2>&1 || true; fi
  done
  echo "Redis Cluster on ${ports[0]}-${ports[5]} stopped"
}

status() {
  local down=0
  for port in "${ports[@]}"; do
    if up "$port"; then
      printf '%s %s %s\n' "$port" "$(cli "$port" cluster info | sed -n 's/^cluster_state:\(.*\)\r*$/\1/p' | tr -d '\r')" \
        "$(cli "$port" role | head -1)"
    else
      printf '%s down\n' "$port"
      down=1
    fi
  done
  return $down
}

case $command in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: $0 start|stop|status [base-port]" >&2
    exit 2
    ;;
esac
