# The matrix plot's data (after csv.awk; tests/study/plots.gp): a cell per
# run, faults down in the order they ran, policy and deadline across.
# Prints "x y rgb label" per run; writes the axes to the files named by
# the variables xtics and ytics, and a white line between policies to
# groups.
BEGIN {
	rgb["ok"] = "0x66bb6a"
	rgb["errors"] = "0xffd54f"
	rgb["corrupt"] = "0xff8a65"
	rgb["lost"] = "0xe53935"
	rgb["hung"] = "0x9575cd"
	printf "" >groups
}

!(fault_name() in y) {
	y[fault_name()] = ++ny
	printf "set ytics add (\"%s\" %d)\n", fault_name(), ny >ytics
}

!((v["policy"] " " v["deadline_ms"]) in x) {
	x[v["policy"] " " v["deadline_ms"]] = ++nx
	printf "set xtics add (\"%s %s ms\" %d)\n", v["policy"], v["deadline_ms"], nx >xtics
	if (nx > 1 && v["policy"] != last)
		printf "set arrow from %.1f, graph 0 to %.1f, graph 1 nohead lw 4 " \
		       "lc rgb \"white\"\n", nx - 0.5, nx - 0.5 >groups
	last = v["policy"]
}

{
	label = v["outcome"]
	color = label in rgb ? rgb[label] : "0xbdbdbd"
	if (v["lost_bytes"] > 0)
		label = label " " v["lost_bytes"] / 1024 "K"
	if (v["live"] != "yes") {
		label = label ", not live"
		color = "0x616161"
	}
	printf "%d %d %s \"%s\"\n", x[v["policy"] " " v["deadline_ms"]], y[fault_name()], color,
	       label
}

END {
	printf "set xrange [0.5:%.1f]\n", nx + 0.5 >xtics
	printf "set yrange [%.1f:0.5]\n", ny + 0.5 >ytics
}
