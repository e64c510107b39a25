#!/usr/bin/env bash
# Installs the Vigil server as a systemd service on this host, from a build of this source tree
# (./mvnw -DskipTests install) or from a directory holding lib/vigil-server.jar (--from). Run it
# again to upgrade: it changes only what differs, and says "nothing changed" when there is nothing
# to do. The PostgreSQL database is not created here: docs/operator-guide.md says how.
#
#   sudo install/install-server.sh --db-url jdbc:postgresql://db1:5432/vigil --db-user vigil --start
#   sudo install/install-server.sh --uninstall            # keeps /etc/vigil/server.env
#   sudo install/install-server.sh --uninstall --purge    # removes it too (the database stays)
#
# What goes where:
#   /opt/vigil/bin/vigil-server         launcher
#   /opt/vigil/lib/vigil-server.jar     the server
#   /etc/vigil/server.env               its settings and secrets (written once; 0640 root:vigil)
#   /etc/vigil/vault.key                the key of its credential vault (made once; 0600 vigil:vigil)
#   /var/lib/vigil/server/              working directory (0750 vigil:vigil)
#   /etc/systemd/system/vigil-server.service
set -euo pipefail

prog=install-server
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=install-steps.sh
. "$here/install-steps.sh"

usage() {
  cat <<'TXT'
Usage: install-server.sh [options]

Installs the Vigil server (program, /etc/vigil/server.env, system user vigil, systemd unit
vigil-server.service). Idempotent: a second run changes nothing.

  --from DIR          install DIR/lib/vigil-server.jar (default: server/target/vigil-server.jar of
                      this source tree)
  --root DIR          install into DIR as if it were / (like DESTDIR): no user, no ownership,
                      no systemctl; for packaging and tests
  --prefix DIR        program directory (default /opt/vigil)
  --config-dir DIR    configuration directory (default /etc/vigil)
  --state-dir DIR     state directory; the server's is DIR/server (default /var/lib/vigil)
  --db-url URL        VIGIL_DB_URL of a new server.env (an existing one is kept)
  --db-user USER      VIGIL_DB_USER of a new server.env
  --db-password-file FILE  VIGIL_DB_PASSWORD of a new server.env, read from FILE
  --port PORT         VIGIL_PORT of a new server.env
  --start             start the server, or restart it when something changed
  --no-systemd        make no systemctl call
  --uninstall         remove the program and unit; keep server.env
  --purge             with --uninstall: remove server.env too (never the database)
  -v, --verbose       also list what was already in place
  -h, --help          this text
TXT
}

from="" prefix=/opt/vigil confdir=/etc/vigil statedir=/var/lib/vigil
db_url="" db_user="" db_password_file="" port="" start="" no_systemd="" uninstall="" purge=""
while [ $# -gt 0 ]; do
  case "$1" in
    --from) from=$2; shift ;;
    --root) root=${2%/}; shift ;;
    --prefix) prefix=${2%/}; shift ;;
    --config-dir) confdir=${2%/}; shift ;;
    --state-dir) statedir=${2%/}; shift ;;
    --db-url) db_url=$2; shift ;;
    --db-user) db_user=$2; shift ;;
    --db-password-file) db_password_file=$2; shift ;;
    --port) port=$2; shift ;;
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

unit=/etc/systemd/system/vigil-server.service

# --- uninstall ---------------------------------------------------------------------------------
if [ -n "$uninstall" ]; then
  if systemd_usable; then
    if systemctl is-active --quiet vigil-server.service; then systemctl stop vigil-server.service; changed "stopped vigil-server"; fi
    if systemctl is-enabled --quiet vigil-server.service 2>/dev/null; then systemctl disable --quiet vigil-server.service; changed "disabled vigil-server"; fi
  fi
  had_unit=""; if [ -e "$root$unit" ]; then had_unit=1; fi
  remove "$unit"
  if [ -n "$had_unit" ] && systemd_usable; then systemctl daemon-reload; fi
  remove /usr/bin/vigil-server "$prefix/bin/vigil-server" "$prefix/lib/vigil-server.jar" "$prefix/share/doc/server.env.example"
  if [ ! -e "$root$prefix/lib/vigil-agent.jar" ]; then remove "$prefix/share/doc/operator-guide.md"; fi
  if [ -n "$purge" ]; then
    remove "$confdir/server.env" "$confdir/vault.key"
    remove_tree "$statedir/server"
  else
    if [ -e "$root$confdir/server.env" ]; then say "kept $confdir/server.env (--purge removes it)"; fi
    if [ -e "$root$confdir/vault.key" ]; then say "kept $confdir/vault.key (--purge removes it)"; fi
  fi
  remove "$prefix/share/doc" "$prefix/share" "$prefix/lib" "$prefix/bin" "$prefix"
  if [ -n "$purge" ]; then
    remove "$confdir" "$statedir"
    if on_real_system && [ ! -e "$prefix/lib/vigil-agent.jar" ] && getent passwd vigil >/dev/null; then
      if command -v deluser >/dev/null 2>&1; then deluser --system --quiet vigil >/dev/null 2>&1; else userdel vigil; fi
      changed "removed system user vigil"
    fi
    say "the PostgreSQL database is not touched: drop it yourself if it should go too"
  fi
  finish "vigil-server is not installed"
  exit 0
