/*
 * Signals (docs/unix.md).  A signal sent to a process becomes pending;
 * after each message the server has handled, signal_sweep delivers what
 * each process's mask lets through: the default action (end, stop,
 * continue, nothing), or its handler run on its own stack.
 *
 * To run a handler the server stops the thread (thread_suspend, then
 * thread_abort: a call it waits in is interrupted, and libmach's
 * mach_msg takes the reply up again after the handler), pushes a
 * struct unix_sigframe with the thread's registers below its red zone,
 * and points the thread at libc's trampoline, which calls the handler.
 * The trampoline's ud2 comes here as an exception: sigreturn puts the
 * registers and the mask back.  A call that waited in the
 * server is answered -EINTR first, unless the action has SA_RESTART:
 * then it goes on waiting.
 *
 * Signals from the hardware come as exceptions on the process port
 * (exc.defs): a bad access to no mapping or against its protection
 * (KERN_INVALID_ADDRESS, KERN_PROTECTION_FAILURE) is SIGSEGV; any other
 * is a page no pager supplied -- its error, or the kernel's pager policy
 * failing the fault at its deadline or on a waits-for cycle -- and is
 * SIGBUS; a bad
 * instruction SIGILL, arithmetic SIGFPE, a breakpoint SIGTRAP.  The
 * handler's frame is then the exception's answer; blocked or not
 * caught, such a signal ends the process.
 */
#include "emul.h"

#include <excServer.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <term_eventServer.h>
#include <unixServer.h>
#include <unix_reply.h>

#define BIT(sig) UNIX_SIGBIT(sig)
#define UNBLOCKABLE (BIT(SIGKILL) | BIT(SIGSTOP))
#define STOPS (BIT(SIGSTOP) | BIT(SIGTSTP) | BIT(SIGTTIN) | BIT(SIGTTOU))
#define RED_ZONE 128u
#define RFLAGS_TF_DF 0x500ull
#define NS_PER_US 1000ull

bool signal_work;

enum action { ACT_END, ACT_IGNORE, ACT_STOP, ACT_CONTINUE };

static enum action default_action(int sig)
{
	if (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH)
		return ACT_IGNORE;
	if (BIT(sig) & STOPS)
		return ACT_STOP;
	return sig == SIGCONT ? ACT_CONTINUE : ACT_END;
}

static bool caught(const struct proc *p, int sig)
{
	return p->actions[sig].handler > UNIX_SIG_IGN;
}

static bool ignored(const struct proc *p, int sig)
{
	uint64_t handler = p->actions[sig].handler;
	return handler == UNIX_SIG_IGN ||
	       (handler == UNIX_SIG_DFL && default_action(sig) == ACT_IGNORE);
}

bool signal_refused(const struct proc *p, int sig)
{
	return ignored(p, sig) || (p->sigmask & BIT(sig));
}

/* The lowest signal p's mask lets through, 0 if none (or p is stopped). */
static int next_signal(const struct proc *p)
{
	uint64_t ready = p->sigpending & ~p->sigmask;
	return p->state != PROC_LIVE || p->stopped || ready == 0 ? 0 : __builtin_ctzll(ready) + 1;
}

/* p stops (by sig) or goes on (sig 0): the process server, and p's
 * parent's wait and SIGCHLD (unless SA_NOCLDSTOP), are told. */
static void set_stopped(struct proc *p, int sig)
{
	int32_t parent = 0;

	if (p->stopped == (sig != 0) || p->task == MACH_PORT_NULL)
		return;
	p->stopped = sig != 0;
	if (sig != 0)
		task_suspend(p->task);
	else
		task_resume(p->task);
	proc_stopped(proc_server, p->pid, sig, &parent);
	struct proc *pp = proc_by_pid(parent);
	if (pp == NULL)
		return;
	wait_child_changed(pp);
	if (!(pp->actions[SIGCHLD].flags & UNIX_SA_NOCLDSTOP))
		signal_post(pp, SIGCHLD);
}

