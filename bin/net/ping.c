/*
 * ping [-c COUNT] [-i INTERVAL_MS] [-W TIMEOUT_MS] HOST: ICMP echo
 * requests to HOST every INTERVAL_MS (default 1000), COUNT of them
 * (default: until ^C), numbered from 1, over a raw ICMP socket (root only).  Each reply
 * is a line "64 bytes from A: icmp_seq=N ttl=T time=X ms"; at the end,
 * the packets sent and received and the round trips.  After the last
 * request it waits TIMEOUT_MS (default 2000) for the replies still due.
 *
 * A raw ICMP socket gets a copy of every ICMP packet the stack receives,
 * IP header first: the echo requests it answers itself (our own, when
 * HOST is this machine), other programs' replies and errors.  Only echo
 * replies with our identifier (the pid) and a sequence number we sent
 * count.  Each request carries the time it was sent, so a reply says
 * its own round trip.
 *
 * Exit status: 0 if any reply came, 1 if none did, 2 on an error.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "util.h"

#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8
#define ICMP_HEADER 8
#define PAYLOAD 56                   /* 64 bytes of ICMP, as other pings send */
#define PACKET_MAX 1500
#define HOUR_MS 3600000L             /* -i's and -W's, at most */

struct icmp_echo {
	uint8_t type, code;
	uint16_t checksum;
	uint16_t id, sequence;       /* network byte order */
	uint8_t data[PAYLOAD];       /* the monotonic nanoseconds it left, first */
};
_Static_assert(sizeof(struct icmp_echo) == ICMP_HEADER + PAYLOAD, "an echo's layout");

struct ping {
	int fd;
	struct sockaddr_in to;
	uint16_t id;
	unsigned long sent, received, duplicates;
	double rtt_min, rtt_max, rtt_sum;
	uint8_t seen[65536 / 8];     /* sequence numbers answered */
};

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* The Internet checksum (RFC 1071): the one's complement of the one's
 * complement sum of the 16-bit words. */
static uint16_t checksum(const void *data, size_t size)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (; size > 1; p += 2, size -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (size == 1)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Request number sequence; false after an error (said). */
static bool send_request(struct ping *p, uint16_t sequence)
{
	struct icmp_echo e = { .type = ICMP_ECHO_REQUEST, .id = htons(p->id),
			       .sequence = htons(sequence) };
	uint64_t sent_at = now_ns();

	memcpy(e.data, &sent_at, sizeof(sent_at));
	for (unsigned i = sizeof(sent_at); i < PAYLOAD; i++)
		e.data[i] = (uint8_t)i;
	e.checksum = checksum(&e, sizeof(e));
	p->seen[sequence / 8] &= (uint8_t)~(1 << (sequence % 8));   /* numbers wrap */
	ssize_t n = sendto(p->fd, &e, sizeof(e), 0, (struct sockaddr *)&p->to, sizeof(p->to));
	if (n < 0 && errno != EINTR) {
		util_error("sendto: %s", strerror(errno));
		return false;
	}
	p->sent++;
	return true;
}

/* The reply's line, and its counts. */
static void note_reply(struct ping *p, const struct icmp_echo *e, size_t icmp_size,
		       unsigned ttl, const struct sockaddr_in *from)
{
	uint16_t sequence = ntohs(e->sequence);
	bool duplicate = (p->seen[sequence / 8] >> (sequence % 8)) & 1;
	uint64_t sent_at;
	char text[INET_ADDRSTRLEN];

	memcpy(&sent_at, e->data, sizeof(sent_at));
	double ms = (double)(now_ns() - sent_at) / 1e6;
	p->seen[sequence / 8] |= (uint8_t)(1 << (sequence % 8));
	if (duplicate) {
		p->duplicates++;
	} else {
		p->received++;
		p->rtt_min = p->received == 1 || ms < p->rtt_min ? ms : p->rtt_min;
		p->rtt_max = ms > p->rtt_max ? ms : p->rtt_max;
		p->rtt_sum += ms;
	}
	printf("%zu bytes from %s: icmp_seq=%u ttl=%u time=%.1f ms%s\n", icmp_size,
	       net_ntoa(from->sin_addr, text), sequence, ttl, ms, duplicate ? " (DUP!)" : "");
	fflush(stdout);
}

/* A packet the raw socket got: an IP header, then ICMP.  Counted if it
 * is a whole echo reply of ours, to a request we sent. */
static void take_packet(struct ping *p, const uint8_t *packet, size_t size,
			const struct sockaddr_in *from)
{
	struct icmp_echo e;

	if (size < 20 || (packet[0] >> 4) != 4)
		return;
	size_t header = (size_t)(packet[0] & 0xf) * 4;
	if (header < 20 || size < header + sizeof(e))
		return;
	memcpy(&e, packet + header, sizeof(e));
	if (e.type != ICMP_ECHO_REPLY || e.code != 0 || ntohs(e.id) != p->id)
		return;
	if (checksum(packet + header, size - header) != 0)
		return;   /* damaged: the sum over a good message, its checksum in, is 0 */
	if ((ntohs(e.sequence) == 0 || ntohs(e.sequence) > p->sent) && p->sent < 65535)
		return;   /* not one of ours: we never sent that number */
	note_reply(p, &e, size - header, packet[8], from);
}

/* Replies, until deadline_ms (or ^C); false after an error (said). */
static bool receive_until(struct ping *p, uint64_t deadline_ms, unsigned long wanted)
{
	uint8_t packet[PACKET_MAX];

	while (!interrupted && p->received < wanted) {
		uint64_t now = net_now_ms();
		if (now >= deadline_ms)
			return true;
		struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
		int r = poll(&pfd, 1, (int)(deadline_ms - now));
		if (r < 0 && errno != EINTR) {
			util_error("poll: %s", strerror(errno));
			return false;
		}
		if (r <= 0)
			continue;
		struct sockaddr_in from;
		socklen_t from_size = sizeof(from);
		ssize_t n = recvfrom(p->fd, packet, sizeof(packet), MSG_DONTWAIT,
				     (struct sockaddr *)&from, &from_size);
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			util_error("recvfrom: %s", strerror(errno));
			return false;
		}
		if (n > 0)
			take_packet(p, packet, (size_t)n, &from);
	}
	return true;
}

