/*
 * Starting boot modules as tasks: the ELF64 image (checked at boot by
 * elf_check_executable) is copied into fresh pages of a new task, a stack
 * is made with the program's arguments, and one thread starts at the
 * entry point.
 *
 * The initial stack is the System V one: rsp (16-byte aligned) points at
 * argc, then argv[0..argc-1], NULL, an empty environment (NULL) and an
 * auxiliary vector holding only AT_NULL.  argv is the words of the
 * module's command line followed by the words of `args`.  bootstrap,
 * started by the kernel, instead gets one argv string per boot module:
 * the module's whole command line, itself first.
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/syscall_sw.h>
#include <stddef.h>

#include "kern/task.h"
#include "kern/thread.h"

/* Limits of a module's arguments (host_boot_module_load): more is
 * KERN_INVALID_ARGUMENT. */
#define BOOT_ARGS_MAX   4096   /* bytes of argument strings, with their NULs */
#define BOOT_ARGV_MAX   64     /* argument strings, the command line's included */

#define USER_STACK_TOP  0x00007ffffff00000ull
#define USER_STACK_SIZE (64 * 1024)

/* The index of the module whose name (boot_module_name) is name, or -1. */
int boot_module_find(const char *name);

/*
 * Makes module index a child task of parent, its first thread suspended
 * (thread_resume starts it), each with a reference for the caller.  Errors:
 * KERN_INVALID_ARGUMENT (more arguments than BOOT_ARGV_MAX or
 * BOOT_ARGS_MAX bytes), KERN_RESOURCE_SHORTAGE.
 */
kern_return_t boot_module_spawn(struct task *parent, unsigned index, const char *args,
				size_t args_len, struct task **task_out,
				struct thread **thread_out);

/* Starts module 0 as bootstrap; a failure ends the boot. */
void boot_module_start_bootstrap(void);
