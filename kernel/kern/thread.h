/*
 * Threads: the unit that runs.  A thread belongs to one task for its whole
 * life and has a kernel stack, user registers and FPU state (arch pcb),
 * and scheduling state (kern/sched.h).
 *
 * Life: thread_create makes a thread, suspended, in a task.  It runs
 * once resumed; it stops at its next return to user mode while it is
 * suspended (or its task is suspended or halted).  Termination is a
 * request (AST_TERMINATE): the thread is woken from any wait, runs at the
 * top priority, and ends itself at the boundary to user mode, where it
 * holds nothing; so a thread never dies in the middle of a kernel call.
 * The thread after it frees its kernel stack; the struct goes when the
 * last reference does.  When a task's last thread ends, the task ends.
 *
 * Locking: [S] sched_lock, [T] task_lock (task.h), [I] ipc_lock (ipc_port.h),
 * [c] fixed at creation.
 */
#pragma once

#include <mach/kern_return.h>
#include <mach/task_info.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/pcb.h"
#include "kern/sched.h"

enum thread_state {
	TH_READY = 1,
	TH_RUNNING,
	TH_WAITING,
	TH_STOPPED,
	TH_DEAD,
};

/* Work before the next return to user mode (thread.ast). */
#define AST_TERMINATE 1u
#define AST_STOP      2u
#define AST_IRET      4u    /* its user registers were set: not by sysret */

struct thread {
	uint32_t ast;                      /* [S] AST_*; first (trap_entry.S) */
	uint32_t state;                    /* [S] enum thread_state */
	struct thread *q_next, *q_prev;    /* [S] run queue or wait queue */
	struct wait_queue *waitq;          /* [S] the queue it waits on */
	struct thread *timer_next, *timer_prev; /* [S] deadline list */
	uint64_t deadline;                 /* [S] ns, or SCHED_NO_DEADLINE */
	int wait_result;                   /* [S] WAIT_* */
	uint32_t priority;                 /* [S] */
	uint32_t max_priority;             /* [S] its ceiling (thread_priority) */
	uint32_t quantum;                  /* [S] ticks left */
	uint32_t suspend_count;            /* [S] */
	bool terminating;                  /* [S] */
	bool exited;                       /* [S] ended; waiters on death go */
	uint64_t run_ticks;                /* [S] */
	uint64_t switches;                 /* [S] */
	struct wait_queue death;           /* [S] threads waiting for its end */
	struct wait_queue stopped;         /* [S] thread_abort's callers: woken when it stops */

	struct task *task;                 /* [c] holds a reference */
	struct thread *task_next, *task_prev; /* [T] the task's threads */
	uint32_t name;                     /* [c] never reused */
	uint32_t refs;                     /* [T] */
	struct ipc_port *ith_self;         /* its kernel port (ipc_tt.h) */
	struct ipc_port *ith_exception;    /* [I] a naked send right, or NULL */
	struct ipc_port *ith_kernel_reply; /* reply port of the kernel's RPCs for it */
	struct ipc_kmsg *ith_kmsg;         /* [I] handed to it while it waited to receive */
	struct ipc_kmsg *ith_kmsg_own;     /* [c] the fast path's message to it (ipc_kmsg.h) */
	uint32_t ith_rcv_size;             /* [I] the largest message that wait takes */
	uint32_t ith_rcv_name;             /* [I] the RPC path's: the name it receives on */
	uint64_t ith_msg;                  /* [I] the RPC path's: its message buffer */
	void (*continuation)(void);        /* [S] waiting without its stack: see sched.h */
	bool vm_privileged;                /* [S] may take the reserved pages (vm_pageout.h) */
	struct vm_wait *vm_wait;           /* [S] its wait on a pager, or NULL (vm/vm_waits.h) */
	struct pcb pcb;                    /* the running thread's own */
};

/* A new user thread in task, suspended once, all registers zero. */
kern_return_t thread_create(struct task *task, struct thread **out);

/*
 * A kernel thread that runs body (which never returns) at priority, in
 * the kernel task, ready at once.  It is VM-privileged (vm_pageout.h)
 * and never stops or ends; it is on no task's list.
 * KERN_RESOURCE_SHORTAGE.
 */
kern_return_t thread_create_kernel(void (*body)(void), unsigned priority, struct thread **out);

/* Asks t to end and, unless t is the caller, waits until it has.
 * KERN_OPERATION_TIMED_OUT if it has not within a few seconds. */
kern_return_t thread_terminate(struct thread *t);

/* Counted suspension.  thread_resume: KERN_FAILURE if t is not suspended. */
kern_return_t thread_suspend(struct thread *t);
kern_return_t thread_resume(struct thread *t);

/* State of a thread that is not the caller and is suspended (or in a
 * suspended or halted task): else KERN_FAILURE.  See pcb_get_state. */
/*
 * Ends a suspended thread's kernel wait, if it is in one, as if it were
 * interrupted (mach_msg returns MACH_SEND_INTERRUPTED or
 * MACH_RCV_INTERRUPTED, a page fault is taken again later), and returns
 * once it has stopped at its boundary to user mode: its registers are
 * then final, the result of the call it was in among them.
 * KERN_FAILURE if t is the caller or is not suspended,
 * KERN_OPERATION_TIMED_OUT if it has not stopped by the terminate
 * deadline, KERN_ABORTED if the caller is being terminated.
 */
kern_return_t thread_abort(struct thread *t);

kern_return_t thread_get_state(struct thread *t, int flavor, void *state, uint64_t size);
kern_return_t thread_set_state(struct thread *t, int flavor, const void *state, uint64_t size);

/* KERN_INVALID_VALUE unless THREAD_PRIORITY_MIN <= priority <= max. */
kern_return_t thread_priority(struct thread *t, unsigned priority, unsigned max);

void thread_info(struct thread *t, struct thread_basic_info *info);

/* Recomputes t->ast from its suspension and its task's state. */
void thread_update_ast_locked(struct thread *t);

/* A stopped thread that no longer has to stop runs again. */
void thread_release_locked(struct thread *t);

/* Marks t to end; it runs at the top priority so that it ends soon. */
void thread_request_termination_locked(struct thread *t);

/*
 * Waits until t has exited: KERN_OPERATION_TIMED_OUT at deadline, or
 * KERN_ABORTED if the caller itself is being terminated.  The deadline
 * guards against a kernel bug only: every wait is interruptible and a
 * dying thread runs at the top priority.
 */
#define THREAD_TERMINATE_DEADLINE_NS 5000000000ull
kern_return_t thread_wait_exit_locked(struct thread *t, uint64_t deadline);

/* The return to user mode with work pending (trap_entry.S): stops,
 * ends or reschedules the current thread as its ast says.  True if its
 * user registers were set since it entered (AST_IRET): a system call
 * then returns by iret, which restores all of them. */
bool thread_user_return_work(struct trap_frame *frame);

/* References: thread_reference takes one, thread_deallocate drops it. */
void thread_reference(struct thread *t);
void thread_deallocate(struct thread *t);

/* Called by the thread that runs after a dead one: frees its stack. */
void thread_reap(struct thread *dead);
