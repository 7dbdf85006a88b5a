/*
 * mmap, munmap and mprotect: anonymous and file mappings, shared and
 * private, across fork and against read and write; and SIGBUS from a
 * fault no pager could serve, past a file's end or failed by the
 * kernel's pager policy.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <mach/mach.h>

#include "tap.h"

#define PAGE 4096
#define FILE_PATH "/tmp/mmap.dat"

/* A bad access leaves through longjmp with its signal (not blocked
 * after: SA_NODEFER). */
static jmp_buf escape;
static void leave(int sig)
{
	longjmp(escape, sig);
}

/* The signal a store of value at p (or a load, if !store) raises; 0 if none. */
static int access_signal(volatile char *p, bool store)
{
	struct sigaction sa = { .sa_handler = leave, .sa_flags = SA_NODEFER };
	struct sigaction old_segv, old_bus;

	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
	int sig = setjmp(escape);
	if (sig == 0) {
		if (store)
			*p = 1;
		else
			(void)*p;
	}
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGBUS, &old_bus, NULL);
	return sig;
}

static bool all_zero(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return false;
	return true;
}

static void anonymous(void)
{
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK(p != MAP_FAILED && (uintptr_t)p % PAGE == 0, "anonymous_mapping_is_page_aligned");
	CHECK(p != MAP_FAILED && all_zero(p, 3 * PAGE), "anonymous_mapping_reads_zeros");
	p[0] = 'a';
	p[3 * PAGE - 1] = 'z';
	CHECK(p[0] == 'a' && p[3 * PAGE - 1] == 'z', "anonymous_mapping_keeps_what_is_written");
	pid_t child = fork();
	if (child == 0)
		_exit(p[0] == 'a' ? (p[0] = 'b', 0) : 1);
	CHECK(status_of(child) == 0 && p[0] == 'a', "a_private_mapping_is_copied_by_fork");
	CHECK(mprotect(p, PAGE, PROT_READ) == 0 && access_signal(p, true) == SIGSEGV,
	      "a_store_to_a_page_made_read_only_is_SIGSEGV");
	CHECK(access_signal(p, false) == 0 && p[0] == 'a', "the_read_only_page_still_reads");
	CHECK(mprotect(p, PAGE, PROT_READ | PROT_WRITE) == 0 && access_signal(p, true) == 0,
	      "mprotect_gives_write_back");
	CHECK(munmap(p + PAGE, PAGE) == 0 && access_signal(p + PAGE, false) == SIGSEGV,
	      "an_unmapped_page_is_SIGSEGV");
	CHECK(p[2 * PAGE] == 0 && p[3 * PAGE - 1] == 'z', "munmap_leaves_the_pages_around_it");
	char *q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		       -1, 0);
	CHECK(q == p + PAGE && all_zero(q, PAGE), "MAP_FIXED_maps_exactly_there");
	CHECK(munmap(p, 3 * PAGE) == 0, "munmap_of_the_whole");

	int *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	child = fork();
	if (child == 0) {
		shared[0] = 1234;
		_exit(0);
	}
	CHECK(status_of(child) == 0 && shared[0] == 1234, "a_shared_mapping_is_shared_by_fork");
	munmap(shared, PAGE);
}

