/*
 * Ownership of the terminal (term.defs: term_claim, term_release) and
 * the owner's events (term_event.defs).
 *
 * The terminal has no owner, or one: owner.port, a port whose receive
 * right the driver holds and whose one send right it moved to the owner
 * in term_claim's reply.  Holding a send right to it is being the owner,
 * so the ownership ends:
 *   - with term_release on it;
 *   - when no send right to it is left: the owner died, deallocated it,
 *     or term_claim's reply could not be delivered (the right it carried
 *     was then destroyed).  The kernel's no-senders notification comes
 *     to the owner port itself, through the one send-once right the
 *     kernel holds to it, so a client cannot forge it.
 * The end destroys the owner port, releases the events port, puts the
 * mode back to TERM_MODE_COOKED (a program that dies in raw mode does
 * not leave the terminal raw), and aborts the waiting reads.
 */
#include "owner.h"

#include <notifyServer.h>
#include <termServer.h>
#include <term_event.h>

#include "console.h"
#include "driver.h"
#include "term.h"
#include "tty.h"

static struct {
	mach_port_t port;       /* the owner port (receive right), or MACH_PORT_NULL */
	mach_port_t events;     /* the owner's events port (send right), or MACH_PORT_NULL */
	uint32_t interrupts;    /* interrupts counted for it since its claim */
	uint32_t suspends;      /* and suspends */
} owner;

bool owner_allows(mach_port_t term)
{
	return owner.port == MACH_PORT_NULL || term == owner.port;
}

bool owner_notification(mach_port_t port, mach_msg_type_name_t sent_with)
{
	return port != MACH_PORT_NULL && port == owner.port &&
	       sent_with == MACH_MSG_TYPE_PORT_SEND_ONCE;
}

/* Gives the owner port one send right, to move to the owner, and asks
 * for the notification that it is gone. */
static kern_return_t owner_port_arm(mach_port_t port)
{
	mach_port_t previous = MACH_PORT_NULL;

	kern_return_t kr = mach_port_insert_right(mach_task_self(), port, port,
						  MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = mach_port_request_notification(mach_task_self(), port,
						    MACH_NOTIFY_NO_SENDERS, 1, port,
						    MACH_MSG_TYPE_MAKE_SEND_ONCE, &previous);
	if (previous != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), previous);
	return kr;
}

kern_return_t term_S_claim(mach_port_t term, mach_port_t events, mach_port_t *owner_port)
{
	mach_port_t port = MACH_PORT_NULL;

	(void)term;
	if (owner.port != MACH_PORT_NULL)
		return console_refuse(KERN_NO_ACCESS, "claim: the terminal has an owner");
	if (events == MACH_PORT_DEAD)
		return console_refuse(KERN_INVALID_RIGHT, "claim: the events port is dead");
	kern_return_t kr = driver_port_new(console_port_set, false, &port);
	if (kr == KERN_SUCCESS)
		kr = owner_port_arm(port);
	if (kr != KERN_SUCCESS) {
		if (port != MACH_PORT_NULL)
			mach_port_mod_refs(mach_task_self(), port, MACH_PORT_RIGHT_RECEIVE, -1);
		return console_refuse(kr, "claim: no owner port: %s", mach_error_name(kr));
	}
	owner.port = port;
	owner.events = events;
	owner.interrupts = owner.suspends = 0;
	term_abort_readers();
	*owner_port = port;   /* the reply moves our send right */
	return KERN_SUCCESS;
}

static void owner_end(void)
{
	/* Destroying the receive right kills the owner's send rights and
	 * cancels the no-senders request. */
	mach_port_mod_refs(mach_task_self(), owner.port, MACH_PORT_RIGHT_RECEIVE, -1);
	if (owner.events != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), owner.events);
	owner.port = MACH_PORT_NULL;
	owner.events = MACH_PORT_NULL;
	tty_set_mode(TERM_MODE_COOKED);
	term_abort_readers();
}

kern_return_t term_S_release(mach_port_t term)
{
	if (owner.port == MACH_PORT_NULL || term != owner.port)
		return console_refuse(KERN_NO_ACCESS, "release: not the owner port");
	owner_end();
	return KERN_SUCCESS;
}

/* An event sent: a dead events port means nobody to tell any more. */
static void owner_sent(mach_msg_return_t mr)
{
	if (mr != MACH_SEND_INVALID_DEST)
		return;
	mach_port_deallocate(mach_task_self(), owner.events);
	owner.events = MACH_PORT_NULL;
}

void owner_report(void)
{
	uint32_t n = tty_take_interrupts(), z = tty_take_suspends();

	for (uint32_t i = 0; i < n; i++) {
		owner.interrupts++;
		if (owner.events != MACH_PORT_NULL)
			owner_sent(term_event_interrupt(owner.events, owner.interrupts));
	}
	for (uint32_t i = 0; i < z; i++) {
		owner.suspends++;
		if (owner.events != MACH_PORT_NULL)
			owner_sent(term_event_suspend(owner.events, owner.suspends));
	}
}

/* ---- notifications (notify.defs), on the owner port only ---- */

kern_return_t do_mach_notify_no_senders(mach_port_t notify, natural_t mscount)
{
	(void)mscount;
	if (owner.port == MACH_PORT_NULL || notify != owner.port)
		return KERN_FAILURE;   /* owner_notification let it through: cannot be */
	owner_end();
	return KERN_SUCCESS;
}

/* The others are never asked for; failing, they are destroyed with
 * whatever they brought. */
kern_return_t do_mach_notify_port_deleted(mach_port_t notify, mach_port_name_t name)
{
	(void)notify;
	(void)name;
	return KERN_FAILURE;
}

kern_return_t do_mach_notify_port_destroyed(mach_port_t notify, mach_port_t rights)
{
	(void)notify;
	(void)rights;
	return KERN_FAILURE;
}

kern_return_t do_mach_notify_send_once(mach_port_t notify)
{
	(void)notify;
	return KERN_FAILURE;
}

kern_return_t do_mach_notify_dead_name(mach_port_t notify, mach_port_name_t name)
{
	(void)notify;
	(void)name;
	return KERN_FAILURE;
}