void signal_post(struct proc *p, int sig)
{
	signal_post_from(p, sig, UNIX_SI_KERNEL, 0);
}

void signal_post_from(struct proc *p, int sig, int32_t code, uint64_t value)
{
	if (p == NULL || p->state != PROC_LIVE || sig <= 0 || sig >= UNIX_NSIG)
		return;
	p->siginfo[sig] = (struct unix_siginfo){ .signo = sig, .code = code, .value = value };
	if (sig == SIGCONT || sig == SIGKILL) {
		p->sigpending &= ~STOPS;
		set_stopped(p, 0);
	}
	if (BIT(sig) & STOPS)
		p->sigpending &= ~BIT(SIGCONT);
	if (ignored(p, sig) && sig != SIGKILL)
		return;
	p->sigpending |= BIT(sig);
	signal_work = true;
}

/* Writes size bytes at addr into task: the pages they span are read,
 * changed and written back (vm_write takes whole pages). */
static kern_return_t task_write(task_t task, uint64_t addr, const void *data, size_t size)
{
	uint64_t start = addr & ~(uint64_t)(PAGE - 1);
	uint64_t end = (addr + size + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	vm_offset_t copy;
	mach_msg_type_number_t count;
	kern_return_t kr = vm_read(task, start, end - start, &copy, &count);

	if (kr != KERN_SUCCESS)
		return kr;
	memcpy((char *)copy + (addr - start), data, size);
	kr = vm_write(task, start, copy, count);
	vm_deallocate(mach_task_self(), copy, count);
	return kr;
}

static bool on_altstack(const struct proc *p, uint64_t sp)
{
	return p->altstack_size > 0 && sp > p->altstack && sp - p->altstack <= p->altstack_size;
}

/* A call of p's that waits ends as the signal's action says. */
static void interrupt_call(struct proc *p, const struct sig_action *a)
{
	if (p->suspending) {
		unix_sigsuspend_reply(p->suspend_reply, KERN_SUCCESS, -EINTR);
		p->suspending = false;
	}
	poll_cancel(p, true);   /* never restarted, as on Linux */
	if (a->flags & UNIX_SA_RESTART)
		return;
	wait_cancel(p, true);
	pipe_cancel(p, true);
	term_cancel(p, true);
	socket_cancel(p, true);
}

/*
 * Runs sig's handler: its frame, holding regs and the thread's FPU
 * state, goes on p's stack and regs become the handler's entry.  The
 * thread must be stopped.  False if the stack cannot take the frame.
 */
static bool push_frame(struct proc *p, int sig, struct x86_64_thread_state *regs)
{
	struct sig_action *a = &p->actions[sig];
	struct unix_sigframe frame = {
		.sig = (uint64_t)sig,
		.handler = a->handler,
		.mask = p->suspending ? p->suspend_old_mask : p->sigmask,
		.flags = (uint64_t)a->flags,
		.info = p->siginfo[sig],
		.regs = *regs,
	};
	mach_msg_type_number_t count = X86_64_FLOAT_STATE_COUNT;
	uint64_t top = regs->rsp < RED_ZONE ? 0 : regs->rsp - RED_ZONE;
	if ((a->flags & UNIX_SA_ONSTACK) && p->altstack_size > 0 && !on_altstack(p, regs->rsp))
		top = p->altstack + p->altstack_size;
	uint64_t sp = ((top - sizeof(frame)) & ~15ull) - 8;

	if (top < sizeof(frame) + PAGE ||
	    thread_get_state(p->thread, X86_64_FLOAT_STATE, (thread_state_t)&frame.fpu, &count) !=
		    KERN_SUCCESS ||
	    task_write(p->task, sp, &frame, sizeof(frame)) != KERN_SUCCESS)
		return false;
	interrupt_call(p, a);
	regs->rip = p->sigtramp + UNIX_SIGTRAMP_ENTRY;
	regs->rsp = sp;
	regs->rdi = (uint64_t)sig;
	regs->rsi = a->handler;
	regs->rdx = sp;
	regs->rflags &= ~RFLAGS_TF_DF;
	p->sigmask |= a->mask | (a->flags & UNIX_SA_NODEFER ? 0 : BIT(sig));
	p->sigmask &= ~UNBLOCKABLE;
	if (a->flags & UNIX_SA_RESETHAND)
		*a = (struct sig_action){ .handler = UNIX_SIG_DFL };
	return true;
}

/*
 * Delivers p's deliverable signals, with regs the registers its thread
 * goes on with (stopped; NULL if it runs and only default actions may
 * be taken).  Returns at the first caught signal when regs is NULL;
 * true if regs was changed.
 */
static bool deliver(struct proc *p, struct x86_64_thread_state *regs)
{
	bool changed = false;
	int sig;

	while ((sig = next_signal(p)) != 0) {
		if (caught(p, sig) && regs == NULL)
			return false;
		p->sigpending &= ~BIT(sig);
		if (caught(p, sig) && push_frame(p, sig, regs)) {
			changed = true;
		} else if (caught(p, sig)) {
			mach_printf("emul: pid %d (%s): no stack for signal %d\n", p->pid,
				    p->command, sig);
			proc_terminate(p, SIGSEGV);
		} else if (default_action(sig) == ACT_END) {
			proc_terminate(p, sig);
		} else if (default_action(sig) == ACT_STOP) {
			set_stopped(p, sig);
		}
	}
	return changed;
}

/* Stops p's running thread where it is and runs its handlers. */
static void deliver_to_thread(struct proc *p)
{
	struct x86_64_thread_state regs;
	mach_msg_type_number_t count = X86_64_THREAD_STATE_COUNT;
	thread_t thread = p->thread;

	if (thread_suspend(thread) != KERN_SUCCESS)
		return;
	if (thread_abort(thread) == KERN_SUCCESS &&
	    thread_get_state(thread, X86_64_THREAD_STATE, (thread_state_t)&regs, &count) ==
		    KERN_SUCCESS &&
	    deliver(p, &regs) && p->state == PROC_LIVE)
		thread_set_state(thread, X86_64_THREAD_STATE, (thread_state_t)&regs, count);
	if (p->state == PROC_LIVE)
		thread_resume(thread);
}

void signal_sweep(void)
{
	signal_work = false;
	for (unsigned i = 0; i < UNIX_PROC_MAX; i++) {
		struct proc *p = &procs[i];
		deliver(p, NULL);
		if (next_signal(p) != 0)
			deliver_to_thread(p);
	}
}

/* A new process's signal state: its parent's actions and mask, if it
 * has one, and nothing pending. */
void signal_fork(struct proc *child, const struct proc *parent)
{
	memset(child->actions, 0, sizeof(child->actions));
	child->sigmask = child->sigtramp = 0;
	child->probe = child->probe_end = child->probe_fault = 0;
	if (parent != NULL) {
		memcpy(child->actions, parent->actions, sizeof(child->actions));
		child->sigmask = parent->sigmask;
		child->sigtramp = parent->sigtramp;
		child->probe = parent->probe;
		child->probe_end = parent->probe_end;
		child->probe_fault = parent->probe_fault;
	}
	child->sigpending = 0;
	child->stopped = child->suspending = false;
	child->alarm_ns = child->alarm_interval_ns = 0;
	child->altstack = parent != NULL ? parent->altstack : 0;
	child->altstack_size = parent != NULL ? parent->altstack_size : 0;
}

/* Handlers are the old program's: caught signals go back to SIG_DFL.
 * The new program's libc code is where mach/unix_types.h says, after
 * its entry point. */
void signal_exec(struct proc *p, uint64_t entry)
{
	for (int sig = 1; sig < UNIX_NSIG; sig++)
		if (caught(p, sig))
			p->actions[sig] = (struct sig_action){ .handler = UNIX_SIG_DFL };
	p->altstack = p->altstack_size = 0;
	p->sigtramp = entry + UNIX_ENTRY_SIGTRAMP;
	p->probe = entry + UNIX_ENTRY_PROBE;
	p->probe_end = entry + UNIX_ENTRY_PROBE_END;
	p->probe_fault = entry + UNIX_ENTRY_PROBE_FAULT;
}

void signal_cancel(struct proc *p)
{
	if (p->suspending)
		mach_port_deallocate(mach_task_self(), p->suspend_reply);
	p->suspending = false;
	p->alarm_ns = 0;
	if (p->thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), p->thread);
	p->thread = MACH_PORT_NULL;
}

