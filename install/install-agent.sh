#!/usr/bin/env bash
# Installs the Vigil agent as a systemd service on this host, from a build of this source tree
# (./mvnw -DskipTests install) or from a built distribution (--from). Run it again to upgrade: it
# changes only what differs, and says "nothing changed" when there is nothing to do.
#
#   sudo install/install-agent.sh --server-url https://vigil.example --token-file /root/agent.token --start
#   sudo install/install-agent.sh --uninstall            # keeps /etc/vigil and /var/lib/vigil/agent
#   sudo install/install-agent.sh --uninstall --purge    # removes them too
#
# What goes where (docs/operator-guide.md):
#   /opt/vigil/bin/vigil-agent          launcher with tuned JVM flags (also /usr/bin/vigil-agent)
#   /opt/vigil/lib/vigil-agent.jar      the agent
#   /opt/vigil/plugins/*.jar            bundled plugins (and those added by `vigil-agent plugin install`)
#   /opt/vigil/share/doc/               operator guide, each plugin's README and sample.yaml
#   /etc/vigil/agent.yml                configuration (written once, then yours; 0640 root:vigil)
#   /etc/vigil/agent.token              the agent's token, when given (0640 root:vigil)
#   /var/lib/vigil/agent/               spool.db and state.db (0750 vigil:vigil)
#   /etc/systemd/system/vigil-agent.service
set -euo pipefail

prog=install-agent
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=install-steps.sh
. "$here/install-steps.sh"

usage() {
  cat <<'TXT'
Usage: install-agent.sh [options]

Installs the Vigil agent (program, bundled plugins, configuration, state directory, system user
vigil, systemd unit vigil-agent.service). Idempotent: a second run changes nothing.

  --from DIR          install from a built distribution: DIR/lib/vigil-agent.jar, DIR/plugins/*.jar,
                      DIR/doc/ (default: this source tree's build: agent/target, plugins/*/target)
  --root DIR          install into DIR as if it were / (like DESTDIR): no user, no ownership,
                      no systemctl; for packaging and tests
  --prefix DIR        program directory (default /opt/vigil)
  --config-dir DIR    configuration directory (default /etc/vigil)
  --state-dir DIR     state directory; the agent's is DIR/agent (default /var/lib/vigil)
  --server-url URL    server.url written into a new agent.yml (an existing one is kept)
  --token-file FILE   store this agent token as <config-dir>/agent.token ('-': standard input;
                      the environment variable VIGIL_AGENT_TOKEN works too)
  --with-docker       add the user vigil to the group docker, for the docker plugin. That group can
                      control the Docker engine, which is as much as root on this host.
  --start             start the agent, or restart it when something changed
  --no-systemd        make no systemctl call
  --uninstall         remove the program, bundled plugins and unit; keep configuration and state
  --purge             with --uninstall: remove configuration, state and added plugins too
  -v, --verbose       also list what was already in place
  -h, --help          this text
TXT
}

from="" prefix=/opt/vigil confdir=/etc/vigil statedir=/var/lib/vigil server_url="" token_file=""
with_docker="" start="" no_systemd="" uninstall="" purge=""
while [ $# -gt 0 ]; do
  case "$1" in
    --from) from=$2; shift ;;
    --root) root=${2%/}; shift ;;
    --prefix) prefix=${2%/}; shift ;;
    --config-dir) confdir=${2%/}; shift ;;
    --state-dir) statedir=${2%/}; shift ;;
    --server-url) server_url=$2; shift ;;
    --token-file) token_file=$2; shift ;;
    --with-docker) with_docker=1 ;;
    --start) start=1 ;;
    --no-systemd) no_systemd=1 ;;
    --uninstall) uninstall=1 ;;
    --purge) purge=1 ;;
    -v|--verbose) verbose=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$prog: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
settle_common_options

unit=/etc/systemd/system/vigil-agent.service
bundled_list=$prefix/share/vigil-agent.bundled-plugins

