#!/bin/sh
# The interface compiler's test suite (TAP on stdout; non-zero exit if a
# test failed).  Run from the top of the tree, after `make` built what
# idl/idl.mk lists in TEST_DEPS:
#
#   idl/tests/run.sh BUILD                   every test (make test runs this)
#   idl/tests/run.sh BUILD --update-golden   rewrite idl/tests/golden from the
#                                            current generator (make idl-golden)
#
# What it checks:
#   good/*.defs     generate cleanly and compile freestanding, warning-free;
#   bad/*.defs      fail, writing nothing, with the diagnostic that the
#                   file's first line announces: /* expect: LINE:COL: text */
#   golden/NAME/    equals what the generator makes of good/NAME.defs today;
#   idl/defs        every interface compiles freestanding for user space and
#                   for the kernel, and is covered by the fuzzer;
#   roundtrip, fuzz the host programs (ASan + UBSan), their lines renumbered.
set -u

build=${1:-build}
mig=$build/idl/mig
flags="-I idl/defs -I kernel/include -I idl/tests/good"
cc_free="gcc -std=gnu11 -ffreestanding -nostdinc -Wall -Wextra -Werror -I kernel/include"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
failed=0

pass() {
	n=$((n + 1))
	echo "ok $n - $1"
}

# fail NAME FILE: a failed test, with FILE's last lines as diagnostics.
fail() {
	n=$((n + 1))
	failed=1
	echo "not ok $n - $1"
	[ -f "$2" ] && tail -n 20 "$2" | sed 's/^/# /'
}

# Shell functions share one set of variables: helpers use c_, g_, b_ names.
check() { # NAME FILE COMMAND...: passes if COMMAND succeeds
	c_name=$1 c_log=$2
	shift 2
	if "$@" >"$c_log" 2>&1; then pass "$c_name"; else fail "$c_name" "$c_log"; fi
}

generate() { # DEFS OUTDIR [MIG FLAGS...]
	g_defs=$1 g_out=$2
	shift 2
	g_base=$(basename "$g_defs" .defs)
	mkdir -p "$g_out"
	"$mig" "$@" $flags -header "$g_out/$g_base.h" \
		-user "$g_out/${g_base}User.c" -sheader "$g_out/${g_base}Server.h" \
		-server "$g_out/${g_base}Server.c" "$g_defs"
}

if [ "${2:-}" = "--update-golden" ]; then
	for dir in idl/tests/golden/*/; do
		name=$(basename "$dir")
		generate "idl/tests/good/$name.defs" "$dir" || exit 1
		echo "updated $dir"
	done
	exit 0
fi

compiles_free() { # DIR NAME [CFLAGS...]
	c_dir=$1 c_base=$2
	shift 2
	$cc_free -I idl/tests/good -I "$c_dir" "$@" \
		-c "$c_dir/${c_base}User.c" -o "$tmp/u.o" &&
	$cc_free -I idl/tests/good -I "$c_dir" "$@" \
		-c "$c_dir/${c_base}Server.c" -o "$tmp/s.o"
}

good_tests() {
	for defs in idl/tests/good/*.defs; do
		name=$(basename "$defs" .defs)
		out=$tmp/good/$name
		if generate "$defs" "$out" >"$tmp/log" 2>&1 && [ ! -s "$tmp/log" ]
		then
			pass "good_defs_${name}_generates_silently"
		else
			fail "good_defs_${name}_generates_silently" "$tmp/log"
			continue
		fi
		check "good_defs_${name}_compiles_freestanding_without_warnings" \
			"$tmp/log" compiles_free "$out" "$name"
	done
}

# bad_test DEFS: mig must fail, print the expected line, write nothing.
bad_test() {
	defs=$1
	name=$(basename "$defs" .defs)
	want=$(sed -n '1s|^/\* expect: \(.*\) \*/$|\1|p' "$defs")
	out=$tmp/bad/$name
	test="bad_defs_${name}_is_rejected_at_its_line_and_column"
	if [ -z "$want" ]; then
		echo "first line of $defs lacks /* expect: ... */" >"$tmp/log"
		fail "$test" "$tmp/log"
		return
	fi
	if generate "$defs" "$out" >"$tmp/log" 2>&1; then
		echo "mig succeeded" >>"$tmp/log"
		fail "$test" "$tmp/log"
	elif ! grep -qxF "$defs:$want" "$tmp/log"; then
		echo "expected: $defs:$want" >>"$tmp/log"
		fail "$test" "$tmp/log"
	elif [ -n "$(ls -A "$out")" ]; then
		echo "outputs were written: $(ls "$out")" >>"$tmp/log"
		fail "$test" "$tmp/log"
	else
		pass "$test"
	fi
}

