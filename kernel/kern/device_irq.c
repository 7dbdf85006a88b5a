/*
 * Interrupts for user-level drivers: device_irq_attach, _ack, _detach
 * (idl/defs/device.defs) and the handler that turns an interrupt into
 * device_irq_notify messages (idl/defs/device_irq.defs).
 *
 * A line is in one state:
 *
 *   free       no attachment: masked, no handler
 *   armed      attached and unmasked: the next interrupt is sent
 *   waiting    an interrupt was sent to every attachment, and the line
 *              stays masked until each has acknowledged (waiting counts
 *              those that owe an ack)
 *
 * The handler masks the line before its end of interrupt, so that a
 * level-triggered line that the device still asserts does not fire again
 * before the driver has quietened the device; the last ack unmasks it.
 * A shared line is sent to every attachment, and each driver's ack says
 * it has dealt with its own device.
 *
 * The messages are sent from the interrupt handler itself: every kernel
 * structure is guarded by a lock that keeps interrupts out, so the
 * handler never finds one half changed, and a kernel send never waits.
 * The port cannot be a kernel object's (refused at attach), so nothing is
 * served in the handler.
 *
 * An attachment ends with device_irq_detach, when its port is destroyed
 * (ipc_port.c calls device_irq_port_died_locked), or when the task that
 * made it ends (device_irq_task_destroyed): a driver that dies owing an
 * ack does not leave the line masked for the others.
 *
 * Locking: ipc_lock guards the lines and their attachments, since a
 * port's death, which ends attachments, happens under it.
 */
#include <deviceServer.h>
#include <device_irq.h>
#include <mach/device_types.h>

#include "arch/x86_64/pic.h"
#include "arch/x86_64/trap.h"
#include "ipc/ipc_port.h"
#include "ipc/ipc_right.h"
#include "kern/device.h"
#include "kern/kalloc.h"
#include "kern/printf.h"
#include "kern/task.h"
#include "kern/thread.h"

/* Attachments one line may have. */
#define LINE_SHARERS 8

struct irq_attachment {
	struct irq_attachment *next;  /* [I] on its line */
	struct ipc_port *port;        /* [c] a naked send right */
	struct task *owner;           /* [c] the attaching task (no reference:
				         its end detaches first) */
	uint32_t sent;                /* [I] interrupts sent to it */
	bool owes_ack;                /* [I] */
};

struct irq_line {
	struct irq_attachment *attached;   /* [I] */
	uint32_t count;                    /* [I] attachments */
	uint32_t waiting;                  /* [I] attachments owing an ack */
};

static struct irq_line lines[DEVICE_IRQ_LINES];

/* Whether line is the kernel's own. */
static bool line_is_kernels(uint32_t line)
{
	return line == 0 || line == 2;   /* the clock, the cascade */
}

/* The link that points at port's attachment to line (at NULL if none). */
static struct irq_attachment **find_locked(uint32_t line, const struct ipc_port *port)
{
	struct irq_attachment **link = &lines[line].attached;

	while (*link != NULL && (*link)->port != port)
		link = &(*link)->next;
	return link;
}

/* a no longer owes an ack: the line is unmasked after the last. */
static void acked_locked(uint32_t line, struct irq_attachment *a)
{
	a->owes_ack = false;
	if (--lines[line].waiting == 0)
		pic_unmask(line);
}

/* Takes *link's attachment off line and frees it (its send right goes). */
static void detach_locked(uint32_t line, struct irq_attachment **link)
{
	struct irq_attachment *a = *link;

	*link = a->next;
	if (a->owes_ack)
		acked_locked(line, a);
	if (--lines[line].count == 0)
		irq_unregister(line);
	a->port->irq_attachments--;
	ipc_port_release_send_locked(a->port);
	kfree(a, sizeof(*a));
}

/* The interrupt: the line is masked, and sent to every attachment. */
static void irq_handler(unsigned line)
{
	struct irq_line *l = &lines[line];
	struct {
		struct ipc_port *port;
		uint32_t sent;
	} to[LINE_SHARERS];
	unsigned n = 0;

	uint64_t flags = ipc_lock_acquire();
	pic_mask(line);
	for (struct irq_attachment *a = l->attached; a != NULL; a = a->next) {
		if (!a->owes_ack) {
			a->owes_ack = true;
			l->waiting++;
		}
		ipc_port_copy_send_locked(a->port);   /* the message's */
		to[n].port = a->port;
		to[n++].sent = ++a->sent;
	}
	ipc_unlock(flags);
	/* A send fails only if the port died, which ended its attachment. */
	for (unsigned i = 0; i < n; i++)
		device_irq_notify(to[i].port, line, to[i].sent);
}