# --- uninstall ---------------------------------------------------------------------------------
if [ -n "$uninstall" ]; then
  if systemd_usable; then
    if systemctl is-active --quiet vigil-agent.service; then systemctl stop vigil-agent.service; changed "stopped vigil-agent"; fi
    if systemctl is-enabled --quiet vigil-agent.service 2>/dev/null; then systemctl disable --quiet vigil-agent.service; changed "disabled vigil-agent"; fi
  fi
  had_unit=""; if [ -e "$root$unit" ]; then had_unit=1; fi
  remove "$unit"
  if [ -n "$had_unit" ] && systemd_usable; then systemctl daemon-reload; fi
  if [ -f "$root$bundled_list" ]; then
    while IFS= read -r name; do [ -n "$name" ] && remove "$prefix/plugins/$name"; done < "$root$bundled_list"
  fi
  remove "$bundled_list" /usr/bin/vigil-agent "$prefix/bin/vigil-agent" "$prefix/lib/vigil-agent.jar"
  if [ -d "$root$prefix/share/doc/plugins" ]; then remove_tree "$prefix/share/doc/plugins"; fi
  remove "$prefix/share/doc/agent.yml.example"
  if [ ! -e "$root$prefix/lib/vigil-server.jar" ]; then remove "$prefix/share/doc/operator-guide.md"; fi
  if [ -n "$purge" ]; then
    remove_tree "$statedir/agent"
    remove "$confdir/agent.yml" "$confdir/agent.token" "$confdir/agent.env"
    remove_tree "$prefix/plugins"
  else
    for kept in "$confdir/agent.yml" "$confdir/agent.token" "$confdir/agent.env" "$statedir/agent"; do
      if [ -e "$root$kept" ]; then say "kept $kept (--purge removes it)"; fi
    done
    if [ -d "$root$prefix/plugins" ] && [ -n "$(ls -A "$root$prefix/plugins")" ]; then
      say "kept $prefix/plugins: plugins added with 'vigil-agent plugin install' (--purge removes them)"
    fi
  fi
  remove "$prefix/plugins" "$prefix/share/doc" "$prefix/share" "$prefix/lib" "$prefix/bin" "$prefix"
  if [ -n "$purge" ]; then
    remove "$confdir" "$statedir"
    if on_real_system && [ ! -e "$prefix/lib/vigil-server.jar" ] && getent passwd vigil >/dev/null; then
      if command -v deluser >/dev/null 2>&1; then deluser --system --quiet vigil >/dev/null 2>&1; else userdel vigil; fi
      changed "removed system user vigil"
    fi
  fi
  finish "vigil-agent is not installed"
  exit 0
fi

