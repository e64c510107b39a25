# shellcheck shell=bash disable=SC2154 # prefix, confdir, statedir, no_systemd are the caller's
# Idempotent install steps shared by install-agent.sh and install-server.sh (sourced, bash).
#
# Every step compares what is there with what should be there and only then writes, so a second
# run changes nothing; each change is one line of output, and `finish` says when there was none.
# Paths are given as on the target system (/etc/vigil/agent.yml) and written under $root, so a
# test can install into a temporary directory. Under a --root other than /, users are not created
# and ownership is not set (the users of the real system are not those of that tree).

prog=${prog:-install}
root=${root:-}        # "" is the real system
changes=0
verbose=${verbose:-}

say() { echo "$prog: $*"; }
fail() { echo "$prog: error: $*" >&2; exit 1; }
changed() { changes=$((changes + 1)); say "$*"; }
same() { if [ -n "$verbose" ]; then say "unchanged: $*"; fi; }

# The real system, where users exist and ownership is set.
on_real_system() { [ -z "$root" ]; }

# After option parsing, the checks both install scripts share: the root (from --root or DESTDIR),
# --purge only with --uninstall, absolute directories, root privileges on the real system.
settle_common_options() {
  root=${root:-${DESTDIR:-}}
  root=${root%/}
  if [ -n "$purge" ] && [ -z "$uninstall" ]; then fail "--purge goes with --uninstall"; fi
  for d in "$prefix" "$confdir" "$statedir"; do
    case "$d" in /?*) ;; *) fail "'$d' must be an absolute path" ;; esac
  done
  if on_real_system && [ "$(id -u)" != 0 ]; then fail "run as root, or use --root DIR to install into a directory"; fi
}

# owner_of USER GROUP: "USER:GROUP" when ownership applies, else "".
owner_of() {
  if on_real_system && [ "$(id -u)" = 0 ]; then echo "$1:$2"; fi
}

# ensure_dir PATH MODE USER GROUP
ensure_dir() {
  local path="$root$1" mode=$2 owner
  owner=$(owner_of "$3" "$4")
  if [ ! -d "$path" ]; then
    mkdir -p "$path"
    chmod "$mode" "$path"
    if [ -n "$owner" ]; then chown "$owner" "$path"; fi
    changed "created $1"
    return
  fi
  local what=""
  if [ "$(stat -c %a "$path")" != "${mode#0}" ]; then chmod "$mode" "$path"; what="mode $mode"; fi
  if [ -n "$owner" ] && [ "$(stat -c %U:%G "$path")" != "$owner" ]; then chown "$owner" "$path"; what="${what:+$what, }owner $owner"; fi
  if [ -n "$what" ]; then changed "set $what on $1"; else same "$1"; fi
}

