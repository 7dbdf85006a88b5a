#!/usr/bin/env bash
# The shell's own tests, on the host (make test): each case a script for
# `sh -c`, the output (stdout and stderr) and status it must give.  The
# shell is built for the host with AddressSanitizer and UBSan.
#
#   bin/sh/tests/run.sh [SH]     (by default build/bin/sh/host/sh)
sh=${1:-build/bin/sh/host/sh}
sh=$(cd "$(dirname "$sh")" && pwd)/$(basename "$sh")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 1
mkdir bin && ln -s "$sh" bin/sh   # `sh` in the scripts is this one
n=0 failed=0

# check NAME STATUS EXPECTED SCRIPT
check() {
	local name=$1 want_status=$2 want=$3 script=$4 got status
	got=$(HOME=/home/me PATH=$dir/bin:/usr/bin:/bin "$sh" -c "$script" 2>&1)
	status=$?
	n=$((n + 1))
	if [ "$got" = "$want" ] && [ "$status" = "$want_status" ]; then
		echo "ok $n - sh_$name"
	else
		echo "not ok $n - sh_$name"
		echo "# want status $want_status and:"; printf '%s\n' "$want" | sed 's/^/#   /'
		echo "# got status $status and:"; printf '%s\n' "$got" | sed 's/^/#   /'
		failed=1
	fi
}

check words 0 'a b c' 'echo a   b c'
check single_quotes 0 'a  $x \n' "echo 'a  \$x \\n'"
check double_quotes 0 'a  5 $ "q" \' 'x=5; echo "a  $x \$ \"q\" \\"'
check backslash 0 'a b$x' 'echo a\ b\$x'
check variables 0 'v=1 w=1' 'v=1; w=$v; echo v=$v w=${w}'
check default 0 'dflt set' 'x=set; echo ${nothing:-dflt} ${x:-no}'
check status 0 '1 0' 'false; a=$?; true; echo $a $?'
check pid 0 'same' 'p=$$; [ "$p" = "$$" ] && echo same'
check export 0 'in child: 7' 'export X=7; sh -c "echo in child: \$X"'
check not_exported 0 'in child: .' 'Y=7; sh -c "echo in child: \$Y."'
check assignment_for_one_command 0 'one: 3
after: .' 'Z=3 sh -c "echo one: \$Z"; echo after: $Z.'
check field_splitting 0 '3' 'x="a b  c"; set -- $x; echo $#'
check quoted_no_splitting 0 '1' 'x="a b  c"; set -- "$x"; echo $#'
check positional 0 'a c 2 a b' 'set -- a b; echo $1 ${3:-c} $# "$@"'
check at_keeps_fields 0 '[a b][c]' 'set -- "a b" c; for i in "$@"; do printf "[%s]" "$i"; done; echo'
check command_substitution 0 'x-hi-y' 'echo x-$(echo hi)-y'
check nested_substitution 0 'in out' 'echo $(echo in $(echo out))'
check backquotes 0 'back' 'echo `echo back`'
check substitution_status 0 '3' 'x=$(exit 3); echo $?'
check tilde 0 '/home/me /home/me/x' 'echo ~ ~/x'
check pipeline 0 'B' 'echo abc | tr a-z A-Z | cut -c2'
check pipeline_status 0 '1 0' 'true | false; a=$?; false | true; echo $a $?'
check not 0 '0 1' '! false; a=$?; ! true; echo $a $?'
check and_or 0 'and
or' 'true && echo and; false && echo no; false || echo or; true || echo no'
check sequence 0 'a
b' 'echo a; echo b'
check redirect_out 0 'hello' 'echo hello > f; cat f'
check redirect_append 0 'a
b' 'echo a > f; echo b >> f; cat f'
check redirect_in 0 'x' 'echo x > f; cat < f'
check redirect_stderr 0 'err' 'sh -c "echo err >&2" 2> e; cat e'
check stderr_to_stdout 0 'both' 'sh -c "echo both >&2" 2>&1 | cat'
check redirect_failure 1 'sh: /nonexistent/f: No such file or directory' 'echo x > /nonexistent/f'
check builtin_redirect_undone 0 'to file
after' 'echo to file > f; cat f; echo after'
check if_else 0 'no
elif' 'if false; then echo yes; else echo no; fi; if false; then :; elif true; then echo elif; fi'
check while_loop 0 '0,1,2,' 'i=0; while [ $i -lt 3 ]; do printf "%s," $i; i=$(expr $i + 1); done; echo'
check until_loop 0 'x' 'until true; do echo never; done; echo x'
check for_loop 0 'a-b-c-' 'for w in a b c; do printf "%s-" $w; done; echo'
check break_continue 0 '1 3 .' 'for i in 1 2 3 4; do [ $i = 2 ] && continue; [ $i = 4 ] && break; printf "%s " $i; done; echo .'
check case 0 'fruit other two' 'for w in apple carrot b2; do case $w in a*|pear) printf "fruit ";; ?2) echo two;; *) printf "other ";; esac; done'
check group 0 'a,b,' '{ echo a; echo b; } | tr "\n" ","; echo'
check subshell 0 'in
out' 'x=out; (x=in; echo $x); echo $x'
check multiline 0 'a
b' 'if true
then
  echo a
