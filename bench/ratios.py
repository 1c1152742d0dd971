"""Print a Markdown table of throughput ratios from the wrk or h2load outputs a bench script leaves behind.

Usage: ratios.py OUT ROUNDS BASELINE:VARIANT[,VARIANT...] ...

OUT contains one file per round and contender, roundR-NAME.txt. Each group compares its variants with its
baseline round by round, so that a ratio never mixes numbers from different minutes of the run; the table
shows the median of those per-round ratios. Latency is wrk's p50 and p99, or h2load's mean (it prints no
percentiles). A contender with errors or unexpected statuses is flagged, because its req/s would flatter it.
"""

import re
import statistics
import sys
from pathlib import Path

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def to_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if match is None:
        raise ValueError(f"unexpected latency value {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(text):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if non2xx:
        errors += int(non2xx.group(1))
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if sockets:
        errors += sum(int(value) for value in sockets.groups())
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors}


def parse_h2load(text):
    rps = float(re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", text).group(1))
    done = re.search(r"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", text)
    errors = sum(int(value) for value in done.groups()[1:])
    statuses = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text)
    errors += sum(int(value) for value in statuses.groups()[1:])
    mean = to_ms(re.search(r"time for request:\s+\S+\s+\S+\s+(\S+)", text).group(1))
    return {"rps": rps, "p50": mean, "p99": None, "errors": errors}


def parse(path):
    text = path.read_text()
    return parse_h2load(text) if "finished in" in text else parse_wrk(text)


def cell(value, digits=2):
    return "n/a" if value is None else f"{value:.{digits}f}"


def main():
    out, rounds, groups = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
    print("| contender | req/s per round | median req/s | ratio to baseline (median) | p50 or mean ms | p99 ms | errors |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for group in groups:
        baseline, variants = group.split(":")
        names = [baseline] + variants.split(",")
        runs = {name: [parse(out / f"round{r}-{name}.txt") for r in range(1, rounds + 1)] for name in names}
        for name in names:
            rps = [run["rps"] for run in runs[name]]
            ratios = [run["rps"] / base["rps"] for run, base in zip(runs[name], runs[baseline])]
            ratio = "baseline" if name == baseline else f"{statistics.median(ratios):.2f}"
            p50 = statistics.median(run["p50"] for run in runs[name])
            p99s = [run["p99"] for run in runs[name] if run["p99"] is not None]
            p99 = statistics.median(p99s) if p99s else None
            errors = sum(run["errors"] for run in runs[name])
            per_round = ", ".join(f"{value:,.0f}" for value in rps)
            print(f"| {name} | {per_round} | {statistics.median(rps):,.0f} | {ratio} | {cell(p50)} | {cell(p99)} | {errors} |")


if __name__ == "__main__":
    main()
