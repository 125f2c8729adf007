# Sourced by ./smtp-assistant and .ci/run: prints the home of a JDK >= 21.
# Order: $JAVA_HOME, the java on PATH, then /usr/lib/jvm/* and /opt/java/* (newest first).
java_major() { # $1 = path to a java binary
  # the JDK's release file when it has one (a JVM start costs 0.1-0.3 s, paid by every ./smtp-assistant run)
  local release v
  release="$(dirname "$(dirname "$1")")/release"
  v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release" 2>/dev/null | head -n 1)"
  if [ -n "$v" ]; then
    printf '%s\n' "$v"
    return 0
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1
}
find_jdk_21() {
  local cand home major
  for cand in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")" 2>/dev/null)" 2>/dev/null)" \
              $(ls -d /usr/lib/jvm/* /opt/java/* 2>/dev/null | sort -rV); do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] && [ -x "$cand/bin/javac" ] || continue
    major="$(java_major "$cand/bin/java")"
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      printf '%s\n' "$cand"
      return 0
    fi
  done
  return 1
}
