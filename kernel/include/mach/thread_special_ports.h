/*
 * A thread's special ports (thread_get_special_port,
 * thread_set_special_port in idl/defs/thread.defs).  Mach 3's values.
 */
#pragma once

#define THREAD_KERNEL_PORT    1 /* the thread's own port: a send right to it controls the thread */
#define THREAD_EXCEPTION_PORT 3 /* where its exceptions go first (exc.defs) */
