/*
 * fstest role=bench: the file server's figures for `make bench`
 * (tests/boot/fs-bench.sh), on a copy of the system's disk: a file of
 * 16 MiB written in 64 KiB writes and fsynced, then read back in 64 KiB
 * reads; and 1,000 small files made (open with create, a write of 100
 * bytes, close), then synced.  Each is reported as BENCH lines: guest
 * instructions (under -icount, the time the processor halted waiting for
 * the disk taken out) and the wall-clock rate (a boot without -icount).
 */
#include "fstest.h"

#include "../measure.h"

#define BENCH_FILE_SIZE (16u << 20)
#define BENCH_FILES 1000u

/* Where a measurement started. */
struct mark {
	uint64_t tsc, halted, ns;
};

static struct mark mark_now(void)
{
	struct mark m;

	m.halted = halted_tsc();
	clock_get_time(&m.ns);
	m.tsc = rdtsc();
	return m;
}

/* The work since start: instructions (halts taken out) and microseconds. */
static void since(struct mark start, uint64_t *instructions, uint64_t *us)
{
	uint64_t tsc = rdtsc(), ns;

	clock_get_time(&ns);
	*instructions = tsc - start.tsc - (halted_tsc() - start.halted);
	*us = (ns - start.ns) / 1000;
	if (*us == 0)
		*us = 1;
}

static void report_rate(const char *name, uint64_t instructions, uint64_t us)
{
	mach_printf("BENCH %s_instructions_per_kib %lu\n", name,
		    instructions / (BENCH_FILE_SIZE / 1024));
	mach_printf("BENCH %s_kb_per_s %lu\n", name,
		    (uint64_t)BENCH_FILE_SIZE / 1024 * 1000000 / us);
}

static bool write_big(mach_port_t p)
{
	static uint8_t chunk[MB_CHUNK];
	uint64_t instructions, us;
	bool ok = true;

	memset(chunk, 0x5a, sizeof chunk);
	struct mark start = mark_now();
	for (uint32_t at = 0; ok && at < BENCH_FILE_SIZE; at += MB_CHUNK)
		ok = write_all(p, chunk, MB_CHUNK);
	ok = ok && CHECK_KR(fs_fsync(p), KERN_SUCCESS);
	since(start, &instructions, &us);
	if (ok)
		report_rate("fs_write_16mib", instructions, us);
	return ok;
}

static bool read_big(mach_port_t p)
{
	static uint8_t chunk[MB_CHUNK];
	uint64_t instructions, us, at = 0;
	uint32_t n = 0;
	bool ok = CHECK_KR(fs_seek(p, 0, FS_SEEK_SET, &at), KERN_SUCCESS);

	struct mark start = mark_now();
	for (at = 0; ok && at < BENCH_FILE_SIZE; at += n)
		ok = read_into(p, chunk, MB_CHUNK, &n) && CHECK(n == MB_CHUNK);
	since(start, &instructions, &us);
	if (ok)
		report_rate("fs_read_16mib", instructions, us);
	return ok;
}

static bool make_small_files(void)
{
	static const char line[100] = "a small file\n";
	char path[40];
	uint64_t instructions, us;
	bool ok = CHECK_KR(fs_mkdir(root, "small", 0755), KERN_SUCCESS);

	struct mark start = mark_now();
	for (unsigned i = 0; ok && i < BENCH_FILES; i++) {
		mach_snprintf(path, sizeof path, "/small/file-%u", i);
		mach_port_t p = open_ok(path, FS_OPEN_WRITE | FS_OPEN_CREATE | FS_OPEN_EXCLUSIVE);
		ok = p != MACH_PORT_NULL && write_all(p, line, sizeof line);
		close_port(p);
	}
	ok = ok && CHECK_KR(fs_sync(root), KERN_SUCCESS);
	since(start, &instructions, &us);
	if (ok) {
		mach_printf("BENCH fs_create_1000_files_instructions_per_file %lu\n",
			    instructions / BENCH_FILES);
		mach_printf("BENCH fs_create_1000_files_ms %lu\n", us / 1000);
	}
	return ok;
}

void bench_role(void)
{
	mach_port_t p = open_ok("/tmp/big", FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE);

	tap_ok(p != MACH_PORT_NULL && write_big(p), "sixteen_mib_written_and_fsynced");
	tap_ok(p != MACH_PORT_NULL && read_big(p), "sixteen_mib_read_back");
	tap_ok(make_small_files(), "a_thousand_small_files_made");
	close_port(p);
}
