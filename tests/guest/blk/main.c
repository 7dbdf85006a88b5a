/*
 * blktest: the virtio-blk driver (servers/blk) tested from a client.  It
 * looks up "disk0" and "disk1" in the name service and, by its phase=
 * argument:
 *
 *   run       (default) every routine and its refusals on both disks,
 *             data written and read back by checksum, then the pattern
 *             of phase write
 *   verify    the pattern a run wrote is there: the data outlived the
 *             machine (tests/boot/blk.sh boots twice on the same images)
 *   timeout   disk0 is slow (throttled by QEMU) and the driver's deadline
 *             short: a request times out with an error, and the driver
 *             still answers
 *   bench     reads 16 MiB of disk0 in BLK_TRANSFER_MAX requests and
 *             prints the guest instructions per KiB (under -icount) and
 *             the wall-clock rate
 *
 * It prints TAP (tests/guest/vm/tap.c) and halts the machine.
 */
#include "../vm/vmtest.h"

#include <blk.h>
#include <blk_types.h>

#define SECTOR 512u
#define PATTERN_OFFSET (1u << 20)   /* where the persistent pattern lives */
#define PATTERN_SIZE (64u * 1024u)
#define PATTERN_SEED 0x5041474f4441ull   /* "PAGODA" */

static mach_port_t disk[2];

/* A buffer of size bytes filled with the pattern of seed. */
static vm_address_t pattern(vm_size_t size, uint64_t seed)
{
	vm_address_t a = 0;

	if (vm_allocate(mach_task_self(), &a, size, TRUE) != KERN_SUCCESS)
		return 0;
	fill(a, size, seed);
	return a;
}

static bool read_is(mach_port_t d, uint64_t offset, uint32_t length, uint64_t seed)
{
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;

	if (!CHECK_KR(blk_read(d, offset, length, &data, &count), KERN_SUCCESS))
		return false;
	bool ok = CHECK(count == length) && filled(data, count, seed);
	vm_deallocate(mach_task_self(), data, count);
	return ok;
}

static bool write_pattern(mach_port_t d, uint64_t offset, uint32_t length, uint64_t seed)
{
	vm_address_t a = pattern(length, seed);
	bool ok = a != 0 && CHECK_KR(blk_write(d, offset, a, length), KERN_SUCCESS);

	vm_deallocate(mach_task_self(), a, length);
	return ok;
}

static void info(void)
{
	for (unsigned i = 0; i < 2; i++) {
		uint32_t sector_size = 0;
		uint64_t sectors = 0;
		boolean_t read_only = TRUE;
		tap_ok(blk_info(disk[i], &sector_size, &sectors, &read_only) == KERN_SUCCESS &&
			       sector_size == SECTOR && sectors == 8 * 1024 * 1024 / SECTOR &&
			       !read_only,
		       i == 0 ? "disk0_reports_its_size" : "disk1_reports_its_size");
	}
}

static void data(void)
{
	tap_ok(write_pattern(disk[0], 0, 4096, 1) && read_is(disk[0], 0, 4096, 1),
	       "a_page_written_to_disk0_reads_back");
	tap_ok(write_pattern(disk[1], 0, 4096, 2) && read_is(disk[1], 0, 4096, 2) &&
		       read_is(disk[0], 0, 4096, 1),
	       "two_disks_hold_their_own_data");
	tap_ok(write_pattern(disk[0], 9 * SECTOR, SECTOR, 3) && read_is(disk[0], 9 * SECTOR,
									SECTOR, 3),
	       "one_sector_at_an_odd_offset_reads_back");
	tap_ok(write_pattern(disk[1], 8 * 1024 * 1024 - BLK_TRANSFER_MAX, BLK_TRANSFER_MAX, 4) &&
		       read_is(disk[1], 8 * 1024 * 1024 - BLK_TRANSFER_MAX, BLK_TRANSFER_MAX, 4),
	       "the_largest_transfer_at_the_disks_end_reads_back");
	tap_kr(blk_flush(disk[0]), KERN_SUCCESS, "blk_flush_answers");
}

