# What the study's runs show (after csv.awk): one Markdown bullet per
# finding, each with the figures it rests on.  A finding the issue expects
# ends "as expected" or, in bold, "not as expected" -- never assumed.
function verdict(holds) {
	return holds ? "as expected." : "**not as expected.**"
}

function add(list, item) {
	return index(", " list ", ", ", " item ", ") ? list : (list == "" ? item : list ", " item)
}

# Whether the run's pager dies: it exits, or its waits-for cycle (on
# itself, or with its peer) is broken -- which wait never does.
function pager_dies() {
	return v["fault"] == "exit" ||
	       (v["fault"] == "self_deadlock" || v["fault"] == "cycle") && v["policy"] != "wait"
}

{
	runs++
	live += v["live"] == "yes"
	deadline = v["deadline_ms"] * 1000
	if (min_deadline == "" || deadline < min_deadline)
		min_deadline = deadline
	if (v["policy"] == "wait") {
		wait_runs++
		if (v["outcome"] == "hung") {
			wait_hung++
			wait_hung_faults = add(wait_hung_faults, fault_name())
		}
	}
	if (v["fault"] == "hang" && v["policy"] == "wait") {
		hang_wait++
		hang_wait_hung += v["outcome"] == "hung"
	}
	if (v["policy"] == "fallback") {
		fallback_runs++
		fallback_lost += v["lost_bytes"]
		fallback_unavailable += v["unavailable_bytes"]
		if (v["unavailable_bytes"] > 0)
			fallback_gave_up = add(fallback_gave_up, fault_name())
	}
	lost += v["lost_bytes"]
	if (v["lost_bytes"] > 0)
		lost_runs++
	if (v["fault"] == "hang" && v["policy"] == "fail") {
		fail_hang++
		if (measured("detect_us")) {
			late = v["detect_us"] - deadline
			fail_in_time += v["outcome"] == "errors" && late > -10000 && late < 10000
			if (fail_timed++ == 0 || late < fail_early)
				fail_early = late
			if (fail_timed == 1 || late > fail_late)
				fail_late = late
		}
	}
	if (pager_dies()) {
		death_runs++
		if (measured("detect_us")) {
			death_measured++
			if (v["detect_us"] > death_us)
				death_us = v["detect_us"]
			if (v["detect_instr"] > death_instr)
				death_instr = v["detect_instr"]
		}
	}
	if (v["fault"] == "drop") {
		drop[v["policy"]]++
		drop_ok[v["policy"]] += v["outcome"] == "ok"
	}
	if (v["policy"] == "zero") {
		zero_runs++
		zero_corrupt += v["outcome"] == "corrupt"
	}
	if (v["fault"] == "wrong_data") {
		wrong_data++
		wrong_data_corrupt += v["outcome"] == "corrupt"
	}
}

END {
	if (runs == 0) {
		print "- No runs: nothing to show."
		exit
	}
	printf "- The rest of the system stayed live (the heartbeat went on) in %d of %d " \
	       "runs: %s\n", live, runs, verdict(live == runs)
	if (hang_wait > 0)
		printf "- `wait` hung the workload on a hung pager in %d of %d runs, and the " \
		       "study said so at its limit instead of hanging itself: %s\n", hang_wait_hung,
		       hang_wait, verdict(hang_wait_hung == hang_wait)
	if (wait_runs > 0)
		printf "  In all, `wait` hung %d of its %d runs, on: %s.\n", wait_hung, wait_runs,
		       wait_hung_faults == "" ? "none" : wait_hung_faults
	if (fallback_runs > 0)
		printf "- `fallback` lost %s bytes written by the program in %d runs: %s\n",
		       num(fallback_lost), fallback_runs, verdict(fallback_lost == 0)
	if (fail_hang > 0)
		printf "- `fail` turned a hung pager's faults into memory errors in %d of %d " \
		       "runs, %+d to %+d µs from the deadline (a deadline may end a tick, 10 ms, " \
		       "either side): %s\n", fail_in_time, fail_hang, fail_early, fail_late,
		       verdict(fail_in_time == fail_hang)
	if (death_runs > 0)
		printf "- A pager's death (exit, self-deadlock broken, cycle broken) was " \
		       "detected in %d of %d runs within %s ms and %s instructions at most, against a " \
		       "shortest deadline of %s ms: %s\n", death_measured, death_runs, ms(death_us),
		       num(death_instr), ms(min_deadline), verdict(death_measured == death_runs &&
		       death_us < min_deadline)
	if (drop["retry"] > 0)
		printf "- Against a pager that drops a quarter of its requests, `retry` served " \
		       "every page in %d of %d runs (`fail`: %d of %d, `wait`: %d of %d).\n",
		       drop_ok["retry"], drop["retry"], drop_ok["fail"], drop["fail"],
		       drop_ok["wait"], drop["wait"]
	if (zero_runs > 0)
		printf "- `zero` gave the program zeros for data in %d of its %d runs: it keeps " \
		       "programs running at the price of their data, which is why it is opt-in " \
		       "only.\n", zero_corrupt, zero_runs
	if (wrong_data > 0)
		printf "- No policy can tell a pager's wrong data from its right data: %d of %d " \
		       "runs under wrong_data read corrupt pages.\n", wrong_data_corrupt,
		       wrong_data
	if (fallback_runs > 0)
		printf "- `fallback` gives a pager up for good: what only the pager held stayed " \
		       "out of reach (%s bytes in all) under %s, even where the pager came back.\n",
		       num(fallback_unavailable),
		       fallback_gave_up == "" ? "no fault" : fallback_gave_up
	printf "- %s bytes written by the program were lost in all %d runs (%d runs lost some).\n",
	       num(lost), runs, lost_runs
}