fi

# --- what to install ---------------------------------------------------------------------------
tree=$(cd "$here/.." && pwd)
if [ -n "$from" ]; then
  jar=$from/lib/vigil-server.jar
  guide=$from/doc/operator-guide.md
else
  jar=$tree/server/target/vigil-server.jar
  guide=$tree/docs/operator-guide.md
fi
[ -f "$jar" ] || fail "$jar is missing: build first (./mvnw -B -DskipTests install) or pass --from DIR"

# --- install -----------------------------------------------------------------------------------
ensure_user
ensure_dir "$prefix" 0755 root root
ensure_dir "$prefix/bin" 0755 root root
ensure_dir "$prefix/lib" 0755 root root
ensure_dir "$prefix/share" 0755 root root
ensure_dir "$prefix/share/doc" 0755 root root
ensure_dir "$confdir" 0750 root vigil
ensure_dir "$statedir" 0750 vigil vigil
ensure_dir "$statedir/server" 0750 vigil vigil

program_changed=""
put_file "$jar" "$prefix/lib/vigil-server.jar" 0644 root root && program_changed=1
put_template "$here/bin/vigil-server" "$prefix/bin/vigil-server" 0755 root root && program_changed=1
put_link "$prefix/bin/vigil-server" /usr/bin/vigil-server || true
if [ -f "$guide" ]; then put_file "$guide" "$prefix/share/doc/operator-guide.md" 0644 root root || true; fi
put_file "$here/config/server.env" "$prefix/share/doc/server.env.example" 0644 root root || true

# server.env: written once, with a fresh admin token and the database settings given.
env_template=$(mktemp)
key_template=$(mktemp)
trap 'rm -f "$env_template" "$key_template"' EXIT
cp "$here/config/server.env" "$env_template"
set_env() { sed -i "s|^$1=.*\$|$1=$2|" "$env_template"; }
set_env VIGIL_ADMIN_TOKEN "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
set_env VIGIL_VAULT_KEY_FILE "$confdir/vault.key"
if [ -n "$db_url" ]; then set_env VIGIL_DB_URL "$db_url"; fi
if [ -n "$db_user" ]; then set_env VIGIL_DB_USER "$db_user"; fi
if [ -n "$db_password_file" ]; then set_env VIGIL_DB_PASSWORD "$(head -n 1 "$db_password_file")"; fi
if [ -n "$port" ]; then set_env VIGIL_PORT "$port"; fi
if put_config "$env_template" "$confdir/server.env" 0640 root vigil; then
  say "the admin token is VIGIL_ADMIN_TOKEN in $confdir/server.env"
elif [ -n "$db_url$db_user$db_password_file$port" ]; then
  say "kept $confdir/server.env as it is: edit it to change the database or port"
fi

# vault.key: the key of the server's credential vault. The server never makes a key and does not
# start without one, so the installer makes it, once, readable only by the server's user; an
# existing key is never replaced (the secrets stored under it would be lost), only its mode fixed.
printf 'k1:%s\n' "$(head -c 32 /dev/urandom | base64)" > "$key_template"
if put_config "$key_template" "$confdir/vault.key" 0600 vigil vigil; then
  say "made the vault key $confdir/vault.key: keep a copy of it apart from the database backups"
fi
# a server.env from before the vault: point it at the key (the server refuses to start without one)
if ! grep -Eq '^VIGIL_VAULT_KEY(_FILE)?=.' "$root$confdir/server.env"; then
  printf '\n# Added by install-server: the key of the credential vault (docs/operator-guide.md, "Vault key").\nVIGIL_VAULT_KEY_FILE=%s\n' \
    "$confdir/vault.key" >> "$root$confdir/server.env"
  changed "added VIGIL_VAULT_KEY_FILE to $confdir/server.env"
fi

unit_changed=""
put_template "$here/systemd/vigil-server.service" "$unit" 0644 root root && unit_changed=1

if systemd_usable; then
  if [ -n "$unit_changed" ]; then systemctl daemon-reload; fi
  if ! systemctl is-enabled --quiet vigil-server.service 2>/dev/null; then
    systemctl enable --quiet vigil-server.service; changed "enabled vigil-server (starts at boot)"
  fi
  active=""; if systemctl is-active --quiet vigil-server.service; then active=1; fi
  if [ -n "$active" ] && [ -z "$program_changed$unit_changed" ]; then same "vigil-server running"
  elif [ -n "$active" ]; then systemctl restart vigil-server.service; changed "restarted vigil-server"
  elif [ -n "$start" ]; then systemctl start vigil-server.service; changed "started vigil-server"
  else say "start it with: systemctl start vigil-server   (after creating the database: docs/operator-guide.md)"
  fi
fi
finish "vigil-server is already installed as asked"