golden_tests() {
	for dir in idl/tests/golden/*/; do
		name=$(basename "$dir")
		generate "idl/tests/good/$name.defs" "$tmp/golden/$name" \
			>"$tmp/log" 2>&1 &&
		diff -ru "$dir" "$tmp/golden/$name" >>"$tmp/log" 2>&1
		if [ $? -eq 0 ]; then
			pass "golden_${name}_matches_the_generator"
		else
			echo "(after an intended change: make idl-golden)" >>"$tmp/log"
			fail "golden_${name}_matches_the_generator" "$tmp/log"
		fi
	done
}

# The compiler reads and writes no memory it should not, on good input
# and on its error paths (it never frees: leaks are not checked).
valgrind_test() {
	v_ok=1
	: >"$tmp/log"
	for v_defs in idl/tests/good/rt.defs idl/tests/bad/missing_semicolon.defs \
		      idl/tests/bad/count_clashes_with_argument.defs \
		      idl/tests/bad/unknown_type.defs; do
		valgrind -q --error-exitcode=99 --leak-check=no "$mig" $flags \
			-header "$tmp/v.h" -user "$tmp/vUser.c" \
			-sheader "$tmp/vServer.h" -server "$tmp/vServer.c" \
			"$v_defs" >>"$tmp/log" 2>&1
		[ $? -eq 99 ] && v_ok=0
	done
	if [ $v_ok -eq 1 ]; then
		pass "compiler_is_memory_clean_under_valgrind"
	else
		fail "compiler_is_memory_clean_under_valgrind" "$tmp/log"
	fi
}

interfaces() {
	grep -il '^[[:space:]]*subsystem' idl/defs/*.defs |
		sed 's|.*/||; s|\.defs$||'
}

# kernel_side NAME: the generated files of NAME the kernel compiles: the
# user stubs of a KernelUser subsystem, the demux of a KernelServer one.
kernel_side() {
	grep -i '^[[:space:]]*subsystem' "idl/defs/$1.defs" | {
		read -r k_line
		case $(echo "$k_line" | tr 'A-Z' 'a-z') in
		*kerneluser*) echo "${1}User.c" ;;
		esac
		case $(echo "$k_line" | tr 'A-Z' 'a-z') in
		*kernelserver*) echo "${1}Server.c" ;;
		esac
	}
}

compiles_for_kernel() { # NAME
	for k_file in $(kernel_side "$1"); do
		$cc_free -DMACH_KERNEL -I "$build/idl/kgen" \
			-c "$build/idl/kgen/$k_file" -o "$tmp/k.o" || return 1
	done
}

interface_tests() {
	for name in $(interfaces); do
		check "interface_${name}_compiles_freestanding_for_user_space" \
			"$tmp/log" compiles_free "$build/idl/gen" "$name"
		[ -n "$(kernel_side "$name")" ] || continue
		check "interface_${name}_compiles_freestanding_for_the_kernel" \
			"$tmp/log" compiles_for_kernel "$name"
	done
}

# run_program NAME BINARY: its TAP lines, renumbered into this suite.
run_program() {
	"$2" >"$tmp/$1.out" 2>&1
	b_rc=$?
	b_bad=0
	while IFS= read -r b_line; do
		case $b_line in
		"ok "*) pass "${b_line#*- }" ;;
		"not ok "*) n=$((n + 1)); failed=1; b_bad=1
			echo "not ok $n - ${b_line#*- }" ;;
		*) echo "# $b_line" ;;
		esac
	done <"$tmp/$1.out"
	if [ "$b_rc" -ne 0 ] && [ "$b_bad" -eq 0 ]; then
		fail "${1}_exits_cleanly (status $b_rc)" "$tmp/$1.out"
	fi
}

fuzz_coverage_tests() {
	for name in $(interfaces); do
		if grep -q "^ok .* fuzz_${name}_" "$tmp/fuzz.out"; then
			pass "interface_${name}_is_fuzzed"
		else
			echo "add stand-ins for $name to idl/tests/pager_servers.c" \
			     "and to IDL_FUZZED in idl/idl.mk" >"$tmp/log"
			fail "interface_${name}_is_fuzzed" "$tmp/log"
		fi
	done
}

good_tests
for defs in idl/tests/bad/*.defs; do
	bad_test "$defs"
done
golden_tests
valgrind_test
interface_tests
run_program roundtrip "$build/idl/tests/roundtrip"
run_program fuzz "$build/idl/tests/fuzz"
fuzz_coverage_tests
echo "1..$n"
exit $failed
