/*
 * fstest's mapped files: the server as the pager of a file's memory
 * object (fs.defs: map), coherent with read, write and truncate, the
 * file's end a memory error past its last page; a file written only
 * through a mapping and fsynced, which the host reads back
 * (tests/boot/fs.sh); and open files whose client drops its right
 * without closing them, which the server reclaims.
 */
#include "fstest.h"

#define MAP_PAGES 5                    /* mapped: one page past the file */
#define MAP_SIZE (3 * PAGE + 100)      /* the file: its fourth page in part */
#define MAPPED_LINES 1000u             /* /mapped: "m0000000\n" to "m0000999\n" */

static uint8_t expected[MAP_SIZE];

/* A file at path of MAP_SIZE bytes of pattern, open to read and write. */
static mach_port_t make_file(const char *path)
{
	for (unsigned i = 0; i < MAP_SIZE; i++)
		expected[i] = (uint8_t)(i * 13 + i / 4093 + 1);
	mach_port_t p = open_ok(path, FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE |
					      FS_OPEN_TRUNCATE);
	if (p != MACH_PORT_NULL && !write_all(p, expected, MAP_SIZE)) {
		close_port(p);
		return MACH_PORT_NULL;
	}
	return p;
}

/* p's file mapped at *address, MAP_PAGES pages, shared (a copy if copy)
 * with protection prot; the most it may have in *max. */
static bool map_file(mach_port_t p, bool copy, vm_prot_t prot, vm_address_t *address,
		     vm_prot_t *max)
{
	mach_port_t object = MACH_PORT_NULL;

	*address = 0;
	if (!CHECK_KR(fs_map(p, &object, max), KERN_SUCCESS))
		return false;
	/* The kernel takes a right of its own; the client's stays. */
	bool ok = CHECK_KR(vm_map(mach_task_self(), address, MAP_PAGES * PAGE, 0, TRUE, object, 0,
				  copy, prot, copy ? VM_PROT_ALL : *max, VM_INHERIT_NONE),
			   KERN_SUCCESS);
	mach_port_deallocate(mach_task_self(), object);
	return ok;
}

static void unmap(vm_address_t address)
{
	if (address != 0)
		vm_deallocate(mach_task_self(), address, MAP_PAGES * PAGE);
}

/* size bytes of p from offset equal want. */
static bool file_holds(mach_port_t p, uint64_t offset, const void *want, uint32_t size)
{
	static uint8_t got[MAP_PAGES * PAGE];
	uint64_t at = 0;
	uint32_t n = 0;

	return CHECK_KR(fs_seek(p, (int64_t)offset, FS_SEEK_SET, &at), KERN_SUCCESS) &&
	       read_into(p, got, size, &n) && CHECK(n == size) && CHECK(memcmp(got, want, n) == 0);
}

static void a_mapping_reads_the_file_and_faults_past_its_end(void)
{
	vm_address_t a = 0;
	vm_prot_t max = VM_PROT_NONE;
	mach_port_t p = make_file("/map-read");
	bool ok = p != MACH_PORT_NULL &&
		  map_file(p, false, VM_PROT_READ | VM_PROT_WRITE, &a, &max) &&
		  CHECK(max == (VM_PROT_READ | VM_PROT_WRITE)) && readable(a, MAP_SIZE) &&
		  CHECK(memcmp((const void *)a, expected, MAP_SIZE) == 0) &&
		  CHECK(zeroed(a + MAP_SIZE, 4 * PAGE - MAP_SIZE)) &&
		  read_faults(a + 4 * PAGE, KERN_MEMORY_ERROR);
	tap_ok(ok, "a_mapping_reads_the_file_and_faults_past_its_end");
	unmap(a);
	close_port(p);
}

