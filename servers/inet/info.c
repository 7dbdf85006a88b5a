/*
 * inet.defs: the interfaces' list, and name lookups through lwIP's DNS
 * client.  A lookup the client cannot answer from its cache waits in
 * lookups[] (its reply port kept) until lwIP calls back with the answer
 * or gives up after its retries.
 */
#include "inet.h"

#include <inetServer.h>
#include <inet_reply.h>
#include <string.h>

#include "lwip/dns.h"

#define LOOKUPS_MAX 8

static mach_port_t lookups[LOOKUPS_MAX];   /* reply ports; NULL: free */

kern_return_t inet_S_interfaces(mach_port_t server, inet_interfaces_t list,
				mach_msg_type_number_t *count)
{
	struct inet_interface interfaces[INET_INTERFACES_MAX];

	if (server != inet_public)
		return KERN_INVALID_ARGUMENT;
	unsigned n = iface_list(interfaces, INET_INTERFACES_MAX);
	memcpy(list, interfaces, n * sizeof(interfaces[0]));
	*count = n * sizeof(interfaces[0]) / sizeof(uint64_t);
	return KERN_SUCCESS;
}

static void found(const char *name, const ip_addr_t *address, void *arg)
{
	unsigned slot = (unsigned)(uintptr_t)arg;
	uint32_t answer;

	(void)name;
	if (address == NULL) {
		inet_resolve_reply(lookups[slot], NET_NAME_NOT_FOUND, NULL, 0);
	} else {
		answer = lwip_ntohl(ip4_addr_get_u32(address));
		inet_resolve_reply(lookups[slot], KERN_SUCCESS, &answer, 1);
	}
	lookups[slot] = MACH_PORT_NULL;
}

kern_return_t inet_S_resolve(mach_port_t server, mach_port_t reply, inet_name_t name,
			     inet_addresses_t addresses, mach_msg_type_number_t *count)
{
	ip_addr_t address;
	unsigned slot = 0;

	*count = 0;
	if (server != inet_public)
		return KERN_INVALID_ARGUMENT;
	size_t length = strnlen(name, INET_NAME_MAX);
	if (length == 0 || length > DNS_MAX_NAME_LENGTH)
		return KERN_INVALID_ARGUMENT;
	if (ip4addr_aton(name, &address)) {
		addresses[0] = lwip_ntohl(ip4_addr_get_u32(&address));
		*count = 1;
		return KERN_SUCCESS;
	}
	if (ip_addr_isany_val(*dns_getserver(0)))
		return NET_NO_NAME_SERVER;
	while (slot < LOOKUPS_MAX && lookups[slot] != MACH_PORT_NULL)
		slot++;
	if (slot == LOOKUPS_MAX)
		return KERN_RESOURCE_SHORTAGE;
	err_t err = dns_gethostbyname(name, &address, found, (void *)(uintptr_t)slot);
	if (err == ERR_OK) {
		addresses[0] = lwip_ntohl(ip4_addr_get_u32(&address));
		*count = 1;
		return KERN_SUCCESS;
	}
	if (err != ERR_INPROGRESS)
		return err == ERR_MEM ? KERN_RESOURCE_SHORTAGE : NET_NAME_NOT_FOUND;
	lookups[slot] = reply;
	return MIG_NO_REPLY;
}
