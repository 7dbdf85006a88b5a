/*
 * memhog: a workload on a pager's memory, which says whether the pager
 * (and the kernel's policy for it) kept the data:
 *
 *   memhog [-p PAGER] [-s SIZE] [-n ROUNDS] [-i MS] [-r EVERY]
 *
 * It maps SIZE bytes (default 256K) of a new object of PAGER (a service
 * of mempager.defs: mempager, the default, or faultpager; "anon" for
 * anonymous memory, which the default pager takes), and then each round:
 * drops the pages the pager has stored (vm_msync VM_SYNC_INVALIDATE), so
 * that they are asked of it again; reads every page and checks each word
 * against what the round before wrote; writes every page with the next
 * pattern (mempager's, pattern.h); hands the written pages to the pager
 * (VM_SYNC_ASYNCHRONOUS); sleeps MS milliseconds (default 100).  A page
 * the kernel failed to give (the pager's policy failed the fault:
 * SIGBUS) or that reads back as zeros is lost; wrong words are
 * corrupted.  Every EVERY rounds (default 10) and at the end (ROUNDS
 * done, or SIGINT or SIGTERM) it says so:
 *
 *   memhog: round 20: 1280 pages verified, 0 bytes lost, 0 bytes corrupted
 *
 * and exits 1 if any byte was lost or corrupted.
 */
#include <mempager.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pagertools.h"
#include "pattern.h"
#include "util.h"

#define PAGE 4096u
#define WORDS (PAGE / 8)

struct counts {
	uint64_t rounds, verified, lost, corrupted;
};

static jmp_buf fault_jmp;
static volatile sig_atomic_t stopping;

static void on_fault(int sig)
{
	(void)sig;
	longjmp(fault_jmp, 1);
}

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* page (at offset of the object) against the pattern of seed. */
static void check(const volatile uint64_t *page, uint64_t seed, uint64_t offset,
		  struct counts *c)
{
	unsigned zero = 0, wrong = 0;

	for (unsigned i = 0; i < WORDS; i++) {
		uint64_t v = page[i];
		if (v != mempager_pattern(seed, offset + i * 8u))
			v == 0 ? zero++ : wrong++;
	}
	if (zero == WORDS)
		c->lost += PAGE;
	else
		c->corrupted += (zero + wrong) * 8u;
	c->verified++;
}

/* Reads (checks) or writes the page at offset; false if its fault failed
 * (SIGBUS), which loses the page. */
static bool touch(volatile uint64_t *base, uint64_t offset, uint64_t seed, bool write,
		  struct counts *c)
{
	volatile uint64_t *page = base + offset / 8;

	if (setjmp(fault_jmp) != 0) {
		c->lost += PAGE;
		return false;
	}
	if (!write)
		check(page, seed, offset, c);
	for (unsigned i = 0; write && i < WORDS; i++)
		page[i] = mempager_pattern(seed, offset + i * 8u);
	return true;
}

static void report(const char *when, const struct counts *c)
{
	printf("memhog: %s %llu: %llu pages verified, %llu bytes lost, %llu bytes corrupted\n",
	       when, (unsigned long long)c->rounds, (unsigned long long)c->verified,
	       (unsigned long long)c->lost, (unsigned long long)c->corrupted);
	fflush(stdout);
}

/* size bytes of a new object of pager (anonymous memory for "anon"). */
static volatile uint64_t *map(const char *pager, uint64_t size)
{
	vm_address_t address = 0;

	if (strcmp(pager, "anon") == 0) {
		pt_check(vm_allocate(mach_task_self(), &address, size, TRUE), "vm_allocate");
		return (volatile uint64_t *)address;
	}
	mach_port_t service = pt_service(pager), object = MACH_PORT_NULL;
	pt_check(mempager_create(service, size, &object), pager);
	pt_check(vm_map(mach_task_self(), &address, size, 0, TRUE, object, 0, FALSE,
			VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_NONE), "vm_map");
	mach_port_deallocate(mach_task_self(), object);   /* the mapping keeps it */
	mach_port_deallocate(mach_task_self(), service);
	return (volatile uint64_t *)address;
}

/* One round: the pages the pager stored read back from it, then the
 * next pattern written and handed to it.  good[p]: page p's last write
 * went through, so it is checked. */
static void round_of(volatile uint64_t *base, uint64_t size, bool *good, struct counts *c)
{
	uint64_t seed = c->rounds;

	vm_msync(mach_task_self(), (vm_address_t)base, size, VM_SYNC_INVALIDATE);
	for (uint64_t off = 0; off < size && seed > 0; off += PAGE)
		if (good[off / PAGE])
			touch(base, off, seed, false, c);
	for (uint64_t off = 0; off < size; off += PAGE)
		good[off / PAGE] = touch(base, off, seed + 1, true, c);
	vm_msync(mach_task_self(), (vm_address_t)base, size, VM_SYNC_ASYNCHRONOUS);
	c->rounds++;
}

static void start_line(const char *pager, volatile uint64_t *base, uint64_t size)
{
	vm_address_t address = (vm_address_t)base;
	vm_size_t region;
	vm_region_info_t info = { 0 };

	vm_region(mach_task_self(), &address, &region, &info);
	printf("memhog: pid %d: %lluK of %s, object %llu, at 0x%lx\n", (int)getpid(),
	       (unsigned long long)size / 1024, pager, (unsigned long long)info.object_id,
	       (unsigned long)address);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	char *arg[128] = { 0 };
	int i = util_start(argc, argv, "p:s:n:i:r:",
			   "[-p PAGER] [-s SIZE] [-n ROUNDS] [-i MS] [-r EVERY]",
			   "write and check memory of a pager (mempager, faultpager or anon) "
			   "round after round", seen, arg);
	const char *pager = seen['p'] ? arg['p'] : "mempager";
	uint64_t size = seen['s'] ? pt_size(arg['s'], "size") : 256 * 1024;
	long rounds = seen['n'] ? util_number(arg['n'], "rounds") : 0;
	long pause = seen['i'] ? util_number(arg['i'], "interval") : 100;
	long every = seen['r'] ? util_number(arg['r'], "report interval") : 10;

	if (i < argc || size == 0 || size % PAGE != 0 || size > (64u << 20) || rounds < 0 ||
	    pause < 0 || pause > 3600000 || every < 1)
		util_fail(2, "usage: memhog [-p PAGER] [-s SIZE: whole pages, at most 64M] "
			     "[-n ROUNDS] [-i MS: at most an hour] [-r EVERY]");
	bool *good = calloc(size / PAGE, sizeof *good);
	if (good == NULL)
		util_fail(1, "no memory");
	struct sigaction bus = { .sa_handler = on_fault, .sa_flags = SA_NODEFER };
	struct sigaction stop = { .sa_handler = on_stop };
	sigaction(SIGBUS, &bus, NULL);
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);

	volatile uint64_t *base = map(pager, size);
	struct counts c = { 0 };
	while (!stopping && (rounds == 0 || c.rounds < (uint64_t)rounds)) {
		round_of(base, size, good, &c);
		if (c.rounds == 1)
			start_line(pager, base, size);
		else if (c.rounds % (uint64_t)every == 0)
			report("round", &c);
		if (pause > 0 && !stopping)
			usleep((useconds_t)pause * 1000);
	}
	report("done after round", &c);
	return c.lost == 0 && c.corrupted == 0 ? 0 : 1;
}