static void summary(const struct ping *p, const char *host)
{
	unsigned long lost = p->sent - (p->received < p->sent ? p->received : p->sent);
	unsigned long percent = p->sent == 0 ? 0 : lost * 100 / p->sent;

	printf("\n--- %s ping statistics ---\n", host);
	printf("%lu packets transmitted, %lu received, ", p->sent, p->received);
	if (p->duplicates > 0)
		printf("+%lu duplicates, ", p->duplicates);
	printf("%lu%% packet loss\n", percent);
	if (p->received > 0)
		printf("rtt min/avg/max = %.3f/%.3f/%.3f ms\n", p->rtt_min,
		       p->rtt_sum / (double)p->received, p->rtt_max);
	fflush(stdout);
}

/* Sends count requests (0: until ^C), interval_ms apart, then waits
 * timeout_ms for the replies still due; false after an error. */
static bool run(struct ping *p, unsigned long count, long interval_ms, long timeout_ms)
{
	uint64_t next = net_now_ms();

	while (!interrupted && (count == 0 || p->sent < count)) {
		if (!send_request(p, (uint16_t)(p->sent + 1)))
			return false;
		next += (uint64_t)interval_ms;
		bool last = count != 0 && p->sent == count;
		uint64_t until = last ? net_now_ms() + (uint64_t)timeout_ms : next;
		if (!receive_until(p, until, last ? p->sent : ~0ul))
			return false;
	}
	return true;
}

/* An option's number, min..max, or fallback if it was not given. */
static long option(bool given, const char *value, long fallback, long min, long max,
		   const char *what)
{
	if (!given)
		return fallback;
	long n = util_number(value, what);
	if (n < min || n > max)
		util_fail(2, "%s: %ld to %ld: %ld", what, min, max, n);
	return n;
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	char *arg[128] = { 0 };
	int i = util_start(argc, argv, "c:i:W:", "[-c COUNT] [-i INTERVAL_MS] [-W TIMEOUT_MS] HOST",
			   "ICMP echo requests to HOST (root only), and their replies", seen, arg);
	static struct ping p;
	char text[INET_ADDRSTRLEN];

	if (i + 1 != argc)
		util_fail(2, "one HOST (usage: %s -h)", util_name);
	unsigned long count = (unsigned long)option(seen['c'], arg['c'], 0, 1, 1000000, "-c");
	long interval_ms = option(seen['i'], arg['i'], 1000, 10, HOUR_MS, "-i");
	long timeout_ms = option(seen['W'], arg['W'], 2000, 0, HOUR_MS, "-W");
	if (!net_address(argv[i], 0, &p.to))
		return 2;
	p.fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	if (p.fd < 0)
		util_fail(2, "raw ICMP socket: %s%s", strerror(errno),
			  errno == EPERM ? " (only root may ping)" : "");
	p.id = (uint16_t)getpid();
	signal(SIGINT, on_interrupt);
	printf("PING %s (%s): %d data bytes\n", argv[i], net_ntoa(p.to.sin_addr, text), PAYLOAD);
	fflush(stdout);
	bool ok = run(&p, count, interval_ms, timeout_ms);
	summary(&p, argv[i]);
	close(p.fd);
	return !ok ? 2 : p.received > 0 ? 0 : 1;
}