fi
for x in b
do echo $x
done'
check comments 0 'a' 'echo a # not this'
check glob 0 'a.c b.c' 'touch a.c b.c c.h; echo *.c'
check glob_question_bracket 0 'a.c b.c c.h' 'touch a.c b.c c.h; echo ?.[ch]'
check glob_no_match_kept 0 '*.none' 'echo *.none'
check glob_quoted 0 '*.c' 'touch a.c; echo "*.c"'
check glob_dir 0 'd/x d/y' 'mkdir d; touch d/x d/y; echo d/*'
check test_builtin 0 'ok ok ok ok' '[ -d / ] && [ 3 -gt 2 ] && printf "ok "; test -z "" && printf "ok "; [ a != b ] && printf "ok "; [ ! -e /nonexistent ] && echo ok'
check test_bad 2 'sh: [: missing ]' '[ 1 = 1'
check cd_pwd 0 '/tmp' 'cd /tmp; pwd'
check cd_missing 1 'sh: cd: /nonexistent: No such file or directory' 'cd /nonexistent'
check exit_status 7 '' 'exit 7'
check unknown_command 127 'sh: nosuchcommand: not found' 'nosuchcommand'
check syntax_error 2 "sh: syntax error near 'fi'" 'if true; then fi'
check syntax_pipe 2 "sh: syntax error near '|'" '| echo'
check unterminated 2 'sh: syntax error: unexpected end of input' 'echo "open'
check unterminated_if 2 'sh: syntax error: unexpected end of input' 'if true; then echo x'
check background_wait 0 'bg
done' 'sh -c "echo bg" & wait; echo done'
check last_background 0 'yes' 'true & [ "$!" -gt 0 ] && echo yes; wait'
check read_builtin 0 'a|b c' 'echo "a b c" | { read x y; echo "$x|$y"; }'
check script_file 3 'script a' 'printf "echo script \$1\nexit 3\n" > s; sh s a'
check script_without_hash_bang 0 'ran' 'printf "echo ran\n" > t; chmod +x t; ./t'
check dot 0 '9' 'echo "v=9" > inc; . ./inc; echo $v'
check shift 0 'b c' 'set -- a b c; shift; echo $@'
check function 0 'hi a b 2
3 after' 'greet() { echo hi "$@" $#; }; greet a b; f () { return 3; echo no; }; f; echo $? after'
check function_loop_return 0 '1' 'first() { for x in 1 2 3; do return $x; done; }; first; echo $?'
check arithmetic 0 '7 2 1 0 -3 10' 'x=4; echo $((x + 3)) $(( (x + 2) / 3 )) $((x > 3 && 1)) $((x % 2)) $((-3)) $(($x * 2 + 2))'
check arithmetic_division_by_zero 1 'sh: division by zero' 'echo $((1 / 0))'
check arithmetic_bad 1 'sh: bad arithmetic: 1 +' 'echo $((1 +))'
echo "1..$n"
exit $failed
