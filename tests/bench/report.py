#!/usr/bin/env python3
"""make bench's table and build/bench/results.json, from the runs' figures.

    report.py --peers docs/performance.md --json OUT.json [--medians OUT] RUN.figures...

Each RUN.figures holds one run's "name value" lines (the bench scripts'
$BENCH_FIGURES).  A figure's value is the median of its runs.  The peers'
figures are read from the table in docs/performance.md between the lines
<!-- bench-peers: begin --> and <!-- bench-peers: end -->, so that they
are written once; each row whose first cell names a figure (`name`)
pairs it with a peer, and the table printed here gives the ratio
Pagoda / peer.  The first part of the table is the issue's list of
figures (HEADLINE), in its order; every other figure follows.
"""
import argparse
import json
import re
import statistics
import sys

# The figures of the table's first part, and how the table names them.
HEADLINE = [
    ("null_trap_instructions", "null trap"),
    ("null_rpc_raw_instructions", "cross-task null RPC round trip, raw"),
    ("null_rpc_stub_instructions", "cross-task null RPC round trip, stubs"),
    ("own_port_send_receive_instructions", "send+receive to an own port"),
    ("inline_1k_rpc_instructions", "RPC with 1 KiB inline"),
    ("port_right_rpc_instructions", "RPC moving a port right"),
    ("ool_1mib_instructions", "1 MiB out of line"),
    ("zero_fill_fault_instructions", "zero-fill fault"),
    ("cow_fault_instructions", "copy-on-write fault"),
    ("pager_fault_instructions", "fault served by an external pager"),
    ("unix_file_fault_instructions", "fault served by the file server"),
    ("unix_getpid_instructions", "getpid"),
    ("unix_fork_exit_wait_instructions", "fork+_exit+wait"),
    ("unix_fork_execve_wait_instructions", "fork+execve+wait"),
    ("unix_pipe_round_trip_instructions", "one-byte pipe round trip"),
    ("unix_read_16mib_instructions_per_kib", "16 MiB sequential read, per KiB"),
    ("boot_to_prompt_instructions", "boot to the shell prompt"),
    ("boot_to_prompt_wall_ms", "boot to the shell prompt, wall ms"),
]

PEERS_BEGIN = "<!-- bench-peers: begin -->"
PEERS_END = "<!-- bench-peers: end -->"


def read_runs(paths):
    """{name: [value per run]} in the order the figures first appear."""
    figures = {}
    for path in paths:
        with open(path) as f:
            for line in f:
                words = line.split()
                if len(words) == 2 and words[1].isdigit():
                    figures.setdefault(words[0], []).append(int(words[1]))
    return figures


def read_peers(path):
    """{name: [(peer, value, what)]} from the marked table of path."""
    with open(path) as f:
        text = f.read()
    if PEERS_BEGIN not in text or PEERS_END not in text:
        sys.exit(f"report.py: no peers' table (marked {PEERS_BEGIN}) in {path}")
    table = text.split(PEERS_BEGIN, 1)[1].split(PEERS_END, 1)[0]
    peers = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        name = re.fullmatch(r"`([a-z0-9_]+)`", cells[0]) if len(cells) >= 4 else None
        number = re.match(r"[0-9][0-9,]*", cells[2]) if name else None
        if name and number:
            value = int(number.group(0).replace(",", ""))
            peers.setdefault(name.group(1), []).append((cells[1], value, cells[3]))
    return peers


def unit(name):
    """What a figure counts, from its name's end."""
    for end, what in (("_instructions_per_kib", "instructions per KiB"),
                      ("_instructions_per_page", "instructions per page"),
                      ("_instructions_per_file", "instructions per file"),
                      ("_instructions", "instructions"), ("_kb_per_s", "KB/s (wall)"),
                      ("_pages_per_s", "pages/s (wall)"), ("_ms", "ms (wall)")):
        if name.endswith(end):
            return what
    return "instructions" if name.startswith("instructions_") else ""


def results(figures, peers, runs):
    """The JSON document: every figure, its runs, median, spread, peers."""
    labels = dict(HEADLINE)
    out = {}
    for name, values in figures.items():
        median = statistics.median_low(values)
        entry = {"label": labels.get(name, name), "unit": unit(name), "median": median,
                 "runs": values,
                 "spread_percent": round(100 * (max(values) - min(values)) / median, 2)
                 if median else 0.0}
        entry["peers"] = [{"system": system, "value": value, "what": what,
                           "ratio": round(median / value, 2)}
                          for system, value, what in peers.get(name, [])]
        out[name] = entry
    return {"runs": runs, "figures": out}


def table(doc):
    """The table make bench prints: the headline figures with their peers,
    then every other figure."""
    figures = doc["figures"]
    lines = [f"Pagoda's figures, each the median of {doc['runs']} run(s); spread is "
             "(max - min) / median", ""]
    head = f"{'figure':<40} {'Pagoda':>12} {'spread':>7}  {'peer':<17} {'peer':>9} {'ratio':>6}"
    lines += [head, "-" * len(head)]
    for name, label in HEADLINE:
        f = figures.get(name)
        if f is None:
            lines.append(f"{label:<40} {'missing':>12}")
            continue
        row = f"{label:<40} {f['median']:>12,} {f['spread_percent']:>6.2f}%"
        for i, p in enumerate(f["peers"] or [None]):
            lead = row if i == 0 else " " * len(row)
            if p is None:
                lines.append(lead)
            else:
                lines.append(f"{lead}  {p['system']:<17} {p['value']:>9,} {p['ratio']:>6.2f}")
    others = [n for n in figures if n not in dict(HEADLINE)]
    lines += ["", f"{'other figure':<48} {'Pagoda':>12} {'spread':>7}  unit", "-" * 80]
    for name in others:
        f = figures[name]
        lines.append(f"{name:<48} {f['median']:>12,} {f['spread_percent']:>6.2f}%  {f['unit']}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--peers", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--medians", help='also write the medians as "name value" lines')
    parser.add_argument("runs", nargs="+")
    args = parser.parse_args()
    doc = results(read_runs(args.runs), read_peers(args.peers), len(args.runs))
    with open(args.json, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    if args.medians:
        with open(args.medians, "w") as f:
            for name, entry in doc["figures"].items():
                f.write(f"{name} {entry['median']}\n")
    print(table(doc))
    missing = [name for name, _ in HEADLINE if name not in doc["figures"]]
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
