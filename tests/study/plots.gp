# The study's two plots (tests/study/report.sh makes their data):
#   gnuplot -e "dir='D'" tests/study/plots.gp
# D/matrix.dat   x y rgb label: one cell per run
# D/xtics.gp, D/ytics.gp, D/groups.gp: the matrix's axes and separators
# D/recovery.dat per fault (index f): per policy (index p within) lines of
#                deadline_ms recover_s; hung runs in D/hung.dat the same
#                way at their limit
# D/panels.gp    the faults' names (panels) and count (npanels), the
#                policies (words of policies), the deadlines' range
#                (xmin, xmax)
# It writes D/matrix.png and D/recovery.png.

set encoding utf8
load dir . "/panels.gp"

# ---- the matrix: every run's outcome ----
set terminal pngcairo size 1400, 760 font "sans,10" noenhanced
set output dir . "/matrix.png"
set title "Outcome of every run: fault (rows) against policy and deadline (columns)"
unset key
set border 0
set tics scale 0
set xtics ()
set ytics ()
load dir . "/xtics.gp"
load dir . "/ytics.gp"
load dir . "/groups.gp"
set xtics rotate by 45 right
plot dir . "/matrix.dat" using 1:2:(0.48):(0.48):3 with boxxyerror \
	fillstyle solid 1.0 noborder linecolor rgb variable, \
     "" using 1:2:4 with labels font "sans,9"

# ---- recovery against deadline, one panel per fault, a line per policy ----
reset
set encoding utf8
set terminal pngcairo size 1400, 460 * ((npanels + 2) / 3) font "sans,10" noenhanced
set output dir . "/recovery.png"
set multiplot layout (npanels + 2) / 3, 3 \
	title "Recovery time (injection to the workload's last access) against the deadline" . \
	"\n× : hung (stopped at the study's limit)"
set logscale xy
set xrange [xmin / 1.5:xmax * 1.5]
set xlabel "deadline (ms)"
set ylabel "recovery (virtual s)"
set key below horizontal font "sans,9"
set grid
colors = "#1b9e77 #d95f02 #7570b3 #e7298a #66a61e #e6ab02"
do for [f = 0:npanels - 1] {
	set title word(panels, f + 1)
	plot for [p = 1:words(policies)] dir . "/recovery.dat" index (f * words(policies) + p - 1) \
		using 1:2 with linespoints linewidth 2 pointtype 7 \
		linecolor rgb word(colors, p) title word(policies, p), \
	     for [p = 1:words(policies)] dir . "/hung.dat" index (f * words(policies) + p - 1) \
		using 1:2 with points pointtype 2 pointsize 2.5 linewidth 2 \
		linecolor rgb word(colors, p) notitle, \
	     x / 1000 with lines dashtype 2 linecolor rgb "gray" title "the deadline"
}
unset multiplot
