#!/usr/bin/env bash
# The study's report: the CSV run.sh wrote turned into two plots and a
# page, docs/liability-inversion.md under make study, from the template
# beside this script (report.md.in), what the runs show (findings.awk)
# and the table of every run.
#
#   tests/study/report.sh CSV DOC [REPLACE-LOG]
#
# DOC is written whole; the plots go beside it, to study/matrix.png and
# study/recovery.png (plots.gp; matrix.awk and recovery.awk make their
# data).  REPLACE-LOG, if given, is a log with the replacement runs'
# lines ("study: replace ..."), which the page quotes.
set -eu
here=$(dirname "$0")
csv=$1
doc=$2
replace_log=${3:-}
want=$(sed -n 's/^fields=\$fields,//p; s/^fields=\([a-z_].*\)$/\1/p' "$here/run.sh" | paste -sd,)

if [ ! -s "$csv" ] || [ "$(head -n 1 "$csv")" != "$want" ]; then
	echo "report: $csv is not the study's CSV (its first line must be: $want)" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
images=$(dirname "$doc")/study
mkdir -p "$images"

# rows PROGRAM [awk options]: an awk program of this directory over the rows.
rows() {
	local program=$1
	shift
	awk "$@" -f "$here/format.awk" -f "$here/csv.awk" -f "$here/$program" "$csv"
}

rows matrix.awk -v xtics="$tmp/xtics.gp" -v ytics="$tmp/ytics.gp" -v groups="$tmp/groups.gp" \
	>"$tmp/matrix.dat"
rows recovery.awk -v hung="$tmp/hung.dat" -v panels="$tmp/panels.gp" >"$tmp/recovery.dat"
if ! gnuplot -e "dir='$tmp'" "$here/plots.gp" 2>"$tmp/gnuplot.log"; then
	cat "$tmp/gnuplot.log" >&2
	echo "report: gnuplot failed" >&2
	exit 1
fi
cp "$tmp/matrix.png" "$tmp/recovery.png" "$images/"

rows findings.awk >"$tmp/findings.md"
rows table.awk >"$tmp/table.md"
if [ -n "$replace_log" ]; then
	sed -n 's/\r$//; s/^study: replace \(.*\)$/\1/p' "$replace_log" |
		awk -f "$here/format.awk" -f "$here/replace.awk"
else
	echo "(Not run.)"
fi >"$tmp/replace.md"
runs=$(($(wc -l <"$csv") - 1))
# The template's lines @NAME@ become the part NAME; @RUNS@ within a line
# the count of runs.
awk -v dir="$tmp" -v runs="$runs" '
	/^@[A-Z]+@$/ {
		file = dir "/" tolower(substr($0, 2, length($0) - 2)) ".md"
		while ((getline line <file) > 0)
			print line
		close(file)
		next
	}
	{ gsub(/@RUNS@/, runs); print }' "$here/report.md.in" >"$doc.tmp"
mv "$doc.tmp" "$doc"
echo "# report: $doc, $images/matrix.png, $images/recovery.png"
