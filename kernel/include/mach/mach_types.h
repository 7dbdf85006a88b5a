/* The C side of idl/defs/mach_types.defs. */
#pragma once

#include <mach/memory_object.h>
#include <mach/std_types.h>
#include <mach/vm_prot.h>

/*
 * Tasks and threads: a name in user space (today a kernel identifier, see
 * mach/syscall_sw.h; a port name once IPC exists), the object itself
 * inside the kernel.
 */
#ifdef MACH_KERNEL
typedef struct task *task_t;
typedef struct thread *thread_t;
#else
typedef mach_port_t task_t;
typedef mach_port_t thread_t;
#endif