static void refusals(void)
{
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	vm_address_t buffer = pattern(2 * BLK_TRANSFER_MAX, 5);
	uint64_t end = 8 * 1024 * 1024;

	tap_kr(blk_read(disk[0], end, SECTOR, &data, &count), KERN_INVALID_ADDRESS,
	       "a_read_past_the_end_is_refused");
	tap_kr(blk_read(disk[0], end - SECTOR, 2 * SECTOR, &data, &count), KERN_INVALID_ADDRESS,
	       "a_read_across_the_end_is_refused");
	tap_kr(blk_read(disk[0], 0xffffffffffffff00ull, SECTOR, &data, &count),
	       KERN_INVALID_ARGUMENT, "a_read_at_an_unaligned_huge_offset_is_refused");
	tap_kr(blk_read(disk[0], 0xfffffffffffffe00ull, SECTOR, &data, &count),
	       KERN_INVALID_ADDRESS, "a_read_whose_end_wraps_is_refused");
	tap_kr(blk_read(disk[0], 100, SECTOR, &data, &count), KERN_INVALID_ARGUMENT,
	       "a_read_at_an_offset_inside_a_sector_is_refused");
	tap_kr(blk_read(disk[0], 0, 100, &data, &count), KERN_INVALID_ARGUMENT,
	       "a_read_of_part_of_a_sector_is_refused");
	tap_kr(blk_read(disk[0], 0, 0, &data, &count), KERN_INVALID_ARGUMENT,
	       "a_read_of_nothing_is_refused");
	tap_kr(blk_read(disk[0], 0, 2 * BLK_TRANSFER_MAX, &data, &count), KERN_INVALID_ARGUMENT,
	       "a_read_larger_than_a_transfer_is_refused");
	tap_kr(blk_write(disk[0], end, buffer, SECTOR), KERN_INVALID_ADDRESS,
	       "a_write_past_the_end_is_refused");
	tap_kr(blk_write(disk[0], 0, buffer, 100), KERN_INVALID_ARGUMENT,
	       "a_write_of_part_of_a_sector_is_refused");
	tap_kr(blk_write(disk[0], 0, buffer, 2 * BLK_TRANSFER_MAX), KERN_INVALID_ARGUMENT,
	       "a_write_larger_than_a_transfer_is_refused");
	tap_kr(blk_write(disk[0], 0, 0x10, SECTOR), MACH_SEND_INVALID_MEMORY,
	       "a_write_from_unmapped_memory_is_refused_at_the_send");
	mach_port_t names = MACH_PORT_NULL;
	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	uint32_t sector_size;
	uint64_t sectors;
	boolean_t read_only;
	tap_kr(blk_info(names, &sector_size, &sectors, &read_only), MIG_BAD_ID,
	       "a_disk_call_on_another_servers_port_is_refused");
	tap_ok(read_is(disk[0], 0, 4096, 1), "the_driver_serves_after_the_refusals");
	vm_deallocate(mach_task_self(), buffer, 2 * BLK_TRANSFER_MAX);
}

static void verify(void)
{
	tap_ok(read_is(disk[0], PATTERN_OFFSET, PATTERN_SIZE, PATTERN_SEED) &&
		       read_is(disk[1], PATTERN_OFFSET, PATTERN_SIZE, PATTERN_SEED + 1),
	       "data_written_and_flushed_in_one_boot_reads_back_in_the_next");
}

