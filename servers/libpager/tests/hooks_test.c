/*
 * libpager's fault-injection hooks (struct pager_hooks, pager.h), on the
 * host test's pretend kernel (pager_test.h): each hook drops, moves or
 * withholds what it says, and a server whose hooks are all NULL behaves
 * as one without.
 */
#include "pager_test.h"

/* What the hooks saw, and how they answer. */
static struct take {
	struct pager_object *obj;
	mach_msg_id_t id;
	vm_offset_t offset;
} taken[16];
static unsigned ntaken, nsupplied_at, nacknowledged;
static vm_offset_t supplied_at[16];
static bool take_answer, acknowledge_answer;
static vm_offset_t supply_shift;

static bool take_hook(struct pager_object *o, mach_msg_id_t id, vm_offset_t offset)
{
	if (ntaken < 16)
		taken[ntaken] = (struct take){ o, id, offset };
	ntaken++;
	return take_answer;
}

static vm_offset_t supply_at_hook(struct pager_object *o, vm_offset_t offset)
{
	(void)o;
	if (nsupplied_at < 16)
		supplied_at[nsupplied_at] = offset;
	nsupplied_at++;
	return offset + supply_shift;
}

static bool acknowledge_hook(struct pager_object *o)
{
	(void)o;
	nacknowledged++;
	return acknowledge_answer;
}

static const struct pager_hooks take_hooks = { .take = take_hook };
static const struct pager_hooks supply_at_hooks = { .supply_at = supply_at_hook };
static const struct pager_hooks acknowledge_hooks = { .acknowledge = acknowledge_hook };
static const struct pager_hooks no_hooks = { 0 };

/* The server misbehaves as hooks say, with nothing seen yet. */
static void hook(const struct pager_hooks *hooks)
{
	ntaken = nsupplied_at = nacknowledged = 0;
	take_answer = acknowledge_answer = true;
	supply_shift = 0;
	pager_server_set_hooks(&server, hooks);
}

static bool was_taken(unsigned i, mach_msg_id_t id, vm_offset_t offset)
{
	return CHECK(i < ntaken) && CHECK(taken[i].obj == obj) && CHECK(taken[i].id == id) &&
	       CHECK(taken[i].offset == offset);
}