kern_return_t S_device_irq_attach(device_master_t master, uint32_t line, mach_port_t port)
{
	if (master == NULL)
		return KERN_NO_ACCESS;
	if (line >= DEVICE_IRQ_LINES) {
		kprintf("device: irq_attach: no line %u\n", line);
		return KERN_INVALID_ARGUMENT;
	}
	if (line_is_kernels(line)) {
		kprintf("device: irq_attach: line %u is the kernel's\n", line);
		return KERN_PROTECTION_FAILURE;
	}
	struct irq_attachment *a = kalloc(sizeof(*a));
	if (a == NULL)
		return KERN_RESOURCE_SHORTAGE;
	*a = (struct irq_attachment){ .port = port, .owner = current_thread()->task };

	kern_return_t kr = KERN_SUCCESS;
	uint64_t flags = ipc_lock_acquire();
	if (!IPC_PORT_VALID(port) || !port->active || port->receiver == &ipc_space_kernel)
		kr = KERN_INVALID_CAPABILITY;   /* null, dead, or the kernel's */
	else if (*find_locked(line, port) != NULL)
		kr = KERN_NAME_EXISTS;
	else if (lines[line].count == LINE_SHARERS)
		kr = KERN_RESOURCE_SHORTAGE;
	if (kr != KERN_SUCCESS) {
		ipc_unlock(flags);
		kfree(a, sizeof(*a));
		return kr;
	}
	a->next = lines[line].attached;
	lines[line].attached = a;
	port->irq_attachments++;
	if (lines[line].count++ == 0)
		irq_register(line, irq_handler);   /* unmasks it */
	else if (lines[line].waiting == 0)
		pic_unmask(line);
	ipc_unlock(flags);
	return KERN_SUCCESS;   /* the request's send right is the attachment's */
}

kern_return_t S_device_irq_ack(device_master_t master, uint32_t line, mach_port_t port)
{
	if (master == NULL)
		return KERN_NO_ACCESS;
	if (line >= DEVICE_IRQ_LINES)
		return KERN_INVALID_ARGUMENT;
	uint64_t flags = ipc_lock_acquire();
	struct irq_attachment *a = *find_locked(line, port);
	kern_return_t kr = KERN_SUCCESS;
	if (a == NULL || !IPC_PORT_VALID(port)) {
		kr = KERN_INVALID_ARGUMENT;
	} else if (!a->owes_ack) {
		kr = KERN_FAILURE;
	} else {
		acked_locked(line, a);
		ipc_port_release_send_locked(port);   /* the request's */
	}
	ipc_unlock(flags);
	return kr;
}

kern_return_t S_device_irq_detach(device_master_t master, uint32_t line, mach_port_t port)
{
	if (master == NULL)
		return KERN_NO_ACCESS;
	if (line >= DEVICE_IRQ_LINES)
		return KERN_INVALID_ARGUMENT;
	uint64_t flags = ipc_lock_acquire();
	struct irq_attachment **link = find_locked(line, port);
	bool found = *link != NULL && IPC_PORT_VALID(port);
	if (found) {
		detach_locked(line, link);
		ipc_port_release_send_locked(port);   /* the request's */
	}
	ipc_unlock(flags);
	return found ? KERN_SUCCESS : KERN_INVALID_ARGUMENT;
}

/* Ends the attachments for which drop says so. */
static void detach_all_locked(bool (*drop)(const struct irq_attachment *, const void *),
			      const void *arg)
{
	for (uint32_t line = 0; line < DEVICE_IRQ_LINES; line++) {
		struct irq_attachment **link = &lines[line].attached;
		while (*link != NULL) {
			if (drop(*link, arg))
				detach_locked(line, link);
			else
				link = &(*link)->next;
		}
	}
}

static bool owned_by(const struct irq_attachment *a, const void *task)
{
	return a->owner == task;
}

static bool to_port(const struct irq_attachment *a, const void *port)
{
	return a->port == port;
}

void device_irq_task_destroyed(struct task *task)
{
	uint64_t flags = ipc_lock_acquire();
	detach_all_locked(owned_by, task);
	ipc_unlock(flags);
}

void device_irq_port_died_locked(struct ipc_port *port)
{
	detach_all_locked(to_port, port);
}