/* The earliest alarm of any process's (UINT64_MAX: none), or earlier. */
uint64_t alarm_next = UINT64_MAX;

uint64_t signal_tick(void *arg, uint64_t now)
{
	uint64_t next = UINT64_MAX;

	(void)arg;
	if (now < alarm_next)
		return alarm_next;   /* every system call comes through here */
	for (unsigned i = 0; i < UNIX_PROC_MAX; i++) {
		struct proc *p = &procs[i];
		if (p->state != PROC_LIVE || p->alarm_ns == 0)
			continue;
		if (p->alarm_ns <= now) {
			signal_post_from(p, SIGALRM, UNIX_SI_TIMER, 0);
			p->alarm_ns = p->alarm_interval_ns == 0 ? 0 : now + p->alarm_interval_ns;
		}
		if (p->alarm_ns != 0 && p->alarm_ns < next)
			next = p->alarm_ns;
	}
	if (signal_work)
		signal_sweep();
	alarm_next = next;
	return next;
}

/* ^Z on the terminal: SIGTSTP to its foreground process group. */
kern_return_t term_event_S_suspend(mach_port_t port, natural_t count)
{
	(void)port, (void)count;
	signal_group(NULL, term_foreground, SIGTSTP);
	return KERN_SUCCESS;
}

