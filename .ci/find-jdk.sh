# Sourced by ./smtp-assistant and .ci/run: prints the home of a JDK >= 21.
# Order: $JAVA_HOME, the java on PATH, then /usr/lib/jvm/* and /opt/java/* (newest first).
java_major() { # $1 = path to a java binary
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
