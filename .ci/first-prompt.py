#!/usr/bin/env python3
"""Times the terminal chat's first prompt: from starting the launcher to the moment the prompt ("> ", or the
"(yes/no) " question whether to continue a kept conversation) is on its standard output; then closes its input.
hyperfine times whole processes (the end of input and the shutdown included); this is the target's own measure.

Usage: first-prompt.py RUNS NAME=COMMAND [NAME=COMMAND ...]   (each COMMAND is run by bash; runs are interleaved,
one warm-up each; prints a markdown table of median, minimum and maximum in ms). Used by .ci/bench-cli.sh."""
import statistics
import subprocess
import sys
import time


def once(command):
    start = time.perf_counter()
    p = subprocess.Popen(["bash", "-c", command], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    seen = b""
    while True:
        chunk = p.stdout.read1(4096)
        if not chunk:
            raise SystemExit("no prompt from: " + command + "\n" + seen.decode(errors="replace"))
        seen += chunk
        tail = seen.rstrip(b" ")
        if tail.endswith(b">") or tail.endswith(b"(yes/no)") or tail.endswith(b"(ja/nein)"):
            break
    took = (time.perf_counter() - start) * 1000
    p.stdin.close()
    p.wait()
    return took


def main():
    runs = int(sys.argv[1])
    named = [arg.split("=", 1) for arg in sys.argv[2:]]
    times = {name: [] for name, _ in named}
    for _, command in named:
        once(command)
    for _ in range(runs):
        for name, command in named:
            times[name].append(once(command))
    print("| chat start | first prompt, median [ms] | min [ms] | max [ms] |")
    print("|:---|---:|---:|---:|")
    for name, _ in named:
        t = times[name]
        print(f"| {name} | {statistics.median(t):.0f} | {min(t):.0f} | {max(t):.0f} |")


if __name__ == "__main__":
    main()