# --- what to install: a distribution directory --------------------------------------------------
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
if [ -z "$from" ]; then
  # this source tree's build output, laid out as a distribution
  tree=$(cd "$here/.." && pwd)
  [ -f "$tree/agent/target/vigil-agent.jar" ] \
    || fail "$tree/agent/target/vigil-agent.jar is missing: build first (./mvnw -B -DskipTests install) or pass --from DIR"
  mkdir -p "$stage/lib" "$stage/plugins" "$stage/doc/plugins"
  cp "$tree/agent/target/vigil-agent.jar" "$stage/lib/"
  for jar in "$tree"/plugins/*/target/vigil-plugin-*.jar; do
    [ -e "$jar" ] || continue
    case "$(basename "$jar")" in original-*|*-sources.jar|*-javadoc.jar|*-tests.jar) continue ;; esac
    cp "$jar" "$stage/plugins/"
    dir=$(dirname "$(dirname "$jar")")
    id=$(basename "$dir")
    mkdir -p "$stage/doc/plugins/$id"
    for doc in README.md sample.yaml; do [ -f "$dir/$doc" ] && cp "$dir/$doc" "$stage/doc/plugins/$id/"; done
  done
  [ -f "$tree/docs/operator-guide.md" ] && cp "$tree/docs/operator-guide.md" "$stage/doc/"
  from=$stage
fi
[ -f "$from/lib/vigil-agent.jar" ] || fail "$from/lib/vigil-agent.jar is missing: not a Vigil agent distribution"

# --- install -----------------------------------------------------------------------------------
ensure_user
ensure_dir "$prefix" 0755 root root
ensure_dir "$prefix/bin" 0755 root root
ensure_dir "$prefix/lib" 0755 root root
ensure_dir "$prefix/plugins" 0755 root root
ensure_dir "$prefix/share" 0755 root root
ensure_dir "$prefix/share/doc" 0755 root root
ensure_dir "$confdir" 0750 root vigil
ensure_dir "$statedir" 0750 vigil vigil
ensure_dir "$statedir/agent" 0750 vigil vigil

program_changed=""
put_file "$from/lib/vigil-agent.jar" "$prefix/lib/vigil-agent.jar" 0644 root root && program_changed=1
put_template "$here/bin/vigil-agent" "$prefix/bin/vigil-agent" 0755 root root && program_changed=1
put_link "$prefix/bin/vigil-agent" /usr/bin/vigil-agent || true

# Bundled plugins; one bundled by an earlier version and not by this one is removed.
previous=""
if [ -f "$root$bundled_list" ]; then previous=$(cat "$root$bundled_list"); fi
current=""
for jar in "$from"/plugins/*.jar; do
  [ -e "$jar" ] || continue
  name=$(basename "$jar")
  current="$current$name"$'\n'
  put_file "$jar" "$prefix/plugins/$name" 0644 root root && program_changed=1
done
for name in $previous; do
  if ! grep -qxF "$name" <<<"$current"; then remove "$prefix/plugins/$name"; program_changed=1; fi
done
list=$(mktemp); printf '%s' "$current" > "$list"
put_file "$list" "$bundled_list" 0644 root root || true
rm -f "$list"

if [ -d "$from/doc" ]; then
  while IFS= read -r -d '' doc; do
    put_file "$doc" "$prefix/share/doc/${doc#"$from/doc/"}" 0644 root root || true
  done < <(find "$from/doc" -type f -print0 | sort -z)
fi

# Configuration: written once, from the template, with the server URL when given.
config_template=$(mktemp)
sed -e "s|/opt/vigil|$prefix|g" -e "s|/etc/vigil|$confdir|g" -e "s|/var/lib/vigil|$statedir|g" \
  "$here/config/agent.yml" > "$config_template"
put_file "$config_template" "$prefix/share/doc/agent.yml.example" 0644 root root || true
if [ -n "$server_url" ]; then
  case "$server_url" in http://?*|https://?*) ;; *) fail "--server-url must be an http:// or https:// URL, got '$server_url'" ;; esac
  sed -i "s|^  url: http://127.0.0.1:8080$|  url: $server_url|" "$config_template"
fi
if ! put_config "$config_template" "$confdir/agent.yml" 0640 root vigil && [ -n "$server_url" ]; then
  if ! grep -qE "^  url: $server_url\$" "$root$confdir/agent.yml"; then
    say "kept $confdir/agent.yml, whose server.url is not $server_url: edit it"
  fi
fi
rm -f "$config_template"

token=""
if [ -n "$token_file" ]; then
  if [ "$token_file" = - ]; then token=$(cat); else token=$(cat "$token_file"); fi
elif [ -n "${VIGIL_AGENT_TOKEN:-}" ]; then
  token=$VIGIL_AGENT_TOKEN
fi
if [ -n "$token" ]; then
  token_tmp=$(mktemp); printf '%s\n' "$token" > "$token_tmp"
  put_file "$token_tmp" "$confdir/agent.token" 0640 root vigil && program_changed=1
  rm -f "$token_tmp"
elif [ ! -e "$root$confdir/agent.token" ] && grep -q "file:$confdir/agent.token" "$root$confdir/agent.yml"; then
  say "no agent token yet: put it in $confdir/agent.token (mode 0640, group vigil) or rerun with --token-file"
fi

unit_changed=""
put_template "$here/systemd/vigil-agent.service" "$unit" 0644 root root && unit_changed=1

if [ -n "$with_docker" ]; then
  if ! on_real_system; then say "--with-docker: no group change under --root"
  elif ! getent group docker >/dev/null; then fail "--with-docker: there is no group docker on this host"
  elif id -nG vigil | tr ' ' '\n' | grep -qx docker; then same "user vigil in group docker"
  else usermod -aG docker vigil; changed "added user vigil to group docker"; program_changed=1
  fi
fi

if systemd_usable; then
  if [ -n "$unit_changed" ]; then systemctl daemon-reload; fi
  if ! systemctl is-enabled --quiet vigil-agent.service 2>/dev/null; then
    systemctl enable --quiet vigil-agent.service; changed "enabled vigil-agent (starts at boot)"
  fi
  active=""; if systemctl is-active --quiet vigil-agent.service; then active=1; fi
  if [ -n "$start" ] || [ -n "$active" ]; then
    if [ -n "$active" ] && [ -z "$program_changed$unit_changed" ]; then same "vigil-agent running"
    # checked as the agent's user, so that no plugin code runs as root here
    elif ! runuser -u vigil -- "$prefix/bin/vigil-agent" check --config "$confdir/agent.yml" >/dev/null 2>&1; then
      say "not (re)starting vigil-agent: the configuration has problems; see: vigil-agent check"
    elif [ -n "$active" ]; then systemctl restart vigil-agent.service; changed "restarted vigil-agent"
    else systemctl start vigil-agent.service; changed "started vigil-agent"
    fi
  else
    say "start it with: systemctl start vigil-agent   (check the configuration first: vigil-agent check)"
  fi
fi
finish "vigil-agent is already installed as asked"
