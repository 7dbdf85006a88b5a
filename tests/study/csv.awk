# The study's CSV (tests/study/run.sh) by column name: for every row
# after the header, v[NAME] is its field NAME.  A program given after this
# one (awk -f csv.awk -f PROGRAM) sees rows only, never the header.
BEGIN { FS = "," }

NR == 1 {
	for (i = 1; i <= NF; i++)
		column[$i] = i
	next
}

{
	for (name in column)
		v[name] = $column[name]
}

# The fault as run.sh names it: NAME, or NAME:ARG if it takes one.
function fault_name() {
	return v["arg"] == 0 ? v["fault"] : v["fault"] ":" v["arg"]
}

# Whether the run measured f ("-": it did not).
function measured(f) {
	return v[f] != "-"
}
