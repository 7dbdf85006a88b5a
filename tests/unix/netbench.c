/*
 * netbench: the network's figures for `make bench` (not a test;
 * tests/boot/net-bench.sh).  16 MiB over TCP from the guest to the host
 * and 16 MiB from the host to the guest, each through QEMU's user network
 * to a peer QEMU runs for the connection (guestfwd to
 * tests/boot/net-bench-peer.py at 10.0.2.100): the sink answers with the
 * CRC-32 of what it received, the source sends a pattern whose CRC-32
 * the guest knows.  Each direction prints its rate in KB/s of guest time
 * (the host's clock without -icount) and its guest instructions per KiB
 * (under -icount; the time halted waiting for the host is not work).
 */
#include <arpa/inet.h>
#include <mach/host_info.h>
#include <mach/mach.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TOTAL (16u << 20)
#define CHUNK 4096u

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32_of(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n-- > 0)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* Byte i of the pattern both ends send (net-bench-peer.py's too). */
static uint8_t pattern(uint32_t i)
{
	return (uint8_t)(i * 7 + (i >> 12));
}

struct mark {
	uint64_t tsc, halted, ns;
};

static struct mark mark_now(void)
{
	struct host_cpu_info cpu = { 0 };
	integer_t info[HOST_INFO_MAX];
	mach_msg_type_number_t count = HOST_INFO_MAX;
	struct timespec ts;
	uint64_t lo, hi;

	if (host_info(mach_host_self(), HOST_CPU_INFO, info, &count) == KERN_SUCCESS)
		memcpy(&cpu, info, sizeof(cpu));
	clock_gettime(CLOCK_MONOTONIC, &ts);
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (struct mark){ .tsc = hi << 32 | lo, .halted = cpu.halted_tsc,
			      .ns = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec };
}

static void report(const char *name, struct mark a, struct mark b)
{
	uint64_t us = (b.ns - a.ns) / 1000;

	printf("BENCH net_tcp_%s_16mib_kb_per_s %llu\n", name,
	       (unsigned long long)(us ? (uint64_t)TOTAL / 1024 * 1000000 / us : 0));
	printf("BENCH net_tcp_%s_16mib_instructions_per_kib %llu\n", name,
	       (unsigned long long)((b.tsc - a.tsc - (b.halted - a.halted)) / (TOTAL / 1024)));
}

static int connect_peer(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = inet_addr("10.0.2.100") };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("netbench: connect");
		exit(1);
	}
	return fd;
}

static bool send_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t r = write(fd, p, n < CHUNK ? n : CHUNK);
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

/* Guest to host: the sink answers "CRC\n" of what it received. */
static bool send_test(uint8_t *data)
{
	uint32_t crc = crc32_of(0, data, TOTAL);
	char answer[32] = "";
	int fd = connect_peer(5001);

	struct mark a = mark_now();
	bool ok = send_all(fd, data, TOTAL) && shutdown(fd, SHUT_WR) == 0;
	struct mark b = mark_now();
	ssize_t n = ok ? read(fd, answer, sizeof(answer) - 1) : -1;
	close(fd);
	answer[n > 0 ? n : 0] = '\0';
	ok = ok && strtoul(answer, NULL, 16) == crc;
	printf("# netbench: sent 16 MiB, the host's CRC-32 %s\n", ok ? "matches" : "differs");
	if (ok)
		report("send", a, b);
	return ok;
}

/* Host to guest: the source sends TOTAL bytes of the pattern and closes. */
static bool receive_test(uint8_t *data, uint32_t crc)
{
	size_t got = 0;
	int fd = connect_peer(5002);

	struct mark a = mark_now();
	for (ssize_t r = 1; r > 0 && got < TOTAL; got += (size_t)(r > 0 ? r : 0))
		r = read(fd, data + got, TOTAL - got < CHUNK ? TOTAL - got : CHUNK);
	struct mark b = mark_now();
	close(fd);
	bool ok = got == TOTAL && crc32_of(0, data, TOTAL) == crc;
	printf("# netbench: received %zu bytes, CRC-32 %s\n", got, ok ? "matches" : "differs");
	if (ok)
		report("receive", a, b);
	return ok;
}

int main(void)
{
	uint8_t *data = malloc(TOTAL);

	if (data == NULL)
		return 1;
	crc_init();
	for (uint32_t i = 0; i < TOTAL; i++)
		data[i] = pattern(i);
	uint32_t crc = crc32_of(0, data, TOTAL);
	sleep(1);   /* DHCP's lease */
	bool ok = send_test(data);
	memset(data, 0, TOTAL);
	ok = receive_test(data, crc) && ok;
	printf("# netbench: %s\n", ok ? "done" : "failed");
	return ok ? 0 : 1;
}
