# Installs Postfix and Dovecot (Debian packages) for RealPostfixCheckTest when they are missing.
# The test starts private instances with their own configuration; the system's mail configuration is not used,
# so Postfix is installed with "No configuration" and no system mail service is set up.
# Sourced by .ci/run; fails the run (non-zero return) when they cannot be installed.

ensure_mail_servers() {
  if [ -x /usr/sbin/postfix ] && [ -x /usr/sbin/dovecot ]; then
    echo "Postfix $(/usr/sbin/postconf -h mail_version 2>/dev/null) and Dovecot $(/usr/sbin/dovecot --version 2>/dev/null) are installed"
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "RealPostfixCheckTest needs Postfix and Dovecot, and root to start them: run as root, or install them with" >&2
    echo "  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y postfix dovecot-core" >&2
    return 4
  fi
  if ! command -v apt-get >/dev/null; then
    echo "RealPostfixCheckTest needs the Debian packages postfix and dovecot-core, and there is no apt-get here" >&2
    return 4
  fi
  echo "Installing postfix and dovecot-core for RealPostfixCheckTest"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections || return 5
  if ! DEBIAN_FRONTEND=noninteractive apt-get update -q; then
    echo "apt-get update failed; cannot install postfix and dovecot-core" >&2
    return 5
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q postfix dovecot-core; then
    echo "apt-get install postfix dovecot-core failed" >&2
    return 5
  fi
  if ! [ -x /usr/sbin/postfix ] || ! [ -x /usr/sbin/dovecot ]; then
    echo "postfix or dovecot is still missing after apt-get install" >&2
    return 5
  fi
}