/* FILE_PATH with size bytes: byte i is 'a' + i % 26. */
static int make_file(size_t size)
{
	int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
	char bytes[2 * PAGE];

	for (size_t i = 0; i < size && i < sizeof(bytes); i++)
		bytes[i] = (char)('a' + i % 26);
	if (fd >= 0 && size <= sizeof(bytes) && write(fd, bytes, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One byte of the file at offset, by read (write, if store). */
static bool file_byte(int fd, off_t offset, char *c, bool store)
{
	if (lseek(fd, offset, SEEK_SET) != offset)
		return false;
	return (store ? write(fd, c, 1) : read(fd, c, 1)) == 1;
}

static void files(void)
{
	int fd = make_file(PAGE + 100);
	char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

	CHECK(p != MAP_FAILED && p[0] == 'a' && p[PAGE + 99] == 'a' + (PAGE + 99) % 26,
	      "a_private_file_mapping_has_the_file's_bytes");
	CHECK(p != MAP_FAILED && all_zero(p + PAGE + 100, PAGE - 100),
	      "past_the_end_in_the_last_page_is_zeros");
	p[0] = 'X';
	char c = 0;
	CHECK(file_byte(fd, 0, &c, false) && c == 'a', "a_private_mapping's_store_stays_private");
	munmap(p, 2 * PAGE);

	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PAGE);
	CHECK(p != MAP_FAILED && p[0] == 'a' + PAGE % 26, "a_mapping_at_an_offset");
	p[1] = 'Y';
	CHECK(file_byte(fd, PAGE + 1, &c, false) && c == 'Y', "a_shared_store_is_read_by_read");
	c = 'W';
	CHECK(file_byte(fd, PAGE + 2, &c, true) && p[2] == 'W', "a_write_is_seen_by_the_mapping");
	CHECK(access_signal(p, false) == 0, "the_file's_pages_read");
	munmap(p, PAGE);

	p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, PAGE);
	CHECK(p != MAP_FAILED && access_signal(p + PAGE, false) == SIGBUS,
	      "a_page_wholly_past_the_file's_end_is_SIGBUS");
	munmap(p, 2 * PAGE);
	close(fd);
}

static void errors(void)
{
	int fds[2], rd = open(FILE_PATH, O_RDONLY), wr = open(FILE_PATH, O_WRONLY);
	int rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;

	pipe(fds);
	CHECK_ERR(mmap(NULL, 0, rw, anon, -1, 0), EINVAL, "mmap_of_0_bytes_is_EINVAL");
	CHECK_ERR(mmap(NULL, PAGE, rw, MAP_ANONYMOUS, -1, 0), EINVAL,
		  "neither_shared_nor_private_is_EINVAL");
	CHECK_ERR(mmap(NULL, PAGE, rw, anon | MAP_SHARED, -1, 0), EINVAL,
		  "both_shared_and_private_is_EINVAL");
	CHECK_ERR(mmap((void *)0x10001, PAGE, rw, anon | MAP_FIXED, -1, 0), EINVAL,
		  "an_unaligned_fixed_address_is_EINVAL");
	CHECK_ERR(mmap(NULL, PAGE, rw, MAP_PRIVATE, rd, 100), EINVAL,
		  "an_unaligned_offset_is_EINVAL");
	CHECK_ERR(mmap(NULL, PAGE, rw, MAP_PRIVATE, 99, 0), EBADF, "a_bad_descriptor_is_EBADF");
	CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fds[0], 0), ENODEV, "a_pipe_is_ENODEV");
	CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_SHARED, wr, 0), EACCES,
		  "a_file_open_only_for_writing_is_EACCES");
	CHECK_ERR(mmap(NULL, PAGE, rw, MAP_SHARED, rd, 0), EACCES,
		  "a_writable_shared_mapping_of_a_read_only_open_is_EACCES");
	int dir = open("/", O_RDONLY);
	CHECK_ERR(mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, dir, 0), EACCES, "a_directory_is_EACCES");
	CHECK_ERR(munmap((void *)0x10001, PAGE), EINVAL, "munmap_of_an_unaligned_address_is_EINVAL");
	CHECK_ERR(munmap((void *)0x7ffffffff000, 2 * PAGE), EINVAL,
		  "munmap_past_the_user_half_is_EINVAL");
	CHECK_ERR(mprotect((void *)0x10000, PAGE, PROT_READ), ENOMEM,
		  "mprotect_of_unmapped_pages_is_ENOMEM");
	close(dir);
	close(fds[0]);
	close(fds[1]);
	close(rd);
	close(wr);
	unlink(FILE_PATH);
}

/*
 * The process maps a memory object whose pager never answers: its own
 * port, which it never receives from.  The kernel's policy (fail, the
 * default) fails the fault, and the memory error reaches the process as
 * SIGBUS, from which it goes on.
 */
static void hung_pager(void)
{
	mach_port_t self = mach_task_self(), pager = MACH_PORT_NULL;
	vm_address_t at = 0;
	kern_return_t kr = mach_port_allocate(self, MACH_PORT_RIGHT_RECEIVE, &pager);

	if (kr == KERN_SUCCESS)
		kr = mach_port_insert_right(self, pager, pager, MACH_MSG_TYPE_MAKE_SEND);
	if (kr == KERN_SUCCESS)
		kr = vm_map(self, &at, PAGE, 0, TRUE, pager, 0, FALSE, VM_PROT_READ | VM_PROT_WRITE,
			    VM_PROT_ALL, VM_INHERIT_NONE);
	CHECK(kr == KERN_SUCCESS, "a_mapping_of_a_pager_that_never_answers");
	CHECK(kr == KERN_SUCCESS && access_signal((char *)at, false) == SIGBUS,
	      "a_fault_the_pager_policy_failed_is_SIGBUS");
	CHECK(getpid() > 0, "the_process_goes_on_after_SIGBUS");
	vm_deallocate(self, at, PAGE);
	mach_port_mod_refs(self, pager, MACH_PORT_RIGHT_RECEIVE, -1);
	mach_port_deallocate(self, pager);
}

void mmap_tests(void)
{
	anonymous();
	files();
	errors();
	hung_pager();
}
