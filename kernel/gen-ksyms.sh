#!/bin/sh
# Writes the assembly for the kernel's symbol table (kern/ksyms.h) from a
# linked kernel, or an empty table when no kernel is given (first link).
# Usage: gen-ksyms.sh [kernel.elf] > ksyms.S
set -eu

echo '	.section .note.GNU-stack, "", @progbits'
echo '	.section .ksyms, "a"'
echo '	.balign 8'
echo '	.globl ksyms_count, ksyms_table, ksyms_names'
if [ $# -eq 0 ]; then
	echo 'ksyms_count: .quad 0'
	echo 'ksyms_table:'
	echo 'ksyms_names: .byte 0'
	exit 0
fi

# Function symbols in the higher half, sorted, one per address.
nm -n --defined-only "$1" |
awk '$2 ~ /^[tT]$/ && $1 ~ /^ffffffff8/ && !seen[$1]++ { print $1, $3 }' >"$1.syms"

n=$(wc -l <"$1.syms")
echo "ksyms_count: .quad $n"
echo 'ksyms_table:'
awk 'BEGIN { off = 0 }
     { printf "\t.quad 0x%s, %d\n", $1, off; off += length($2) + 1 }' "$1.syms"
echo 'ksyms_names:'
awk '{ printf "\t.asciz \"%s\"\n", $2 }' "$1.syms"
rm -f "$1.syms"
