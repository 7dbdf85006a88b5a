#!/usr/bin/env python3
"""The benchmark guard's comparison (docs/performance.md, "The guard").

    compare.py BASELINE FIGURES [--tolerance PERCENT]
        One TAP line per figure of BASELINE: "not ok" if FIGURES lacks it
        or has it more than PERCENT (default 10) larger, which for these
        figures (instruction counts) is worse.  Exits 1 if any failed.
    compare.py --rewrite BASELINE RESULTS_JSON
        BASELINE's figures given the medians of make bench's results.json
        (its comments, order and set of figures kept): make bench-baseline.

BASELINE and FIGURES hold "name value" lines; in BASELINE a line that
starts with "#" is a comment.  The baseline's set of figures is the set
guarded: a figure is added by adding its line (any value) and rewriting.
"""
import argparse
import json
import sys


def read_figures(path):
    """[(name, value)] of a "name value" file, comments and blanks skipped."""
    figures = []
    with open(path) as f:
        for number, line in enumerate(f, 1):
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            if len(words) != 2 or not words[1].isdigit():
                sys.exit(f"compare.py: {path}:{number}: not a 'name value' line: {line!r}")
            figures.append((words[0], int(words[1])))
    return figures


def compare(baseline, measured, tolerance):
    """TAP lines judging each baseline figure; whether all passed."""
    lines, ok = [], True
    for name, base in baseline:
        test = f"bench_{name}_within_{tolerance}_percent_of_baseline"
        value = measured.get(name)
        if value is None:
            lines += [f"not ok - {test}", f"# {name} was not measured (baseline {base})"]
            ok = False
            continue
        change = 100.0 * (value - base) / base if base else 0.0
        note = f"# {value} against {base} ({change:+.1f}%)"
        if value * 100 > base * (100 + tolerance):
            lines += [f"not ok - {test}", f"{note}: {name} is more than {tolerance}% worse"]
            ok = False
        else:
            lines.append(f"ok - {test} {note}")
    return lines, ok


def rewrite(baseline_path, results_path):
    """Gives each figure of the baseline its median from results.json."""
    with open(results_path) as f:
        figures = json.load(f)["figures"]
    out, missing = [], []
    with open(baseline_path) as f:
        for line in f:
            words = line.split()
            if not words or words[0].startswith("#"):
                out.append(line)
            elif words[0] in figures:
                out.append(f"{words[0]} {figures[words[0]]['median']}\n")
            else:
                missing.append(words[0])
                out.append(line)
    if missing:
        sys.exit(f"compare.py: {results_path} lacks {', '.join(missing)}: baseline unchanged")
    with open(baseline_path, "w") as f:
        f.writelines(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rewrite", action="store_true")
    parser.add_argument("--tolerance", type=int, default=10)
    parser.add_argument("baseline")
    parser.add_argument("figures")
    args = parser.parse_args()
    if args.rewrite:
        rewrite(args.baseline, args.figures)
        return 0
    lines, ok = compare(read_figures(args.baseline), dict(read_figures(args.figures)),
                        args.tolerance)
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
