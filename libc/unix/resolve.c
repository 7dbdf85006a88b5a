/*
 * Addresses and names (docs/network.md): dotted quads, and lookups that
 * the network server answers (inet.defs's resolve, through the port the
 * UNIX server gives any process: unix.defs's network).  IPv4 only, one
 * address per name.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unix.h>
#include <mach/socket_types.h>

#include "unix_priv.h"

int h_errno;

int inet_aton(const char *text, struct in_addr *address)
{
	unsigned long parts[4];
	int n = 0;
	const char *s = text;

	while (n < 4) {
		char *end;
		if (*s < '0' || *s > '9')
			return 0;
		parts[n++] = strtoul(s, &end, 10);
		if (parts[n - 1] > 255 || end - s > 3)
			return 0;
		s = end;
		if (*s != '.')
			break;
		s++;
	}
	if (*s != '\0' || n != 4)
		return 0;
	address->s_addr = htonl((uint32_t)(parts[0] << 24 | parts[1] << 16 | parts[2] << 8 |
					   parts[3]));
	return 1;
}

in_addr_t inet_addr(const char *text)
{
	struct in_addr a;

	return inet_aton(text, &a) ? a.s_addr : INADDR_NONE;
}

const char *inet_ntop(int family, const void *address, char *text, socklen_t size)
{
	uint32_t a;

	if (family != AF_INET) {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	memcpy(&a, address, sizeof(a));
	a = ntohl(a);
	if ((socklen_t)snprintf(text, size, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
				(a >> 8) & 255, a & 255) >= size) {
		errno = ENOSPC;
		return NULL;
	}
	return text;
}

char *inet_ntoa(struct in_addr address)
{
	static char text[INET_ADDRSTRLEN];

	return (char *)inet_ntop(AF_INET, &address, text, sizeof(text));
}

int inet_pton(int family, const char *text, void *address)
{
	if (family != AF_INET) {
		errno = EAFNOSUPPORT;
		return -1;
	}
	return inet_aton(text, address);
}

/* name's first address, from the network server: 0, or the code it
 * answered (NET_NAME_NOT_FOUND, NET_NO_NAME_SERVER, ...). */
static kern_return_t resolve(const char *name, uint32_t *address)
{
	mach_port_t server = MACH_PORT_NULL;
	int64_t result = 0;
	uint32_t addresses[INET_ADDRESSES_MAX];
	mach_msg_type_number_t count = INET_ADDRESSES_MAX;

	kern_return_t kr = unix_network(unix_port, &result, &server);
	if (kr == KERN_SUCCESS && result < 0)
		kr = KERN_NOT_SUPPORTED;
	if (kr == KERN_SUCCESS)
		kr = inet_resolve(server, (char *)name, addresses, &count);
	if (server != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), server);
	if (kr == KERN_SUCCESS && count == 0)
		kr = NET_NAME_NOT_FOUND;
	if (kr == KERN_SUCCESS)
		*address = addresses[0];
	return kr;
}

struct hostent *gethostbyname(const char *name)
{
	static struct hostent host;
	static char host_name[INET_NAME_MAX];
	static struct in_addr address;
	static char *list[2], *aliases[1];
	uint32_t a;

	long length = unix_string_length(name, INET_NAME_MAX);
	if (length < 0 || length >= INET_NAME_MAX) {
		h_errno = NO_RECOVERY;
		return NULL;
	}
	kern_return_t kr = resolve(name, &a);
	if (kr != KERN_SUCCESS) {
		h_errno = kr == NET_NAME_NOT_FOUND ? HOST_NOT_FOUND : NO_RECOVERY;
		return NULL;
	}
	strcpy(host_name, name);
	address.s_addr = htonl(a);
	list[0] = (char *)&address;
	list[1] = NULL;
	aliases[0] = NULL;
	host = (struct hostent){ .h_name = host_name, .h_aliases = aliases,
				 .h_addrtype = AF_INET, .h_length = 4, .h_addr_list = list };
	return &host;
}

const char *hstrerror(int error)
{
	return error == HOST_NOT_FOUND ? "Unknown host"
	       : error == TRY_AGAIN    ? "Host name lookup failure"
	       : error == NO_DATA      ? "No address associated with name"
				       : "Unknown server error";
}

/* service as a port number: a decimal number only (there is no
 * /etc/services); -1 if it is not one. */
static int service_port(const char *service)
{
	char *end;

	if (service == NULL)
		return 0;
	unsigned long port = strtoul(service, &end, 10);
	return *service == '\0' || *end != '\0' || port > 65535 ? -1 : (int)port;
}

/* One entry: the address, with the caller's socket type and protocol. */
static struct addrinfo *entry(uint32_t address, int port, int socktype, int protocol)
{
	struct addrinfo *ai = calloc(1, sizeof(*ai) + sizeof(struct sockaddr_in));

	if (ai == NULL)
		return NULL;
	struct sockaddr_in *in = (struct sockaddr_in *)(ai + 1);
	in->sin_family = AF_INET;
	in->sin_port = htons((uint16_t)port);
	in->sin_addr.s_addr = htonl(address);
	ai->ai_family = AF_INET;
	ai->ai_socktype = socktype;
	ai->ai_protocol = protocol;
	ai->ai_addrlen = sizeof(*in);
	ai->ai_addr = (struct sockaddr *)in;
	return ai;
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **result)
{
	struct addrinfo none = { 0 };
	const struct addrinfo *h = hints != NULL ? hints : &none;
	int port = service_port(service);
	uint32_t address;

	if (node == NULL && service == NULL)
		return EAI_NONAME;
	if (h->ai_family != AF_UNSPEC && h->ai_family != AF_INET)
		return EAI_FAMILY;
	if (port < 0)
		return EAI_SERVICE;
	if (node == NULL) {
		address = (h->ai_flags & AI_PASSIVE) ? INADDR_ANY : INADDR_LOOPBACK;
	} else {
		struct in_addr a;
		if (inet_aton(node, &a)) {
			address = ntohl(a.s_addr);
		} else if (h->ai_flags & AI_NUMERICHOST) {
			return EAI_NONAME;
		} else {
			kern_return_t kr = resolve(node, &address);
			if (kr != KERN_SUCCESS)
				return kr == NET_NAME_NOT_FOUND ? EAI_NONAME : EAI_FAIL;
		}
	}
	*result = entry(address, port, h->ai_socktype, h->ai_protocol);
	return *result == NULL ? EAI_MEMORY : 0;
}

void freeaddrinfo(struct addrinfo *list)
{
	while (list != NULL) {
		struct addrinfo *next = list->ai_next;
		free(list);
		list = next;
	}
}

const char *gai_strerror(int error)
{
	switch (error) {
	case EAI_NONAME: return "Name or service not known";
	case EAI_AGAIN: return "Temporary failure in name resolution";
	case EAI_FAIL: return "Non-recoverable failure in name resolution";
	case EAI_FAMILY: return "Address family not supported";
	case EAI_SERVICE: return "Service not supported";
	case EAI_MEMORY: return "Memory allocation failure";
	case EAI_SOCKTYPE: return "Socket type not supported";
	case EAI_BADFLAGS: return "Bad value for ai_flags";
	default: return "Unknown error";
	}
}
