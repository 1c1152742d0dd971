"""Summarize the wrk outputs and RSS readings that run.sh leaves in its output folder as Markdown tables."""

import statistics
import sys
from pathlib import Path

# The wrk parser is shared with bench/ratios.py, one folder up.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ratios import parse_wrk as parse_wrk_text  # noqa: E402

CONTENDERS = ["direct", "haproxy", "nginx", "gatehouse"]


def read_pairs(path):
    if not path.exists():
        return {}
    pairs = (line.split() for line in path.read_text().splitlines() if line.strip())
    return {name: int(kib) for name, kib in pairs}


def main(folder, rounds, idle_count):
    results = {name: [parse_wrk_text((folder / f"round{r}-{name}.txt").read_text()) for r in range(1, rounds + 1)] for name in CONTENDERS}

    print("### Every round (req/s, p50 ms, p99 ms, errors)\n")
    print("| round | " + " | ".join(CONTENDERS) + " |")
    print("|---|" + "---|" * len(CONTENDERS))
    for index in range(rounds):
        cells = []
        for name in CONTENDERS:
            row = results[name][index]
            cells.append(f"{row['rps']:,.0f} / {row['p50']:.2f} / {row['p99']:.2f} / {row['errors']}")
        print(f"| {index + 1} | " + " | ".join(cells) + " |")

    medians = {
        name: {key: statistics.median(row[key] for row in rows) for key in ("rps", "p50", "p99")}
        for name, rows in results.items()
    }
    haproxy = medians["haproxy"]
    print("\n### Median over rounds, ratio against HAProxy\n")
    print("| contender | req/s | p50 ms | p99 ms | req/s ÷ HAProxy | p99 ÷ HAProxy |")
    print("|---|---|---|---|---|---|")
    for name in CONTENDERS:
        row = medians[name]
        print(
            f"| {name} | {row['rps']:,.0f} | {row['p50']:.2f} | {row['p99']:.2f} | "
            f"{row['rps'] / haproxy['rps']:.2f}× | {row['p99'] / haproxy['p99']:.2f}× |"
        )

    load = folder / "loadavg.txt"
    if load.exists():
        print("\n/proc/loadavg at start and end (other work on the machine shows here):\n")
        for line in load.read_text().splitlines():
            print(f"    {line}")

    rss = read_pairs(folder / "rss.txt")
    idle = read_pairs(folder / "idle-rss.txt")
    print("\n### Resident memory (VmRSS, MiB)\n")
    print("| measurement | MiB |")
    print("|---|---|")
    for name, kib in rss.items():
        print(f"| {name} | {kib / 1024:.1f} |")
    for name, kib in idle.items():
        print(f"| {name} holding {idle_count:,} idle keep-alive connections | {kib / 1024:.1f} |")


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
