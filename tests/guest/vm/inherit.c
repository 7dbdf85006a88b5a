/*
 * task_create with inherit_memory: the child gets each range of its
 * parent's memory as the range's inheritance says: a copy (each side then
 * sees only its own writes), the same memory (each sees the other's), or
 * nothing (vmtest.h).
 *
 * The child is a copy of this program, so a thread made in it can run a
 * function of it (child_main) on a stack in its copy of child_stack.  It
 * reads what it inherited, writes, and reports what it read (child_report);
 * then it waits for the parent's go through the shared memory, reports
 * again, and last touches the range inherited none, which must fault.
 */
#include "vmtest.h"

/* What each side writes where: W words in copied_word (program memory), C
 * in the first word of the copied region, S in the first word of the
 * shared region. */
#define W_BEFORE 0x1001   /* by the parent, before task_create */
#define C_BEFORE 0x1002
#define S_BEFORE 0x1003
#define W_PARENT 0x2001   /* by the parent, after it */
#define C_PARENT 0x2002
#define S_PARENT 0x2003
#define W_CHILD 0x3001    /* by the child */
#define C_CHILD 0x3002
#define S_CHILD 0x3003
#define GO 0x60           /* the parent's go, in the second word of the shared region */

static volatile uint64_t copied_word;   /* program memory: inherited by copy */
static vm_address_t copy_region, share_region, none_region;
static uint8_t child_stack[8192] __attribute__((aligned(16)));

/* Runs in the child, with no libmach per-thread data: no calls. */
__attribute__((noreturn, noinline, used)) static void child_main(void)
{
	volatile uint64_t *copy = word(copy_region), *share = word(share_region);
	uint64_t w = copied_word, c = *copy, s = *share;

	copied_word = W_CHILD;
	*copy = C_CHILD;
	*share = S_CHILD;
	child_report(w, c, s, 1);
	while (share[1] != GO)
		__asm__ volatile("pause");
	child_report(copied_word, *copy, *share, 2);
	child_report(*word(none_region), 0, 0, 3);   /* faults first */
	for (;;)
		__asm__ volatile("pause");
}

static struct region parent_regions[64], child_regions[64];

/* The child's regions are the parent's, less those inherited none. */
static bool same_regions(task_t child)
{
	int n = regions_of(mach_task_self(), parent_regions, 64);
	int m = regions_of(child, child_regions, 64), j = 0;

	if (n < 0 || m < 0)
		return false;
	for (int i = 0; i < n; i++) {
		const struct region *p = &parent_regions[i];
		if (p->info.inheritance == VM_INHERIT_NONE)
			continue;
		if (j == m) {
			diag("parent region 0x%lx (0x%lx bytes): the child has none\n", p->start,
			     p->size);
			return false;
		}
		const struct region *c = &child_regions[j++];
		if (c->start != p->start || c->size != p->size ||
		    c->info.protection != p->info.protection ||
		    c->info.max_protection != p->info.max_protection ||
		    c->info.inheritance != p->info.inheritance) {
			diag("parent region 0x%lx (0x%lx bytes, %d/%d, inherit %d): the child has "
			     "0x%lx (0x%lx bytes, %d/%d, inherit %d)\n", p->start, p->size,
			     p->info.protection, p->info.max_protection, p->info.inheritance,
			     c->start, c->size, c->info.protection, c->info.max_protection,
			     c->info.inheritance);
			return false;
		}
	}
	if (j != m)
		diag("the child has %d regions, the parent %d it should share\n", m, j);
	return j == m;
}

static bool shared_alike(task_t child)
{
	struct region p, c;

	return CHECK_KR(region_at(mach_task_self(), share_region, &p), KERN_SUCCESS) &&
	       CHECK_KR(region_at(child, share_region, &c), KERN_SUCCESS) &&
	       CHECK(p.info.shared && c.info.shared) &&
	       CHECK(p.info.object_id == c.info.object_id && p.info.object_id != 0);
}

static bool report_is(const struct child_event *e, uint64_t step, uint64_t w, uint64_t c,
		      uint64_t s)
{
	bool ok = e->report && e->state.r15 == step && e->state.r12 == w &&
		  e->state.r13 == c && e->state.r14 == s;

	if (!ok)
		diag("report %lu: %s, read 0x%lx 0x%lx 0x%lx; expected 0x%lx 0x%lx 0x%lx\n", step,
		     e->report ? "a report" : "no report", e->state.r12, e->state.r13,
		     e->state.r14, w, c, s);
	return ok;
}

