# Sourced by ./smtp-assistant and .ci/run: prints the home of a JDK >= 21.
# Order: $JAVA_HOME, the java on PATH, then /usr/lib/jvm/* and /opt/java/* (newest first).
# Shell builtins where they do: ./smtp-assistant pays for every process started here on each run.
java_major() { # $1 = path to a java binary
  # the JDK's release file when it has one (starting a JVM to ask costs 0.2-0.5 s)
  local release="${1%/bin/java}/release" line v=""
  if [ -r "$release" ]; then
    while IFS= read -r line; do
      case "$line" in JAVA_VERSION=*) v="${line#JAVA_VERSION=\"}"; v="${v%%[.\"+-]*}"; break ;; esac
    done <"$release"
  fi
  if [ -n "$v" ]; then
    printf '%s\n' "$v"
    return 0
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1
}
jdk_21() { # $1 = a folder: prints it when it is a JDK >= 21
  local major
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  major="$(java_major "$1/bin/java")"
  case "$major" in ''|*[!0-9]*) return 1 ;; esac
  [ "$major" -ge 21 ] && printf '%s\n' "$1"
}
find_jdk_21() {
  local cand
  jdk_21 "${JAVA_HOME:-}" && return 0
  for cand in "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")" 2>/dev/null)" 2>/dev/null)" \
              $(ls -d /usr/lib/jvm/* /opt/java/* 2>/dev/null | sort -rV); do
    jdk_21 "$cand" && return 0
  done
  return 1
}
