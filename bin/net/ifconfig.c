/*
 * ifconfig [NAME]: the network interfaces, as the network server counts
 * them (inet.defs's interfaces, on the port unix.defs's network gives
 * any process), in the layout of Linux's ifconfig: flags and MTU, the
 * IPv4 address, netmask, gateway and name server, the MAC address, and
 * the packet, byte, error and drop counters.  With NAME, that interface
 * alone; an unknown name is an error (status 1).
 */
#include <errno.h>
#include <inet.h>
#include <mach/socket_types.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unix.h>

#include "unix_priv.h"
#include "util.h"

#define INTERFACE_WORDS (sizeof(struct inet_interface) / sizeof(uint64_t))
_Static_assert(INTERFACE_WORDS == 13, "inet.defs's 13 words an interface");

/* The interfaces into list (INET_INTERFACES_MAX at most): how many. */
static unsigned interfaces(struct inet_interface *list)
{
	uint64_t words[INET_INTERFACES_MAX * INTERFACE_WORDS];
	mach_msg_type_number_t count = INET_INTERFACES_MAX * INTERFACE_WORDS;
	mach_port_t server = MACH_PORT_NULL;
	int64_t result = 0;

	kern_return_t kr = unix_network(unix_port, &result, &server);
	if (kr != KERN_SUCCESS)
		util_fail(1, "the network server's port: %s", mach_error_name(kr));
	if (result < 0)
		util_fail(1, "no network server is running (%s)", strerror((int)-result));
	kr = inet_interfaces(server, (inet_interfaces_t)words, &count);
	mach_port_deallocate(mach_task_self(), server);
	if (kr != KERN_SUCCESS)
		util_fail(1, "the interfaces: %s", mach_error_name(kr));
	unsigned n = count / INTERFACE_WORDS;
	n = n < INET_INTERFACES_MAX ? n : INET_INTERFACES_MAX;
	memcpy(list, words, n * sizeof(*list));
	return n;
}

/* An address in host byte order, as a dotted quad. */
static const char *quad(uint32_t a, char text[16])
{
	snprintf(text, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
	return text;
}

/* bytes as Linux shows them beside the count: "(1.5 KiB)". */
static void print_size(uint64_t bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double value = (double)bytes;
	unsigned u = 0;

	while (value >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		value /= 1024;
		u++;
	}
	printf(" (%.1f %s)", value, units[u]);
}

static void print_flags(uint32_t flags)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ INET_IF_UP, "UP" }, { INET_IF_LINK, "LINK" },
		{ INET_IF_LOOPBACK, "LOOPBACK" }, { INET_IF_DHCP, "DHCP" },
	};
	const char *comma = "";

	printf("flags=%u<", flags);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (flags & names[i].bit) {
			printf("%s%s", comma, names[i].name);
			comma = ",";
		}
	}
	printf(">");
}

static void print_addresses(const struct inet_interface *i)
{
	char a[16], b[16];
	bool loopback = (i->flags & INET_IF_LOOPBACK) != 0;

	printf("        inet %s  netmask %s", quad(i->address, a), quad(i->netmask, b));
	if (i->gateway != 0)
		printf("  gateway %s", quad(i->gateway, a));
	printf("\n");
	if (!loopback && i->dns != 0)
		printf("        dns %s\n", quad(i->dns, a));
	if (loopback) {
		printf("        loop\n");
		return;
	}
	const uint8_t *m = i->hardware;
	printf("        ether %02x:%02x:%02x:%02x:%02x:%02x\n", m[0], m[1], m[2], m[3], m[4],
	       m[5]);
}

static void print_counters(const char *way, uint64_t packets, uint64_t bytes, uint64_t errors,
			   uint64_t dropped)
{
	printf("        %s packets %llu  bytes %llu", way, (unsigned long long)packets,
	       (unsigned long long)bytes);
	print_size(bytes);
	printf("\n        %s errors %llu  dropped %llu\n", way, (unsigned long long)errors,
	       (unsigned long long)dropped);
}

static void print_interface(const struct inet_interface *i)
{
	printf("%.8s: ", i->name);
	print_flags(i->flags);
	printf("  mtu %u\n", i->mtu);
	print_addresses(i);
	print_counters("RX", i->rx_packets, i->rx_bytes, i->rx_errors, i->rx_dropped);
	print_counters("TX", i->tx_packets, i->tx_bytes, i->tx_errors, i->tx_dropped);
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	int first = util_start(argc, argv, "", "[NAME]",
			       "the network interfaces (or interface NAME): flags, addresses, "
			       "counters", seen, NULL);
	struct inet_interface list[INET_INTERFACES_MAX];
	const char *name = first < argc ? argv[first] : NULL;
	bool shown = false;

	if (first + 1 < argc)
		util_fail(2, "one interface at most (usage: %s [NAME])", util_name);
	unsigned n = interfaces(list);
	for (unsigned i = 0; i < n; i++) {
		if (name != NULL && (strlen(name) >= sizeof(list[i].name) ||
				     strncmp(list[i].name, name, sizeof(list[i].name)) != 0))
			continue;
		if (shown)
			printf("\n");
		print_interface(&list[i]);
		shown = true;
	}
	if (name != NULL && !shown)
		util_fail(1, "%s: no such interface", name);
	return fflush(stdout) == 0 ? 0 : 1;
}