# put_file SRC DST MODE [USER GROUP]: install SRC as DST (atomically) unless identical.
put_file() {
  local src=$1 dst="$root$2" mode=$3 owner=""
  if [ $# -ge 5 ]; then owner=$(owner_of "$4" "$5"); fi
  [ -f "$src" ] || fail "$src is missing"
  if [ -f "$dst" ] && cmp -s "$src" "$dst"; then
    local what=""
    if [ "$(stat -c %a "$dst")" != "${mode#0}" ]; then chmod "$mode" "$dst"; what="mode $mode"; fi
    if [ -n "$owner" ] && [ "$(stat -c %U:%G "$dst")" != "$owner" ]; then chown "$owner" "$dst"; what="${what:+$what, }owner $owner"; fi
    if [ -n "$what" ]; then changed "set $what on $2"; else same "$2"; fi
    return 1
  fi
  local verb=installed
  if [ -e "$dst" ]; then verb=updated; fi
  mkdir -p "$(dirname "$dst")"
  local tmp
  tmp=$(mktemp "$(dirname "$dst")/.$(basename "$dst").XXXXXX")
  cp "$src" "$tmp"
  chmod "$mode" "$tmp"
  if [ -n "$owner" ]; then chown "$owner" "$tmp"; fi
  mv -f "$tmp" "$dst"
  changed "$verb $2"
  return 0
}

# put_template SRC DST MODE [USER GROUP]: put_file after rewriting the default paths in SRC to the
# chosen ones (units, launchers and configuration name /opt/vigil, /etc/vigil, /var/lib/vigil).
put_template() {
  local src=$1 tmp rc=0
  tmp=$(mktemp)
  sed -e "s|/opt/vigil|$prefix|g" -e "s|/etc/vigil|$confdir|g" -e "s|/var/lib/vigil|$statedir|g" "$src" > "$tmp"
  shift
  put_file "$tmp" "$@" || rc=$?
  rm -f "$tmp"
  return $rc
}

# put_config SRC DST MODE USER GROUP: a file the operator owns once it exists. Written when
# absent; an existing one is kept whatever it holds (the template is installed beside the docs).
put_config() {
  local dst="$root$2"
  if [ -e "$dst" ]; then
    same "$2 (yours, kept)"
    # still fix the mode and owner: a secret must not become readable by all
    local owner what=""
    owner=$(owner_of "$4" "$5")
    if [ "$(stat -c %a "$dst")" != "${3#0}" ]; then chmod "$3" "$dst"; what="mode $3"; fi
    if [ -n "$owner" ] && [ "$(stat -c %U:%G "$dst")" != "$owner" ]; then chown "$owner" "$dst"; what="${what:+$what, }owner $owner"; fi
    if [ -n "$what" ]; then changed "set $what on $2"; fi
    return 1
  fi
  put_file "$@"
}

# put_link TARGET LINK
put_link() {
  local link="$root$2"
  if [ -L "$link" ] && [ "$(readlink "$link")" = "$1" ]; then same "$2"; return 1; fi
  if [ -e "$link" ] && [ ! -L "$link" ]; then say "not linking $2: a file that is not a link is there"; return 1; fi
  mkdir -p "$(dirname "$link")"
  ln -sfn "$1" "$link"
  changed "linked $2 -> $1"
}

# remove PATH...: files, links or empty directories; a missing one is no change.
remove() {
  local p
  for p in "$@"; do
    if [ -L "$root$p" ] || [ -f "$root$p" ]; then rm -f "$root$p"; changed "removed $p"
    elif [ -d "$root$p" ]; then
      if rmdir "$root$p" 2>/dev/null; then changed "removed $p"; else say "kept $p: not empty"; fi
    fi
  done
}

# remove_tree PATH: a directory and everything in it (--purge only).
remove_tree() {
  case "$1" in /?*) ;; *) fail "refusing to remove '$1': not an absolute path below /" ;; esac
  if [ -e "$root$1" ]; then rm -rf -- "$root$1"; changed "removed $1 and everything in it"; fi
}

ensure_user() {
  if ! on_real_system; then same "user vigil (not created under --root)"; return; fi
  [ "$(id -u)" = 0 ] || fail "run as root to create the user vigil (or use --root DIR to install into a directory)"
  if getent passwd vigil >/dev/null; then same "user vigil"; return; fi
  # its home, so that adduser finds it (ensure_dir gives it to the user next)
  mkdir -p "$statedir"
  if command -v adduser >/dev/null 2>&1 && adduser --help 2>&1 | grep -q -- --system; then
    adduser --system --group --home "$statedir" --no-create-home --shell /usr/sbin/nologin \
      --gecos "Vigil monitoring" vigil >/dev/null
  else
    getent group vigil >/dev/null || groupadd --system vigil
    useradd --system --gid vigil --home-dir "$statedir" --no-create-home --shell /usr/sbin/nologin \
      --comment "Vigil monitoring" vigil
  fi
  changed "created system user vigil"
}

# The systemd part: only on the real system, with systemd running, unless --no-systemd.
systemd_usable() {
  if [ -n "$no_systemd" ]; then return 1; fi
  if ! on_real_system; then return 1; fi
  if [ ! -d /run/systemd/system ]; then say "systemd is not running here: no systemctl calls (use --no-systemd to say so)"; return 1; fi
  return 0
}

# finish STATE: the last line, e.g. "nothing changed: vigil-agent is already installed as asked".
finish() {
  if [ "$changes" -eq 0 ]; then say "nothing changed: $1"
  else say "$changes change(s) made"; fi
}
