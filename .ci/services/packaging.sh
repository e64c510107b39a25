# Tools the packaging module's tests use (sourced by .ci/run: bash, set -euo pipefail, root, with
# log and apt_install): dpkg-deb and dpkg to inspect the agent's .deb and install it into a
# throwaway root, systemd-analyze to verify the unit files. The tests fail, not skip, without them.

if ! command -v dpkg-deb >/dev/null; then
  log "installing dpkg"; apt_install dpkg
fi
if ! command -v systemd-analyze >/dev/null; then
  log "installing systemd (for systemd-analyze verify; it is not started)"; apt_install systemd
fi
log "packaging tools ready: dpkg-deb $(dpkg-deb --version | head -n 1 | grep -o 'version [^ ]*'), $(systemd-analyze --version | head -n 1)"