static void writes_through_a_mapping_are_read_by_read(void)
{
	vm_address_t a = 0;
	vm_prot_t max;
	fs_stat_t st;
	mach_port_t p = make_file("/map-write");
	bool ok = p != MACH_PORT_NULL &&
		  map_file(p, false, VM_PROT_READ | VM_PROT_WRITE, &a, &max) &&
		  writes(a + 8, 0x1122334455667788ull) &&
		  writes(a + 2 * PAGE + 16, 0x0102030405060708ull) &&
		  writes(a + 3 * PAGE + 200, 0xdeadull);   /* past the end: not the file's */
	memcpy(expected + 8, (const void *)(a + 8), 8);
	memcpy(expected + 2 * PAGE + 16, (const void *)(a + 2 * PAGE + 16), 8);
	ok = ok && file_holds(p, 0, expected, MAP_SIZE) &&
	     CHECK_KR(fs_fsync(p), KERN_SUCCESS) && CHECK_KR(fs_stat(p, &st), KERN_SUCCESS) &&
	     CHECK(st.size == MAP_SIZE);
	tap_ok(ok, "writes_through_a_mapping_are_read_by_read");
	unmap(a);
	close_port(p);
}

static void write_and_truncate_reach_a_mapping(void)
{
	vm_address_t a = 0;
	vm_prot_t max;
	mach_port_t p = make_file("/map-change");
	uint32_t written = 0;
	uint64_t at = 0;
	bool ok = p != MACH_PORT_NULL &&
		  map_file(p, false, VM_PROT_READ | VM_PROT_WRITE, &a, &max) &&
		  reads(a + PAGE, *(const uint64_t *)(expected + PAGE)) &&
		  CHECK_KR(fs_seek(p, PAGE, FS_SEEK_SET, &at), KERN_SUCCESS) &&
		  CHECK_KR(fs_write(p, (vm_offset_t)"freshly", 8, &written), KERN_SUCCESS) &&
		  CHECK(memcmp((const void *)(a + PAGE), "freshly", 8) == 0) &&
		  /* Cut inside page 1: its bytes past the end read as zeros, the
		   * pages after it are past the end. */
		  CHECK_KR(fs_truncate(p, PAGE + 8), KERN_SUCCESS) &&
		  reads(a + PAGE, *(const uint64_t *)"freshly") && reads(a + PAGE + 8, 0) &&
		  read_faults(a + 2 * PAGE, KERN_MEMORY_ERROR) &&
		  /* Grown again: a hole, whatever the mapping held there. */
		  writes(a + PAGE + 64, 0x77) && CHECK_KR(fs_truncate(p, 3 * PAGE), KERN_SUCCESS) &&
		  reads(a + PAGE + 64, 0) && reads(a + 2 * PAGE, 0) &&
		  CHECK(memcmp((const void *)a, expected, 64) == 0);
	tap_ok(ok, "write_and_truncate_reach_a_mapping");
	unmap(a);
	close_port(p);
}

static void a_private_mapping_keeps_its_writes(void)
{
	vm_address_t shared = 0, copy = 0;
	vm_prot_t max;
	mach_port_t p = make_file("/map-private");
	bool ok = p != MACH_PORT_NULL && map_file(p, false, VM_PROT_READ, &shared, &max) &&
		  map_file(p, true, VM_PROT_READ | VM_PROT_WRITE, &copy, &max) &&
		  reads(shared + 8, *(const uint64_t *)(expected + 8)) &&
		  writes(copy + 8, 0x5555) && reads(copy + 8, 0x5555) &&
		  reads(shared + 8, *(const uint64_t *)(expected + 8)) &&
		  file_holds(p, 0, expected, MAP_SIZE);
	tap_ok(ok, "a_private_mapping_keeps_its_writes");
	unmap(copy);
	unmap(shared);
	close_port(p);
}

