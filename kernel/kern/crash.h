/*
 * Deliberate crashes, chosen with "crash=KIND" on the command line: they
 * exist to show (and to test) what the kernel reports when it faults.
 * Kinds: ud (invalid opcode), pf (page fault), gp (general protection),
 * de (divide error), stack (kernel stack overflow: a double fault on its
 * own stack), panic.
 */
#pragma once

__attribute__((noreturn)) void crash_now(const char *kind);