/* Maps the three regions and sets what the child will inherit. */
static bool set_up(void)
{
	copy_region = arena_allocate(PAGE);
	share_region = arena_allocate(PAGE);
	none_region = arena_allocate(PAGE);
	if (copy_region == 0 || share_region == 0 || none_region == 0)
		return false;
	copied_word = W_BEFORE;
	*word(copy_region) = C_BEFORE;
	*word(share_region) = S_BEFORE;
	*word(none_region) = 0x4444;
	return CHECK_KR(vm_inherit(mach_task_self(), share_region, PAGE, VM_INHERIT_SHARE),
			KERN_SUCCESS) &&
	       CHECK_KR(vm_inherit(mach_task_self(), none_region, PAGE, VM_INHERIT_NONE),
			KERN_SUCCESS);
}

static void tear_down(void)
{
	vm_deallocate(mach_task_self(), copy_region, PAGE);
	vm_deallocate(mach_task_self(), share_region, PAGE);
	vm_deallocate(mach_task_self(), none_region, PAGE);
}

/* What the child's thread reports, step by step, and what the parent sees meanwhile. */
static void run_child(task_t child)
{
	struct child_event e;
	thread_t thread = MACH_PORT_NULL;

	bool started = child_thread_start(child, child_main, child_stack, sizeof(child_stack),
					  &thread);
	tap_ok(started, "a_thread_started_in_the_child_runs_the_programs_code");
	bool first = started && child_wait(&e, 2000);
	tap_ok(first && report_is(&e, 1, W_BEFORE, C_BEFORE, S_PARENT),
	       "the_child_reads_copied_memory_as_it_was_and_shared_memory_as_it_is");
	tap_ok(first && copied_word == W_PARENT && *word(copy_region) == C_PARENT,
	       "the_childs_writes_to_copied_memory_are_not_seen_by_the_parent");
	tap_ok(first && *word(share_region) == S_CHILD,
	       "the_childs_writes_to_shared_memory_are_seen_by_the_parent");
	word(share_region)[1] = GO;
	bool second = first && child_wait(&e, 2000);
	tap_ok(second && report_is(&e, 2, W_CHILD, C_CHILD, S_CHILD),
	       "the_child_sees_its_own_writes_and_the_parents_go_through_shared_memory");
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	tap_ok(vm_read(child, copy_region, PAGE, &data, &count) == KERN_SUCCESS &&
		       count == PAGE && reads(data, C_CHILD),
	       "vm_read_of_the_childs_copy_gives_the_childs_data");
	if (data != 0)
		vm_deallocate(mach_task_self(), data, count);
	bool third = second && child_wait(&e, 2000);
	tap_ok(third && e.exception == EXC_BAD_ACCESS && e.code[0] == KERN_INVALID_ADDRESS &&
		       (vm_address_t)e.code[1] == none_region,
	       "the_child_faults_on_the_range_inherited_none");
	if (third && !(e.exception == EXC_BAD_ACCESS && e.code[0] == KERN_INVALID_ADDRESS))
		diag("exception %d, codes 0x%lx 0x%lx\n", e.exception, e.code[0], e.code[1]);
	if (thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), thread);
}

static void inherit_memory(void)
{
	task_t child = MACH_PORT_NULL;

	if (!set_up()) {
		tap_ok(false, "inheritance_test_memory_is_set_up");
		tear_down();
		return;
	}
	tap_kr(task_create(mach_task_self(), TRUE, &child), KERN_SUCCESS,
	       "task_create_with_inherit_memory_succeeds");
	if (child == MACH_PORT_NULL) {
		tear_down();
		return;
	}
	/* The parent writes first: copy-on-write must keep the child's view. */
	copied_word = W_PARENT;
	*word(copy_region) = C_PARENT;
	*word(share_region) = S_PARENT;
	tap_ok(same_regions(child), "the_child_has_its_parents_regions_less_those_inherited_none");
	tap_ok(unmapped(child, none_region, PAGE), "a_range_inherited_none_is_unmapped_in_the_child");
	tap_ok(shared_alike(child), "a_range_inherited_share_is_one_object_in_both_tasks");
	struct vm_statistics s;
	tap_kr(vm_statistics(child, &s), KERN_SUCCESS, "vm_statistics_takes_a_childs_port");
	run_child(child);
	tap_ok(child_end(child), "a_child_that_inherited_memory_ends");
	tap_ok(copied_word == W_PARENT && *word(copy_region) == C_PARENT &&
		       *word(share_region) == S_CHILD && *word(none_region) == 0x4444,
	       "the_parents_memory_outlives_the_child");
	tear_down();
}

static void no_inherit(void)
{
	task_t child;
	struct region r;

	if (!child_create(FALSE, &child)) {
		tap_ok(false, "task_create_without_inherit_memory_succeeds");
		return;
	}
	tap_kr(region_at(child, 0, &r), KERN_NO_SPACE,
	       "a_child_made_without_inherit_memory_has_no_regions");
	child_end(child);
}

void test_inherit(void)
{
	no_inherit();
	inherit_memory();
}
