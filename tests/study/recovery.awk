# The recovery plot's data (after csv.awk; tests/study/plots.gp), for the
# faults a deadline decides (some run waited one out, or hung): a block
# per fault and policy (index fault * policies + policy) of "deadline_ms
# recover_s" lines, the hung runs' at their limit in the file named by
# hung; the panels' names, the policies and the deadlines' range to the
# file named by panels.
{
	f = fault_name()
	p = v["policy"]
	if (!(f in seen_fault)) {
		seen_fault[f] = 1
		faults[++nf] = f
	}
	if (!(p in seen_policy)) {
		seen_policy[p] = 1
		policies[++np] = p
	}
	if (xmin == "" || v["deadline_ms"] < xmin)
		xmin = v["deadline_ms"]
	if (v["deadline_ms"] > xmax)
		xmax = v["deadline_ms"]
	if (v["outcome"] == "hung")
		late[f, p] = late[f, p] v["deadline_ms"] " " v["limit_ms"] / 1000 "\n"
	else if (measured("recover_us"))
		done[f, p] = done[f, p] v["deadline_ms"] " " v["recover_us"] / 1e6 "\n"
	if (v["outcome"] == "hung" ||
	    measured("detect_us") && v["detect_us"] >= 900 * v["deadline_ms"])
		decides[f] = 1
}

# A data block: its lines, or one undefined point (gnuplot counts blocks).
function block(lines) {
	return (lines == "" ? "NaN NaN\n" : lines) "\n\n"
}

END {
	for (i = 1; i <= nf; i++) {
		if (!(faults[i] in decides))
			continue
		names = names " " faults[i]
		n++
		for (j = 1; j <= np; j++) {
			printf "%s", block(done[faults[i], policies[j]])
			printf "%s", block(late[faults[i], policies[j]]) >hung
		}
	}
	if (n == 0) {   # one empty panel
		names = " (none)"
		n = 1
		for (j = 1; j <= np; j++) {
			printf "%s", block("")
			printf "%s", block("") >hung
		}
	}
	for (j = 1; j <= np; j++)
		list = list " " policies[j]
	printf "panels = \"%s\"\nnpanels = %d\npolicies = \"%s\"\nxmin = %d\nxmax = %d\n",
	       substr(names, 2), n, substr(list, 2), xmin, xmax >panels
}