/* ^C on the terminal: SIGINT to its foreground process group. */
kern_return_t term_event_S_interrupt(mach_port_t port, natural_t count)
{
	(void)port, (void)count;
	signal_group(NULL, term_foreground, SIGINT);
	return KERN_SUCCESS;
}

/* ---- the calls ---- */

kern_return_t unix_S_sigaction(mach_port_t port, int32_t sig, boolean_t set, uint64_t handler,
			       uint64_t mask, int32_t flags, int64_t *result,
			       uint64_t *old_handler, uint64_t *old_mask, int32_t *old_flags)
{
	EMUL_CALLER(p, port);
	*old_handler = *old_mask = 0;
	*old_flags = 0;
	*result = -EINVAL;
	if (sig <= 0 || sig >= UNIX_NSIG || (set && (BIT(sig) & UNBLOCKABLE)))
		return KERN_SUCCESS;
	struct sig_action *a = &p->actions[sig];
	*old_handler = a->handler;
	*old_mask = a->mask;
	*old_flags = a->flags;
	*result = 0;
	if (!set)
		return KERN_SUCCESS;
	*a = (struct sig_action){ .handler = handler, .mask = mask & ~UNBLOCKABLE, .flags = flags };
	if (ignored(p, sig))
		p->sigpending &= ~BIT(sig);
	return KERN_SUCCESS;
}

kern_return_t unix_S_sigprocmask(mach_port_t port, int32_t how, uint64_t set, int64_t *result,
				 uint64_t *old)
{
	EMUL_CALLER(p, port);
	*old = p->sigmask;
	*result = 0;
	if (how == SIG_BLOCK)
		p->sigmask |= set;
	else if (how == SIG_UNBLOCK)
		p->sigmask &= ~set;
	else if (how == SIG_SETMASK)
		p->sigmask = set;
	else
		*result = -EINVAL;
	p->sigmask &= ~UNBLOCKABLE;
	signal_work |= next_signal(p) != 0;
	return KERN_SUCCESS;
}

kern_return_t unix_S_sigpending(mach_port_t port, int64_t *result, uint64_t *set)
{
	EMUL_CALLER(p, port);
	*set = p->sigpending & p->sigmask;
	*result = 0;
	return KERN_SUCCESS;
}

