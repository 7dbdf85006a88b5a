# How the study's report writes numbers (awk -f format.awk -f PROGRAM).

# n with a comma every three digits; "-" (not measured) as it is.
function num(n,    s) {
	if (n == "-")
		return n
	s = sprintf("%d", n)
	while (s ~ /[0-9][0-9][0-9][0-9]/)
		sub(/[0-9][0-9][0-9]([,]|$)/, ",&", s)
	return s
}

# us microseconds in milliseconds, to a tenth; "-" as it is.
function ms(us) {
	return us == "-" ? us : sprintf("%.1f", us / 1000)
}
