#!/usr/bin/env bash
# Builds Vigil and starts it doing its job on this machine, with nothing to install by hand:
# the server on an embedded PostgreSQL (real PostgreSQL binaries from Maven Central), and an agent
# with every bundled plugin shipping events to it. Ctrl-C stops both; data is kept for the next run.
#
#   ./demo.sh              build, start, and stay in the foreground
#   VIGIL_PORT=9090 ./demo.sh
set -euo pipefail
cd "$(dirname "$0")"

port="${VIGIL_PORT:-8080}"
demo="$PWD/.vigil-demo"
mkdir -p "$demo/plugins" "$demo/state" "$demo/watched"
[ -f "$demo/watched/app.conf" ] || echo "max_connections = 100" > "$demo/watched/app.conf"

command -v java >/dev/null || { echo "demo: java not found; install a JDK 17 or newer" >&2; exit 1; }
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "demo: port $port is already in use; stop what uses it or run VIGIL_PORT=<free port> ./demo.sh" >&2
  exit 1
fi

echo "demo: building (first run downloads dependencies; later runs take seconds)..."
./mvnw -q -B -DskipTests install

# Every bundled plugin, as a built plugin file: the agent loads them through PF4J from this folder.
rm -f "$demo"/plugins/*.jar "$demo"/plugins/*.zip
for f in plugins/*/target/vigil-plugin-*.jar plugins/*/target/vigil-plugin-*.zip; do
  [ -e "$f" ] || continue
  case "$f" in *-sources.jar|*-javadoc.jar|*-tests.jar) continue ;; esac
  cp "$f" "$demo/plugins/"
done

# Tokens are made once and kept, so a restarted demo keeps talking to the same server data.
if [ ! -f "$demo/tokens.env" ]; then
  (
    umask 077 # the token file only; the processes started below keep the caller's umask
    {
      echo "VIGIL_AGENT_TOKEN=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
      echo "VIGIL_ADMIN_TOKEN=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    } > "$demo/tokens.env"
  )
fi
set -a; . "$demo/tokens.env"; set +a

# The server keeps its secrets encrypted under a key it never makes itself: the demo (you, the
# operator) makes one once, readable only by you, and keeps it with the demo's data.
if [ ! -f "$demo/vault.key" ]; then
  (umask 077; printf 'demo:%s\n' "$(head -c 32 /dev/urandom | base64)" > "$demo/vault.key")
fi

cat > "$demo/agent.yml" <<YAML
# Written by demo.sh. Every option is documented in plugins/<id>/README.md.
agent:
  name: demo-agent
server:
  url: http://127.0.0.1:$port
  token: \${env:VIGIL_AGENT_TOKEN}
paths:
  plugins: plugins
  state: state
monitors:
  - name: heartbeat
    plugin: example
    kind: heartbeat
    interval: 5s
    options:
      message: demo agent alive
  - name: load
    plugin: example
    kind: loadavg
    interval: 10s
  - name: demo-files
    plugin: filesystem
    kind: integrity
    options:
      paths: ["$demo/watched"]
      severity_rules: {"**/*.conf": medium}
YAML
if [ -S /var/run/docker.sock ]; then
  cat >> "$demo/agent.yml" <<YAML
  - name: containers
    plugin: docker
    kind: containers
YAML
fi

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo; echo "demo: stopping (data kept in $demo and the embedded PostgreSQL's data directory)"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup INT TERM EXIT

echo "demo: starting the server on an embedded PostgreSQL (log: $demo/server.log)"
VIGIL_PORT="$port" VIGIL_VAULT_KEY_FILE="$demo/vault.key" java -jar server/target/vigil-server.jar --embedded-postgres > "$demo/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 180); do
  if curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "${pids[0]}" 2>/dev/null; then
    echo "demo: the server exited; last lines of $demo/server.log:" >&2; tail -n 30 "$demo/server.log" >&2; exit 1
  fi
  sleep 1
done
curl -fs "http://127.0.0.1:$port/health" >/dev/null || { echo "demo: server not healthy after 180 s; see $demo/server.log" >&2; exit 1; }

echo "demo: starting the agent with plugins: $(cd "$demo/plugins" && ls | tr '\n' ' ')(log: $demo/agent.log)"
java -XX:+UseSerialGC -Xmx64m -jar agent/target/vigil-agent.jar run --config "$demo/agent.yml" > "$demo/agent.log" 2>&1 &
pids+=($!)

events="curl -s -H 'Authorization: Bearer $VIGIL_ADMIN_TOKEN' 'http://127.0.0.1:$port/api/v1/events?limit=5'"
for _ in $(seq 1 60); do
  if curl -fs -H "Authorization: Bearer $VIGIL_ADMIN_TOKEN" "http://127.0.0.1:$port/api/v1/events?limit=1" | grep -q '"id"'; then
    break
  fi
  sleep 1
done

cat <<TXT

Vigil is running.
  server     http://127.0.0.1:$port   (health: http://127.0.0.1:$port/health, metrics: http://127.0.0.1:$port/prometheus)
  dashboard  http://127.0.0.1:$port/ui/   (sign in with the admin token VIGIL_ADMIN_TOKEN from $demo/tokens.env)
  agent      demo-agent, config $demo/agent.yml
  logs       $demo/server.log  $demo/agent.log
  events     $events
  tokens     $demo/tokens.env
  vault key  $demo/vault.key

Try: echo "max_connections = 10" >> $demo/watched/app.conf   (a file.modified event appears within a second)

Latest events stored in PostgreSQL:
TXT
curl -s -H "Authorization: Bearer $VIGIL_ADMIN_TOKEN" "http://127.0.0.1:$port/api/v1/events?limit=3"; echo
echo; echo "Press Ctrl-C to stop."
wait "${pids[0]}"