static bool data_request_not_taken_is_dropped_and_the_next_served(void)
{
	bool ok = fresh(true);
	mach_port_urefs_t sends = fake_urefs(port, MACH_PORT_RIGHT_SEND);

	hook(&take_hooks);
	take_answer = false;
	memory_object_data_request(port, 5 * 4096, 2 * 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(nkcalls == 0) && CHECK(ntaken == 1) &&
	     was_taken(0, MSGID_memory_object_data_request, 5 * 4096) &&
	     CHECK(stats().data_requests == 0) && CHECK(stats().pages_supplied == 0) &&
	     CHECK(stats().refused == 0) && CHECK(fake_queued(port) == 0) &&
	     CHECK(fake_urefs(port, MACH_PORT_RIGHT_SEND) == sends) &&
	     CHECK(fake_urefs(control, MACH_PORT_RIGHT_SEND) == 1);
	take_answer = true;
	memory_object_data_request(port, 9 * 4096, 2 * 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(ntaken == 2) &&
	     was_taken(1, MSGID_memory_object_data_request, 9 * 4096) && CHECK(nkcalls == 2) &&
	     supplied(0, 9 * 4096, 9) && supplied(1, 10 * 4096, 10) &&
	     CHECK(stats().data_requests == 1) && CHECK(stats().pages_supplied == 2);
	pager_server_set_hooks(&server, NULL);
	return done() && ok;
}

static bool data_unlock_not_taken_is_dropped(void)
{
	bool ok = fresh(true);

	hook(&take_hooks);
	take_answer = false;
	memory_object_data_unlock(port, 4096, 4096, VM_PROT_WRITE);
	drain();
	ok = ok && CHECK(nkcalls == 0) && CHECK(ntaken == 1) &&
	     was_taken(0, MSGID_memory_object_data_unlock, 4096) &&
	     CHECK(stats().unlocks == 0) && CHECK(stats().refused == 0);
	pager_server_set_hooks(&server, NULL);
	return done() && ok;
}

static bool init_not_taken_leaves_the_object_without_a_cache(void)
{
	bool ok = fresh(false);

	hook(&take_hooks);
	take_answer = false;
	memory_object_init(port, control, PAGER_PAGE_SIZE);
	drain();
	ok = ok && CHECK(nkcalls == 0) && CHECK(ntaken == 1) &&
	     was_taken(0, MSGID_memory_object_init, 0) && CHECK(stats().inits == 0) &&
	     CHECK(stats().refused == 0) && CHECK(!fake_has(control, MACH_PORT_TYPE_SEND));
	/* No cache: a request is refused before the hook is asked. */
	memory_object_data_request(port, 0, 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(nkcalls == 0) && CHECK(ntaken == 1) && CHECK(stats().refused == 1);
	take_answer = true;
	control = fake_control_port();
	memory_object_init(port, control, PAGER_PAGE_SIZE);
	memory_object_data_request(port, 0, 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(ntaken == 3) && was_taken(1, MSGID_memory_object_init, 0) &&
	     was_taken(2, MSGID_memory_object_data_request, 0) && CHECK(nkcalls == 2) &&
	     CHECK(kcalls[0].kind == K_READY) && CHECK(kcalls[0].control == control) &&
	     supplied(1, 0, 0) && CHECK(stats().inits == 1) &&
	     CHECK(fake_has(control, MACH_PORT_TYPE_SEND));
	pager_server_set_hooks(&server, NULL);
	return done() && ok;
}

static bool data_return_not_taken_is_not_written_and_its_memory_freed(void)
{
	bool ok = fresh(true);

	hook(&take_hooks);
	take_answer = false;
	memory_object_data_return(port, control, 3 * 4096, returned(2, 0x70), 2 * 4096, TRUE,
				  TRUE);
	drain();
	ok = ok && CHECK(ntaken == 1) && was_taken(0, MSGID_memory_object_data_return, 3 * 4096) &&
	     CHECK(writes == 0) && CHECK(store[3][0] == 4) && CHECK(store[4][0] == 5) &&
	     CHECK(nkcalls == 0) && CHECK(fake_regions_live() == 0) &&
	     CHECK(stats().data_returns == 0) && CHECK(stats().pages_written == 0) &&
	     CHECK(stats().refused == 0) && CHECK(fake_urefs(control, MACH_PORT_RIGHT_SEND) == 1);
	pager_server_set_hooks(&server, NULL);
	return done() && ok;
}

static bool supply_names_the_offset_supply_at_gives(void)
{
	bool ok = fresh(true);

	hook(&supply_at_hooks);
	supply_shift = 10 * 4096;
	memory_object_data_request(port, 5 * 4096, 3 * 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(nsupplied_at == 1) && CHECK(supplied_at[0] == 5 * 4096) &&
	     CHECK(nkcalls == 3) && supplied(0, 15 * 4096, 5) && supplied(1, 16 * 4096, 6) &&
	     supplied(2, 17 * 4096, 7) && CHECK(kcalls[0].size == 3 * 4096) &&
	     CHECK(stats().pages_supplied == 3);
	/* The receive loop's last supply, sent with its next receive, too. */
	nkcalls = 0;
	ok = ok && CHECK(fake_regions_live() == 0);
	memory_object_data_request(port, 2 * 4096, 4096, VM_PROT_READ);
	ok = ok && CHECK(pager_serve(&server) == MACH_RCV_TIMED_OUT) && CHECK(nsupplied_at == 2) &&
	     CHECK(supplied_at[1] == 2 * 4096) && CHECK(nkcalls == 1) &&
	     supplied(0, 12 * 4096, 2);
	pager_server_set_hooks(&server, NULL);
	return done() && ok;
}

static bool data_return_not_acknowledged_is_stored_without_return_completed(void)
{
	bool ok = fresh(true);

	hook(&acknowledge_hooks);
	acknowledge_answer = false;
	memory_object_data_return(port, control, 3 * 4096, returned(2, 0x70), 2 * 4096, TRUE,
				  TRUE);
	drain();
	ok = ok && CHECK(nacknowledged == 1) && CHECK(writes == 2) && CHECK(store[3][0] == 0x70) &&
	     CHECK(store[4][0] == 0x71) && CHECK(nkcalls == 0) &&
	     CHECK(stats().data_returns == 1) && CHECK(fake_regions_live() == 0);
	acknowledge_answer = true;
	memory_object_data_return(port, control, 6 * 4096, returned(1, 0x50), 4096, TRUE, TRUE);
	drain();
	ok = ok && CHECK(nacknowledged == 2) && CHECK(writes == 3) && CHECK(store[6][0] == 0x50) &&
	     CHECK(nkcalls == 1) && CHECK(kcalls[0].kind == K_RETURNED) &&
	     CHECK(kcalls[0].control == control) && CHECK(kcalls[0].offset == 6 * 4096) &&
	     CHECK(kcalls[0].size == 4096) && CHECK(kcalls[0].error == KERN_SUCCESS) &&
	     CHECK(stats().data_returns == 2) && CHECK(fake_regions_live() == 0);
	pager_server_set_hooks(&server, NULL);
	return done() && ok;
}

static bool hooks_all_null_change_nothing(void)
{
	bool ok = fresh(false);

	hook(&no_hooks);
	memory_object_init(port, control, PAGER_PAGE_SIZE);
	memory_object_data_request(port, 5 * 4096, 2 * 4096, VM_PROT_READ);
	memory_object_data_return(port, control, 3 * 4096, returned(1, 0x70), 4096, TRUE, TRUE);
	drain();
	ok = ok && CHECK(nkcalls == 4) && CHECK(kcalls[0].kind == K_READY) &&
	     supplied(1, 5 * 4096, 5) && supplied(2, 6 * 4096, 6) &&
	     CHECK(kcalls[3].kind == K_RETURNED) && CHECK(kcalls[3].offset == 3 * 4096) &&
	     CHECK(kcalls[3].error == KERN_SUCCESS) && CHECK(writes == 1) &&
	     CHECK(store[3][0] == 0x70) && CHECK(stats().inits == 1) &&
	     CHECK(stats().data_requests == 1) && CHECK(stats().data_returns == 1) &&
	     CHECK(stats().refused == 0) && CHECK(fake_regions_live() == 0);
	pager_server_set_hooks(&server, NULL);
	return done() && ok;
}

const struct pager_test hook_tests[] = {
	T(data_request_not_taken_is_dropped_and_the_next_served),
	T(data_unlock_not_taken_is_dropped),
	T(init_not_taken_leaves_the_object_without_a_cache),
	T(data_return_not_taken_is_not_written_and_its_memory_freed),
	T(supply_names_the_offset_supply_at_gives),
	T(data_return_not_acknowledged_is_stored_without_return_completed),
	T(hooks_all_null_change_nothing),
};
const unsigned hook_tests_count = sizeof(hook_tests) / sizeof(hook_tests[0]);