static void timeout(void)
{
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	kern_return_t kr = KERN_SUCCESS;

	/* The throttled disk lets a request or two through at once; the
	 * ones after wait far longer than the driver's deadline. */
	for (int i = 0; i < 8 && kr == KERN_SUCCESS; i++) {
		kr = blk_read(disk[0], (uint64_t)i * BLK_TRANSFER_MAX, BLK_TRANSFER_MAX, &data,
			      &count);
		if (kr == KERN_SUCCESS)
			vm_deallocate(mach_task_self(), data, count);
	}
	tap_kr(kr, KERN_OPERATION_TIMED_OUT, "a_request_the_device_does_not_answer_times_out");
	uint32_t sector_size;
	uint64_t sectors;
	boolean_t read_only;
	tap_kr(blk_info(disk[0], &sector_size, &sectors, &read_only), KERN_SUCCESS,
	       "the_driver_still_answers_after_a_timeout");
	tap_ok(read_is(disk[1], 0, 4096, 2) || write_pattern(disk[1], 0, 4096, 2),
	       "the_other_disk_still_works_after_a_timeout");
}

/* The processor's halted time so far (HOST_CPU_INFO). */
static void bench(void)
{
	const uint64_t total = 16u << 20;
	uint64_t t0, t1, ns0, ns1;
	bool ok = true;

	uint64_t halted0 = halted_tsc();
	clock_get_time(&ns0);
	__asm__ volatile("rdtsc; shl $32, %%rdx; or %%rdx, %%rax" : "=a"(t0) : : "rdx");
	for (uint64_t at = 0; at < total && ok; at += BLK_TRANSFER_MAX) {
		vm_offset_t data = 0;
		mach_msg_type_number_t count = 0;
		ok = blk_read(disk[0], at, BLK_TRANSFER_MAX, &data, &count) == KERN_SUCCESS;
		if (ok)
			vm_deallocate(mach_task_self(), data, count);
	}
	__asm__ volatile("rdtsc; shl $32, %%rdx; or %%rdx, %%rax" : "=a"(t1) : : "rdx");
	clock_get_time(&ns1);
	uint64_t halted1 = halted_tsc();
	tap_ok(ok, "sixteen_mib_read_sequentially");
	/* Under -icount the time halted waiting for the disk is not work. */
	mach_printf("BENCH blk_read_16mib_instructions_per_kib %lu\n",
		    (t1 - t0 - (halted1 - halted0)) / (total / 1024));
	uint64_t us = (ns1 - ns0) / 1000;
	mach_printf("BENCH blk_read_16mib_kb_per_s %lu\n", us ? total / 1024 * 1000000 / us : 0);
}

static const char *phase_of(int argc, char **argv)
{
	const char *phase = mach_arg(argc, argv, "phase");

	return phase != NULL ? phase : "run";
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);
	const char *phase = phase_of(argc, argv);
	runner_thread = mach_thread_self();
	if (!exceptions_start()) {
		mach_printf("blktest: cannot start: no exception thread\n");
		host_halt(host_priv, HOST_HALT_FAILURE);
		return 1;
	}
	disk[0] = service_look_up("disk0", 5000);
	disk[1] = service_look_up("disk1", 5000);
	tap_ok(disk[0] != MACH_PORT_NULL && disk[1] != MACH_PORT_NULL,
	       "the_driver_registers_both_disks");
	if (disk[0] == MACH_PORT_NULL || disk[1] == MACH_PORT_NULL) {
		tap_finish("blktest");
		return 1;
	}
	if (strcmp(phase, "verify") == 0) {
		verify();
	} else if (strcmp(phase, "timeout") == 0) {
		timeout();
	} else if (strcmp(phase, "bench") == 0) {
		bench();
	} else {
		info();
		data();
		refusals();
		tap_ok(write_pattern(disk[0], PATTERN_OFFSET, PATTERN_SIZE, PATTERN_SEED) &&
			       write_pattern(disk[1], PATTERN_OFFSET, PATTERN_SIZE,
					     PATTERN_SEED + 1) &&
			       blk_flush(disk[0]) == KERN_SUCCESS &&
			       blk_flush(disk[1]) == KERN_SUCCESS,
		       "a_pattern_is_written_and_flushed_for_the_next_boot");
	}
	tap_finish("blktest");
	return 0;
}
