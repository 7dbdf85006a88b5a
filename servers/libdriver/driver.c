/* What every driver does the same way; see driver.h. */
#include "driver.h"

#include <bootstrap.h>
#include <device.h>

#include "pci.h"

bool driver_start(const char *name, struct driver_ports *ports)
{
	*ports = (struct driver_ports){ 0 };
	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &ports->names);
	task_get_special_port(mach_task_self(), TASK_DEVICE_PORT, &ports->master);
	if (ports->master == MACH_PORT_NULL) {
		mach_printf("%s: cannot start: no device master port (no \"devices\" argument)\n",
			    name);
		return false;
	}
	kern_return_t kr = pci_open(ports->master);
	if (kr == KERN_SUCCESS)
		kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_PORT_SET, &ports->set);
	if (kr == KERN_SUCCESS)
		kr = driver_port_new(ports->set, true, &ports->irq);
	if (kr != KERN_SUCCESS) {
		mach_printf("%s: cannot start: %s\n", name, mach_error_name(kr));
		return false;
	}
	return true;
}

kern_return_t driver_port_new(mach_port_t set, bool send, mach_port_t *port)
{
	kern_return_t kr = mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, port);

	if (kr != KERN_SUCCESS)
		return kr;
	if (send)
		kr = mach_port_insert_right(mach_task_self(), *port, *port,
					    MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = mach_port_move_member(mach_task_self(), *port, set);
	if (kr != KERN_SUCCESS) {
		mach_port_destroy(mach_task_self(), *port);
		*port = MACH_PORT_NULL;
	}
	return kr;
}

kern_return_t driver_irq_attach(mach_port_t master, uint32_t line, mach_port_t port)
{
	static uint32_t attached;   /* lines, as bits */

	if (line < 32 && (attached & (1u << line)))
		return KERN_SUCCESS;
	kern_return_t kr = device_irq_attach(master, line, port);
	if (kr == KERN_SUCCESS && line < 32)
		attached |= 1u << line;
	return kr;
}

kern_return_t driver_device_publish(const struct driver_ports *ports, uint32_t line,
				    const char *name, mach_port_t *port)
{
	kern_return_t kr = driver_port_new(ports->set, true, port);

	if (kr != KERN_SUCCESS)
		return kr;
	kr = driver_irq_attach(ports->master, line, ports->irq);
	if (kr == KERN_SUCCESS)
		kr = bootstrap_register(ports->names, (char *)name, *port);
	if (kr != KERN_SUCCESS) {
		mach_port_destroy(mach_task_self(), *port);
		*port = MACH_PORT_NULL;
	}
	return kr;
}