kern_return_t unix_S_sigsuspend(mach_port_t port, mach_port_t reply, uint64_t mask,
				int64_t *result)
{
	EMUL_CALLER(p, port);
	(void)result;
	p->suspending = true;
	p->suspend_reply = reply;
	p->suspend_old_mask = p->sigmask;
	p->sigmask = mask & ~UNBLOCKABLE;
	signal_work |= next_signal(p) != 0;
	return MIG_NO_REPLY;
}

kern_return_t unix_S_setitimer(mach_port_t port, int32_t which, uint64_t value_us,
			       uint64_t interval_us, int64_t *result, uint64_t *old_value_us,
			       uint64_t *old_interval_us)
{
	EMUL_CALLER(p, port);
	uint64_t now = mach_clock_ns();
	const uint64_t max_us = UINT64_MAX / 4 / NS_PER_US;

	*old_value_us = *old_interval_us = 0;
	if (which != UNIX_ITIMER_REAL || value_us > max_us || interval_us > max_us) {
		*result = -EINVAL;
		return KERN_SUCCESS;
	}
	if (p->alarm_ns != 0) {
		*old_value_us = p->alarm_ns > now ? (p->alarm_ns - now + NS_PER_US - 1) / NS_PER_US : 1;
		*old_interval_us = p->alarm_interval_ns / NS_PER_US;
	}
	p->alarm_ns = value_us == 0 ? 0 : now + value_us * NS_PER_US;
	p->alarm_interval_ns = interval_us * NS_PER_US;
	if (p->alarm_ns != 0 && p->alarm_ns < alarm_next)
		alarm_next = p->alarm_ns;
	*result = 0;
	return KERN_SUCCESS;
}

/* ---- exceptions ---- */

static int signal_of(exception_type_t exception, const int64_t *code, unsigned count)
{
	switch (exception) {
	case EXC_BAD_ACCESS:
		return count == 0 || code[0] == KERN_INVALID_ADDRESS ||
				       code[0] == KERN_PROTECTION_FAILURE
			       ? SIGSEGV
			       : SIGBUS;
	case EXC_BAD_INSTRUCTION:
		return SIGILL;
	case EXC_ARITHMETIC:
		return SIGFPE;
	case EXC_BREAKPOINT:
		return SIGTRAP;
	default:
		return SIGKILL;
	}
}

/* The trampoline's ud2: regs become the frame's, the mask its mask. */
static bool sigreturn(struct proc *p, struct x86_64_thread_state *regs)
{
	vm_offset_t data;
	mach_msg_type_number_t size;

	if (vm_read(p->task, regs->rsp + 8, sizeof(struct unix_sigframe), &data, &size) !=
	    KERN_SUCCESS)
		return false;
	struct unix_sigframe *frame = (struct unix_sigframe *)data;
	kern_return_t kr = thread_set_state(p->thread, X86_64_FLOAT_STATE,
					    (thread_state_t)&frame->fpu, X86_64_FLOAT_STATE_COUNT);
	*regs = frame->regs;
	p->sigmask = frame->mask & ~UNBLOCKABLE;
	vm_deallocate(mach_task_self(), data, size);
	return kr == KERN_SUCCESS;
}

/* A hardware signal's unix_siginfo code. */
static int32_t fault_code(int sig, const int64_t *code, unsigned count)
{
	if (sig == SIGBUS)
		return UNIX_BUS_OBJERR;
	if (sig == SIGSEGV)
		return count > 0 && code[0] == KERN_PROTECTION_FAILURE ? UNIX_SEGV_ACCERR
								       : UNIX_SEGV_MAPERR;
	return UNIX_SI_KERNEL;
}

/*
 * What p's thread, stopped in an exception with regs, goes on with.
 * An exception from before a thread_abort of the server's is stale (the
 * thread has gone on, and will take it again): false then.
 */
