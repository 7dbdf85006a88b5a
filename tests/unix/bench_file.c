/*
 * unixbench's file figures: what a page of a mapped file costs at its
 * first touch when the file server has it in its cache, and what reading
 * a large file costs per KiB.  The read waits for the disk (the file
 * server's cache holds 1 MiB), and under -icount the clock runs on while
 * the processor halts, so the halted time the kernel counts
 * (host_info(HOST_CPU_INFO)) is taken off, as netbench does.  Both check
 * what they read against the pattern written.
 */
#include "bench.h"

#include <fcntl.h>
#include <mach/host_info.h>
#include <mach/mach.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096u
#define CHUNK (64u << 10)
#define FAULT_PAGES 64u
#define READ_TOTAL (16u << 20)

static uint8_t chunk[CHUNK];

/* Byte i of every file written here: differs from page to page. */
static uint8_t pattern(uint32_t i)
{
	return (uint8_t)(i * 7 + (i >> 12));
}

static void pattern_fill(uint8_t *p, uint32_t offset, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		p[i] = pattern(offset + i);
}

static bool pattern_holds(const volatile uint8_t *p, uint32_t offset, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i] != pattern(offset + i))
			return false;
	return true;
}

/* path made afresh holding size bytes of the pattern; open for reading
 * (-1 after a failure said). */
static int pattern_file(const char *path, uint32_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	bool ok = fd >= 0;

	for (uint32_t at = 0; ok && at < size; at += CHUNK) {
		uint32_t n = size - at < CHUNK ? size - at : CHUNK;
		pattern_fill(chunk, at, n);
		ok = write(fd, chunk, n) == (ssize_t)n;
	}
	ok = ok && lseek(fd, 0, SEEK_SET) == 0;
	must(ok, path);
	return ok ? fd : -1;
}

/* The processor's halted time so far, in TSC ticks. */
static uint64_t halted_now(void)
{
	struct host_cpu_info cpu = { 0 };
	integer_t info[HOST_INFO_MAX];
	mach_msg_type_number_t count = HOST_INFO_MAX;

	if (host_info(mach_host_self(), HOST_CPU_INFO, info, &count) == KERN_SUCCESS)
		memcpy(&cpu, info, sizeof(cpu));
	return cpu.halted_tsc;
}

struct mark {
	uint64_t tsc, halted;
};

/* The two ends of a measured stretch, the host_info calls outside it. */
static struct mark mark_start(void)
{
	uint64_t halted = halted_now();
	return (struct mark){ .tsc = rdtsc(), .halted = halted };
}

static struct mark mark_end(void)
{
	uint64_t tsc = rdtsc();
	return (struct mark){ .tsc = tsc, .halted = halted_now() };
}

/* Instructions between a and b that were not halted time. */
static uint64_t work(struct mark a, struct mark b)
{
	return b.tsc - a.tsc - (b.halted - a.halted);
}

static uint64_t median(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

/* Each page of a freshly written file mapped shared, read once: the
 * fault's trap, the kernel's data_request to the file server, its
 * answer from the cache, the page mapped.  Each page timed on its own,
 * so the figure is the median page, not the first one's set-up. */
void file_fault_figure(void)
{
	const uint32_t size = FAULT_PAGES * PAGE;
	uint64_t cost[FAULT_PAGES];
	int fd = pattern_file("/tmp/bench-fault", size);
	const volatile uint8_t *map =
		fd < 0 ? MAP_FAILED : mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);

	must(map != MAP_FAILED, "mmap of the file");
	if (map == MAP_FAILED)
		return;
	for (unsigned i = 0; i < FAULT_PAGES; i++) {
		struct mark a = mark_start();
		(void)map[i * PAGE];
		cost[i] = work(a, mark_end());
	}
	must(pattern_holds(map, 0, size), "the mapped file's data");
	printf("BENCH unix_file_fault_instructions %llu\n",
	       (unsigned long long)median(cost, FAULT_PAGES));
	munmap((void *)map, size);
	close(fd);
	unlink("/tmp/bench-fault");
}

/* A file of 16 MiB written, then read back from its start in 64 KiB
 * read()s, only the reads counted: libc, emul, the file server's reads
 * (mostly from the disk, through the block driver), the data's way back. */
void file_read_figure(void)
{
	int fd = pattern_file("/tmp/bench-read", READ_TOTAL);
	uint64_t total = 0;
	bool ok = fd >= 0;

	for (uint32_t at = 0; ok && at < READ_TOTAL; at += CHUNK) {
		struct mark a = mark_start();
		ssize_t n = read(fd, chunk, CHUNK);
		total += work(a, mark_end());
		ok = n == CHUNK && pattern_holds(chunk, at, CHUNK);
	}
	must(ok, "the 16 MiB read");
	printf("BENCH unix_read_16mib_instructions_per_kib %llu\n",
	       (unsigned long long)(total / (READ_TOTAL / 1024)));
	close(fd);
	unlink("/tmp/bench-read");
}