static void map_gives_what_the_open_allows(void)
{
	kern_return_t kr;
	mach_port_t object = MACH_PORT_NULL, object2 = MACH_PORT_NULL;
	vm_prot_t max = VM_PROT_NONE;
	mach_port_t r = open_as("/hello.txt", FS_OPEN_READ, 1000, &kr);
	mach_port_t w = open_ok("/hello.txt", FS_OPEN_WRITE);
	mach_port_t d = open_ok("/", FS_OPEN_READ);
	bool ok = r != MACH_PORT_NULL && CHECK_KR(fs_map(r, &object, &max), KERN_SUCCESS) &&
		  CHECK(max == VM_PROT_READ) &&
		  CHECK_KR(fs_map(w, &object2, &max), FS_ACCESS_DENIED) &&
		  CHECK_KR(fs_map(d, &object2, &max), FS_IS_DIRECTORY) &&
		  /* The object is a port of the server's, but no open file. */
		  CHECK_KR(fs_map(object, &object2, &max), MIG_BAD_ID);
	tap_ok(ok, "map_gives_what_the_open_allows");
	if (object != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), object);
	close_port(r);
	close_port(w);
	close_port(d);
}

static void a_mapped_file_lives_after_its_name_and_open_go(void)
{
	vm_address_t a = 0;
	vm_prot_t max;
	kern_return_t kr;
	mach_port_t p = make_file("/map-doomed");
	bool ok = p != MACH_PORT_NULL &&
		  map_file(p, false, VM_PROT_READ | VM_PROT_WRITE, &a, &max);

	close_port(p);
	ok = ok && CHECK_KR(fs_unlink(root, "map-doomed"), KERN_SUCCESS) &&
	     CHECK(memcmp((const void *)a, expected, MAP_SIZE) == 0) && writes(a, 42);
	unmap(a);   /* the last of it: the inode goes (e2fsck finds none left) */
	open_as("/map-doomed", FS_OPEN_READ, 0, &kr);
	tap_ok(ok && CHECK_KR(kr, FS_NOT_FOUND), "a_mapped_file_lives_after_its_name_and_open_go");
}

/* Written through a mapping only, and fsynced with the mapping still
 * there: tests/boot/fs.sh has debugfs read it back. */
static void a_file_written_through_a_mapping_is_on_the_disk(void)
{
	vm_address_t a = 0;
	vm_prot_t max;
	mach_port_t p = open_ok("/mapped", FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE);
	bool ok = p != MACH_PORT_NULL && CHECK_KR(fs_truncate(p, MAPPED_LINES * 9), KERN_SUCCESS) &&
		  map_file(p, false, VM_PROT_READ | VM_PROT_WRITE, &a, &max);
	char *text = (char *)a;

	for (unsigned i = 0; ok && i < MAPPED_LINES; i++)
		mach_snprintf(text + 9 * i, 10, "m%07u\n", i);   /* its NUL goes under the next */
	ok = ok && CHECK_KR(fs_fsync(p), KERN_SUCCESS);
	tap_ok(ok, "a_file_written_through_a_mapping_is_on_the_disk");
	unmap(a);
	close_port(p);
}

/* More opens than the server's table holds, each right dropped unclosed:
 * the server ends each open when its last right goes. */
static void opens_dropped_without_close_are_reclaimed(void)
{
	kern_return_t kr = KERN_SUCCESS;
	unsigned opened = 0, retries = 0;

	while (opened < 1000 && retries < 1000) {
		mach_port_t p = open_as("/hello.txt", FS_OPEN_READ, 0, &kr);
		if (kr == KERN_RESOURCE_SHORTAGE) {
			/* The notifications are still on their way. */
			retries++;
			thread_switch(MACH_PORT_NULL, SWITCH_OPTION_NONE, 0);
			continue;
		}
		if (!CHECK_KR(kr, KERN_SUCCESS))
			break;
		mach_port_deallocate(mach_task_self(), p);
		opened++;
	}
	diag("1000 opens dropped unclosed: %u retries for a free slot\n", retries);
	tap_ok(CHECK(opened == 1000), "opens_dropped_without_close_are_reclaimed");
}

void map_tests(void)
{
	a_mapping_reads_the_file_and_faults_past_its_end();
	writes_through_a_mapping_are_read_by_read();
	write_and_truncate_reach_a_mapping();
	a_private_mapping_keeps_its_writes();
	map_gives_what_the_open_allows();
	a_mapped_file_lives_after_its_name_and_open_go();
	a_file_written_through_a_mapping_is_on_the_disk();
	opens_dropped_without_close_are_reclaimed();
}
