/*
 * Faultpagers for the tests (servers/faultpager): the one pager.sh boots,
 * fresh ones started under names of their own, and "victims", objects of
 * theirs mapped here whose pages threads of the runner read; see
 * pagertest.h.
 */
#include <faultpager.h>

#include "faultpager_modes.h"
#include "pagertest.h"

/* The faultpager pager.sh boots ("faultpager"), found on first use. */
static mach_port_t booted;

mach_port_t name_service(void)
{
	static mach_port_t port;

	if (port == MACH_PORT_NULL)
		task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &port);
	return port;
}

bool fp_look_up(const char *name, mach_port_t *port)
{
	kern_return_t kr = KERN_FAILURE;

	for (int i = 0; i < 200 && kr != KERN_SUCCESS; i++) {
		kr = bootstrap_look_up(name_service(), (char *)name, port);
		if (kr != KERN_SUCCESS)
			sleep_ms(10);
	}
	if (kr != KERN_SUCCESS)
		diag("no %s in the name service: %s", name, error_name(kr));
	return kr == KERN_SUCCESS;
}

bool fp_booted(mach_port_t *port)
{
	if (booted == MACH_PORT_NULL && !fp_look_up("faultpager", &booted))
		return false;
	*port = booted;
	return true;
}

bool fp_spawn(const char *args, size_t size, mach_port_t *port, task_t *task)
{
	thread_t thread = MACH_PORT_NULL;
	bool ok = CHECK_KR(host_boot_module_load(host_priv, "faultpager", (char *)args,
						 (mach_msg_type_number_t)size, task, &thread),
			   KERN_SUCCESS) &&
		  CHECK_KR(task_set_special_port(*task, TASK_BOOTSTRAP_PORT, name_service()),
			   KERN_SUCCESS) &&
		  CHECK_KR(harness_watch(*task), KERN_SUCCESS) &&
		  CHECK_KR(thread_resume(thread), KERN_SUCCESS) && fp_look_up(args + 5, port);
	if (thread != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), thread);
	return ok;
}

void fp_reap(task_t task, mach_port_t port)
{
	task_terminate(task);
	mach_port_deallocate(mach_task_self(), task);
	mach_port_deallocate(mach_task_self(), port);
}

bool victim_open(struct victim *v, mach_port_t pager, vm_pager_policy_t policy)
{
	return victim_open_pages(v, pager, policy, VICTIM_PAGES);
}

bool victim_open_pages(struct victim *v, mach_port_t pager, vm_pager_policy_t policy,
		       unsigned pages)
{
	*v = (struct victim){ .pager = pager, .size = pages * PAGE };
	return CHECK_KR(mempager_create(pager, v->size, &v->object), KERN_SUCCESS) &&
	       CHECK_KR(mempager_fill(pager, v->object, 0, v->size, VICTIM_SEED), KERN_SUCCESS) &&
	       CHECK_KR(vm_map(mach_task_self(), &v->address, v->size, 0, TRUE, v->object, 0,
			       FALSE, VM_PROT_DEFAULT, VM_PROT_ALL, VM_INHERIT_NONE),
			KERN_SUCCESS) &&
	       CHECK_KR(vm_pager_policy_set(host_priv, v->object, policy, DEADLINE_MS),
			KERN_SUCCESS);
}

void victim_close(struct victim *v)
{
	if (v->address != 0)
		vm_deallocate(mach_task_self(), v->address, v->size);
	if (v->object != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), v->object);
	*v = (struct victim){ 0 };
}

bool fp_inject(mach_port_t pager, unsigned mode, uint64_t arg, unsigned after)
{
	return CHECK_KR(faultpager_inject(pager, mode, arg, after), KERN_SUCCESS);
}

uint64_t fp_misbehaved(mach_port_t pager)
{
	natural_t mode, after;
	uint64_t arg, requests, count = 0;

	CHECK_KR(faultpager_injected(pager, &mode, &arg, &after, &requests, &count),
		 KERN_SUCCESS);
	return count;
}

struct vm_pager_stats victim_stats(const struct victim *v)
{
	struct vm_pager_stats s = { 0 };

	if (!CHECK_KR(vm_pager_stats(host_priv, v->object, &s), KERN_SUCCESS))
		s = (struct vm_pager_stats){ 0 };
	return s;
}

bool victim_read(const struct victim *v, unsigned page, struct toucher *t, uint64_t *ms,
			 uint32_t timeout_ms)
{
	uint64_t start = now_ms();
	bool ok = touch_start(t, v->address + page * PAGE, false, 0) && touch_wait(t, timeout_ms);

	*ms = now_ms() - start;
	return ok;
}

bool victim_read_well_within(const struct victim *v, unsigned page, uint64_t *ms,
			     uint32_t timeout_ms)
{
	struct toucher t;
	bool ok = victim_read(v, page, &t, ms, timeout_ms) && CHECK(!t.faulted) &&
		  CHECK_EQ(t.value, mempager_pattern(VICTIM_SEED, page * PAGE));

	return touch_end(&t) && ok;
}

bool victim_read_well(const struct victim *v, unsigned page, uint64_t *ms)
{
	return victim_read_well_within(v, page, ms, 4 * DEADLINE_MS);
}

bool victim_read_fails(const struct victim *v, unsigned page, kern_return_t code, uint64_t *ms)
{
	struct toucher t;
	bool ok = victim_read(v, page, &t, ms, 4 * DEADLINE_MS) &&
		  touch_failed_with(&t, code);

	return touch_end(&t) && ok;
}

