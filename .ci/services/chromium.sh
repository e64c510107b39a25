# Headless Chromium and its WebDriver for the dashboard's browser specifications
# (server/src/test/java/io/vigil/server/dashboard/ui, Selenium). Sourced by .ci/run (bash,
# set -euo pipefail, root, with log and apt_install). Debian's chromium and chromium-driver come
# as a matching pair; the tests start them themselves, headless, with a fresh profile each.

if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
  log "installing chromium and chromium-driver"
  apt_install chromium chromium-driver
fi
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
  || { log "chromium or chromedriver is still missing after the install"; exit 1; }
log "browser ready: $(/usr/bin/chromium --version 2>/dev/null | head -n 1), $(/usr/bin/chromedriver --version | head -n 1 | cut -d' ' -f1-2)"

# The browser specifications fail, rather than skip, when this is set and the browser is missing.
export VIGIL_REQUIRE_BROWSER=1
