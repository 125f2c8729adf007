#!/usr/bin/env bash
# Times the command line as whole processes, side by side in one hyperfine run against one local Postfix
# (STARTTLS required, AUTH after TLS; started privately by benchmarks' CliBenchServer, needs root and the
# Debian packages postfix dovecot-core, as .ci/mail-servers.sh installs them):
#   swaks             STARTTLS + AUTH PLAIN + MAIL + RCPT, QUIT        (the yardstick)
#   check             the same steps with ./smtp-assistant check       (target <= 2x swaks)
#   --help            ./smtp-assistant --help                          (target <= 0.3 s)
#   chat              ./smtp-assistant with standard input closed: the first prompt, then "Bye." (the whole process)
#   chat-continue / chat-greeting   the first prompt itself (.ci/first-prompt.py; target <= 0.5 s)
# Each smtp-assistant command runs with the launcher's AOT cache (the default) and, for comparison, with
# SMTP_ASSISTANT_AOT=off. Numbers and how to read them: docs/benchmarks.md.
#
# With BASELINE=/path/to/another/checkout (its jar built), the same three commands of that checkout's launcher
# run in the same hyperfine run, for a before/after side by side.
#
# Usage: [BASELINE=DIR] .ci/bench-cli.sh [RUNS]   (default 20; writes target/bench-cli/results.md and .json)
# Not part of .ci/run: timing belongs here, not in the test suite.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-20}"
# shellcheck source=.ci/find-jdk.sh
source "$here/.ci/find-jdk.sh"
JAVA_HOME="$(find_jdk_21)" || { echo "bench-cli: no JDK 21+ found; set JAVA_HOME" >&2; exit 3; }
export JAVA_HOME
for tool in hyperfine swaks; do
  if ! command -v "$tool" >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$tool" >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$tool" >/dev/null; }
    else
      echo "bench-cli needs $tool: sudo apt-get install $tool" >&2; exit 4
    fi
  fi
done
# shellcheck source=.ci/mail-servers.sh
source "$here/.ci/mail-servers.sh"
ensure_mail_servers
out="$here/target/bench-cli"
rm -rf "$out"; mkdir -p "$out"
if [ ! -f "$here/benchmarks/target/benchmarks.jar" ]; then
  (cd "$here" && ./mvnw -B -q -DskipTests -pl benchmarks -am package)
fi
"$here/smtp-assistant" --version >/dev/null   # builds the jar (and its AOT cache) when stale, outside the timing

work="$(mktemp -d /tmp/bench-cli.XXXXXX)"
mkfifo "$work/hold"
"$JAVA_HOME/bin/java" -cp "$here/benchmarks/target/benchmarks.jar" io.smtpassistant.benchmarks.CliBenchServer "$work" \
  <"$work/hold" >"$work/server.log" 2>&1 &
server=$!
exec 9>"$work/hold"   # the server runs while this descriptor is open
cleanup() { exec 9>&- || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 120); do [ -f "$work/ready" ] && break; kill -0 "$server" 2>/dev/null || break; sleep 0.5; done
if [ ! -f "$work/ready" ]; then echo "bench-cli: the local Postfix did not start:" >&2; cat "$work/server.log" >&2; exit 5; fi
port="$(cat "$work/port")"
export BENCH_PW=bench-password
user=bench@example.test
swaks_cmd="swaks --server 127.0.0.1 --port $port --tls --auth PLAIN --auth-user $user --auth-password \$BENCH_PW --from $user --to someone@example.org --quit-after RCPT --silent 3"
check_cmd="$here/smtp-assistant check --host 127.0.0.1 --port $port --security starttls --user $user --password-env BENCH_PW --from $user --rcpt someone@example.org --ca-file $work/test-ca.pem"
# the check must pass, else the timing would be of a failure
if ! $check_cmd >"$out/check.txt" 2>&1; then echo "bench-cli: the check did not pass:" >&2; cat "$out/check.txt" >&2; exit 6; fi
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "jdk: $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 2 | tail -n 1)"
  echo "cpus: $(nproc)"
  echo "load before: $(uptime)"
} | tee "$out/env.txt"
# the chat keeps its conversation and requests in a data folder of its own (not the user's)
export SMTP_ASSISTANT_DATA_DIR="$work/data"
commands=(-n swaks "$swaks_cmd"
  -n check "$check_cmd"
  -n check-no-aot "SMTP_ASSISTANT_AOT=off $check_cmd"
  -n help "$here/smtp-assistant --help"
  -n chat "$here/smtp-assistant </dev/null"
  -n chat-no-aot "SMTP_ASSISTANT_AOT=off $here/smtp-assistant </dev/null")
if [ -n "${BASELINE:-}" ]; then
  "$BASELINE/smtp-assistant" --version >/dev/null
  commands+=(-n check-baseline "${check_cmd/$here/$BASELINE}"
    -n help-baseline "$BASELINE/smtp-assistant --help"
    -n chat-baseline "$BASELINE/smtp-assistant </dev/null")
fi
hyperfine --warmup 2 --runs "$runs" --export-markdown "$out/results.md" --export-json "$out/results.json" "${commands[@]}"
# The chat's first prompt itself (hyperfine above times the whole process, shutdown included): a person coming back
# to a conversation they left unfinished (the question whether to continue), and one who left at the first question
# (greeted afresh); each kind in a data folder of its own, prepared once
prompt_cases=()
for who in "$here" ${BASELINE:+"$BASELINE"}; do
  suffix=""; [ "$who" = "$here" ] || suffix="-baseline"
  for kind in continue greeting; do
    d="$work/prompt-$kind$suffix"; mkdir -p "$d"
    if [ "$kind" = continue ]; then input='2\n'; else input='quit\n'; fi
    printf "$input" | SMTP_ASSISTANT_DATA_DIR="$d" "$who/smtp-assistant" >/dev/null 2>&1 || true
    prompt_cases+=("chat-$kind$suffix=SMTP_ASSISTANT_DATA_DIR=$d $who/smtp-assistant")
  done
done
python3 "$here/.ci/first-prompt.py" "$runs" "${prompt_cases[@]}" | tee "$out/first-prompt.md"
# CPU time per command (less disturbed by other load on the machine than the wall time)
python3 - "$out/results.json" <<'PY' | tee "$out/cpu.md"
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
print("| command | median wall [ms] | min wall [ms] | mean user+sys CPU [ms] |")
print("|:---|---:|---:|---:|")
for r in rs:
    print(f"| {r['command']} | {r['median']*1000:.0f} | {r['min']*1000:.0f} | {(r['user']+r['system'])*1000:.0f} |")
PY
echo "load after: $(uptime)" | tee -a "$out/env.txt"
cat "$out/results.md"
