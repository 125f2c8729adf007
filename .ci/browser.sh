# Installs headless Chromium and chromedriver (Debian packages chromium, chromium-driver) for the
# dashboard's browser test when they are missing. Sourced by .ci/run; fails the run (non-zero return)
# when they cannot be installed, because the test fails without them (it is never skipped).

ensure_browser() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "$(/usr/bin/chromium --version 2>/dev/null) and chromedriver are installed"
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "The dashboard browser test needs Chromium and chromedriver: run as root, or install them with" >&2
    echo "  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver" >&2
    return 4
  fi
  if ! command -v apt-get >/dev/null; then
    echo "The dashboard browser test needs the Debian packages chromium and chromium-driver, and there is no apt-get here" >&2
    return 4
  fi
  echo "Installing chromium and chromium-driver for the dashboard browser test"
  if ! DEBIAN_FRONTEND=noninteractive apt-get update -q; then
    echo "apt-get update failed; cannot install chromium and chromium-driver" >&2
    return 5
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; then
    echo "apt-get install chromium chromium-driver failed" >&2
    return 5
  fi
  if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
    echo "chromium or chromedriver is still missing after apt-get install" >&2
    return 5
  fi
}