static bool take_exception(struct proc *p, exception_type_t exception, const int64_t *code,
			   unsigned count, struct x86_64_thread_state *regs)
{
	struct x86_64_thread_state now;
	mach_msg_type_number_t n = X86_64_THREAD_STATE_COUNT;

	if (thread_get_state(p->thread, X86_64_THREAD_STATE, (thread_state_t)&now, &n) !=
		    KERN_SUCCESS ||
	    now.rip != regs->rip || now.rsp != regs->rsp)
		return false;
	if (exception == EXC_BAD_INSTRUCTION && regs->rip == p->sigtramp) {
		if (!sigreturn(p, regs))
			proc_terminate(p, SIGSEGV);
	} else if (exception == EXC_BAD_ACCESS && regs->rip >= p->probe &&
		   regs->rip < p->probe_end) {
		regs->rip = p->probe_fault;   /* a call's bad pointer: EFAULT */
	} else {
		int sig = signal_of(exception, code, count);
		if (!caught(p, sig) || (p->sigmask & BIT(sig))) {
			mach_printf("emul: pid %d (%s) took exception %d: signal %d\n", p->pid,
				    p->command, exception, sig);
			proc_terminate(p, sig);
			return true;
		}
		p->sigpending |= BIT(sig);
		p->siginfo[sig] = (struct unix_siginfo){
			.signo = sig, .code = fault_code(sig, code, count),
			.value = exception == EXC_BAD_ACCESS && count > 1 ? (uint64_t)code[1] : 0 };
	}
	deliver(p, regs);
	return true;
}

kern_return_t S_exception_raise(mach_port_t port, mach_port_t thread, mach_port_t task,
				exception_type_t exception, exception_data_t code,
				mach_msg_type_number_t codeCnt, thread_state_flavor_t flavor,
				thread_state_t old_state, mach_msg_type_number_t old_stateCnt,
				thread_state_t new_state, mach_msg_type_number_t *new_stateCnt)
{
	struct proc *p = proc_lookup(port);
	kern_return_t kr = KERN_INVALID_ARGUMENT;
	struct x86_64_thread_state regs;

	*new_stateCnt = 0;
	if (p != NULL && task == p->task && flavor == X86_64_THREAD_STATE &&
	    old_stateCnt == X86_64_THREAD_STATE_COUNT && thread_suspend(p->thread) == KERN_SUCCESS) {
		memcpy(&regs, old_state, sizeof(regs));
		thread_t stopped = p->thread;
		kr = take_exception(p, exception, (const int64_t *)code, codeCnt, &regs)
			     ? KERN_SUCCESS : KERN_FAILURE;
		if (kr == KERN_SUCCESS && p->state == PROC_LIVE) {
			memcpy(new_state, &regs, sizeof(regs));
			*new_stateCnt = X86_64_THREAD_STATE_COUNT;
		}
		if (p->state == PROC_LIVE)
			thread_resume(stopped);
	}
	mach_port_deallocate(mach_task_self(), thread);
	mach_port_deallocate(mach_task_self(), task);
	return kr;
}

kern_return_t unix_S_sigaltstack(mach_port_t port, boolean_t set, uint64_t sp, uint64_t size,
				 int32_t flags, int64_t *result, uint64_t *old_sp,
				 uint64_t *old_size, int32_t *old_flags)
{
	EMUL_CALLER(p, port);
	*old_sp = p->altstack;
	*old_size = p->altstack_size;
	*old_flags = p->altstack_size == 0 ? UNIX_SS_DISABLE : 0;
	*result = 0;
	if (!set)
		return KERN_SUCCESS;
	if ((flags & ~UNIX_SS_DISABLE) != 0)
		*result = -EINVAL;
	else if (!(flags & UNIX_SS_DISABLE) && size < UNIX_MINSIGSTKSZ)
		*result = -ENOMEM;
	else if (!(flags & UNIX_SS_DISABLE) && (sp >= USER_LIMIT || size > USER_LIMIT - sp))
		*result = -EFAULT;
	if (*result != 0)
		return KERN_SUCCESS;
	p->altstack = flags & UNIX_SS_DISABLE ? 0 : sp;
	p->altstack_size = flags & UNIX_SS_DISABLE ? 0 : size;
	return KERN_SUCCESS;
}
