# The replacement runs as a Markdown table: input lines "mode=M runs=N
# ..." (the study's "study: replace" lines without their prefix).
BEGIN {
	print "| mode | replaced | lost (bytes) | store at the end | mean (ms) | max (ms) | " \
	      "mean (instr.) | max (instr.) | pages migrated |"
	print "|---|--:|--:|---|--:|--:|--:|--:|--:|"
}

{
	delete r
	for (i = 1; i <= NF; i++) {
		split($i, kv, "=")
		r[kv[1]] = kv[2]
	}
	printf "| %s | %s of %s | %s | %s | %s | %s | %s | %s | %s |\n", r["mode"],
	       r["replaced"], r["runs"], num(r["lost_bytes"]), r["store"], ms(r["mean_us"]),
	       ms(r["max_us"]), num(r["mean_instr"]), num(r["max_instr"]), num(r["migrated"])
	n++
}

END {
	if (n == 0)
		print "| (no replacement ran) | | | | | | | | |"
}
