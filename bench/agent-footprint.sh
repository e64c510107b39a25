#!/usr/bin/env bash
# Agent idle footprint: RSS and CPU of a real agent process with the bundled plugins loaded and
# their monitors running at default intervals, shipping to a real server on PostgreSQL.
#
#   bench/agent-footprint.sh [seconds=120]
#
# Needs: a built tree (./mvnw -q -DskipTests install) and PostgreSQL on 127.0.0.1:5432 (user
# postgres, trust), as for the tests. Prints one line per JVM flag set.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-120}"
work=$(mktemp -d /tmp/vigil-footprint-XXXX)
db="vigil_footprint_$$"
port=$((20000 + RANDOM % 10000))
token=footprint-agent-token-0123456789abcdef0123456789abcdef
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" >/dev/null
# the server refuses to start without a vault key: the benchmark makes a throw-away one
VIGIL_VAULT_KEY="bench:$(head -c 32 /dev/urandom | base64)" \
VIGIL_PORT=$port VIGIL_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" VIGIL_AGENT_TOKEN=$token \
  java -jar server/target/vigil-server.jar > "$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 1; done

mkdir -p "$work/plugins" "$work/watched"
cp agent/target/vigil-agent.jar "$work/vigil-agent.jar" # a private copy: nothing else may stop "our" agent
for f in plugins/*/target/vigil-plugin-*.jar; do
  case "$f" in *-sources.jar|*-tests.jar) continue ;; esac
  cp "$f" "$work/plugins/"
done
cat > "$work/agent.yml" <<YAML
agent: {name: footprint, listen: "127.0.0.1:0"}
server: {url: "http://127.0.0.1:$port", token: "$token"}
paths: {plugins: plugins, state: state}
monitors:
  - {name: heartbeat, plugin: example, kind: heartbeat}
  - {name: load, plugin: example, kind: loadavg}
  - {name: files, plugin: filesystem, kind: integrity, options: {paths: ["$work/watched"]}}
YAML
for i in $(seq 1 200); do echo "file $i" > "$work/watched/f$i.conf"; done

measure() {
  local label="$1"; shift
  java "$@" -jar "$work/vigil-agent.jar" run --config "$work/agent.yml" > "$work/agent-$label.log" 2>&1 &
  local pid=$!
  pids+=($pid)
  sleep 30 # start-up, first polls, baseline
  local t0 c0 t1 c1 rss hz
  hz=$(getconf CLK_TCK)
  t0=$(date +%s.%N); c0=$(awk '{print $14+$15}' /proc/$pid/stat)
  sleep "$seconds"
  t1=$(date +%s.%N); c1=$(awk '{print $14+$15}' /proc/$pid/stat)
  rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
  local plugins
  plugins=$(ls "$work/plugins" | wc -l)
  awk -v l="$label" -v r="$rss" -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v hz="$hz" -v p="$plugins" \
    'BEGIN { printf "%-10s plugins=%d RSS=%.1f MB  CPU=%.2f%% of one core over %.0f s\n", l, p, r/1024, 100*(c1-c0)/hz/(t1-t0), t1-t0 }'
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

measure default
export MALLOC_ARENA_MAX=1 # one glibc arena: the agent's threads are mostly idle
measure tuned -XX:+UseSerialGC -Xms4m -Xmx48m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -Xss256k \
  -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=8m
