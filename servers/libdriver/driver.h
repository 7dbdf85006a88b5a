/*
 * What every driver's task does the same way (servers/blk, net, console;
 * docs/drivers.md): ports in its one port set, and one attachment per
 * interrupt line however many of its devices share the line.  A driver's
 * receive loop is libmach's mach_msg_server_timed.
 */
#pragma once

#include <mach/mach.h>
#include <stdbool.h>

/* What a PCI driver starts with: its name service (names), the device
 * master port, the PCI configuration ports, its port set, and a port in
 * the set for its interrupts.  False (said in the log, with the
 * driver's name) if one cannot be had. */
struct driver_ports {
	mach_port_t names, master, set, irq;
};
bool driver_start(const char *name, struct driver_ports *ports);

/* A receive right in set (with a send right under the same name if
 * send); on failure nothing is left. */
kern_return_t driver_port_new(mach_port_t set, bool send, mach_port_t *port);

/*
 * Puts an opened device in service: a port for it in the driver's set
 * (with a send right), its interrupt line attached to the driver's
 * interrupt port, and the port registered in the name service as name
 * ("disk0").  On failure nothing of it is left but the attachment,
 * which other devices may share.
 */
kern_return_t driver_device_publish(const struct driver_ports *ports, uint32_t line,
				    const char *name, mach_port_t *port);

/* Attaches port to line unless this task attached a port to it already:
 * one message per interrupt, whichever of its devices raised it. */
kern_return_t driver_irq_attach(mach_port_t master, uint32_t line, mach_port_t port);
