# Every run as a row of a Markdown table (after csv.awk), in the CSV's
# order; "-" where the run measured nothing.
BEGIN {
	print "| fault | policy | deadline (ms) | live | outcome | misbehaved | " \
	      "served / failed / wrong / hung | detect (µs) | detect (instr.) | recover (ms) | recover (instr.) | " \
	      "lost (bytes) | unavailable (bytes) |"
	print "|---|---|--:|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"
}

{
	printf "| %s | %s | %s | %s | %s | %s | %s / %s / %s / %s | %s | %s | %s | %s | %s " \
	       "| %s |\n",
	       fault_name(), v["policy"], num(v["deadline_ms"]), v["live"], v["outcome"],
	       v["misbehaved"], v["served"], v["failed"], v["wrong"], v["hung"],
	       num(v["detect_us"]), num(v["detect_instr"]), ms(v["recover_us"]),
	       num(v["recover_instr"]), num(v["lost_bytes"]), num(v["unavailable_bytes"])
}
