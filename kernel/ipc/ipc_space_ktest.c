/* Self-tests of port name spaces. */
#include "ipc/ipc_space.h"
#include "kern/kalloc.h"
#include "kern/ktest.h"

static int tag;   /* a stand-in object */

KTEST(ipc_space, ipc_space_names_are_never_null_and_look_up_their_entry)
{
	struct ipc_space *space;
	struct ipc_entry *e;
	mach_port_name_t name;

	if (!KEXPECT_EQ(ipc_space_create(&space), KERN_SUCCESS))
		return;
	if (!KEXPECT_EQ(ipc_entry_alloc_locked(space, &name, &e), KERN_SUCCESS)) {
		ipc_space_destroy(space);
		return;
	}
	e->bits = IPC_ENTRY_RECEIVE;
	e->object = &tag;
	KEXPECT(name != MACH_PORT_NAME_NULL && name != MACH_PORT_NAME_DEAD);
	KEXPECT(ipc_entry_lookup_locked(space, name) == e);
	KEXPECT_EQ(ipc_entry_find_object_locked(space, &tag, IPC_ENTRY_RECEIVE), name);
	KEXPECT(ipc_entry_lookup_locked(space, MACH_PORT_NAME_NULL) == NULL);
	KEXPECT(ipc_entry_lookup_locked(space, MACH_PORT_NAME_DEAD) == NULL);
	KEXPECT(ipc_entry_lookup_locked(space, name + 1) == NULL);   /* wrong generation */
	ipc_entry_free_locked(space, name);
	KEXPECT_EQ(space->in_use, 0);
	ipc_space_destroy(space);
}

KTEST(ipc_space, ipc_space_stale_name_never_reaches_a_new_entry)
{
	struct ipc_space *space;
	struct ipc_entry *e;
	mach_port_name_t first, name;

	if (!KEXPECT_EQ(ipc_space_create(&space), KERN_SUCCESS))
		return;
	if (!KEXPECT_EQ(ipc_entry_alloc_locked(space, &first, &e), KERN_SUCCESS)) {
		ipc_space_destroy(space);
		return;
	}
	e->bits = IPC_ENTRY_SEND;
	ipc_entry_free_locked(space, first);
	/* Until every other index has been used, the freed one waits;
	 * when it comes back, it has a new generation. */
	bool reused = false, stale_hit = false;
	for (int i = 0; i < 3 * IPC_SPACE_INITIAL && !reused; i++) {
		if (!KEXPECT_EQ(ipc_entry_alloc_locked(space, &name, &e), KERN_SUCCESS))
			break;
		e->bits = IPC_ENTRY_SEND;
		reused = IPC_NAME_INDEX(name) == IPC_NAME_INDEX(first);
		if (reused) {
			KEXPECT(i >= IPC_SPACE_INITIAL - 2);
			stale_hit = ipc_entry_lookup_locked(space, first) != NULL;
		}
		ipc_entry_free_locked(space, name);
	}
	KEXPECT(reused);
	KEXPECT(!stale_hit);
	ipc_space_destroy(space);
}

KTEST(ipc_space, ipc_space_grows_to_its_limit_then_reports_no_space)
{
	struct ipc_space *space;
	struct ipc_entry *e = NULL;
	mach_port_name_t name = MACH_PORT_NAME_NULL;
	uint64_t heap = kalloc_stats.bytes_in_use;
	uint32_t count = 0;
	kern_return_t kr;

	if (!KEXPECT_EQ(ipc_space_create(&space), KERN_SUCCESS))
		return;
	while ((kr = ipc_entry_alloc_locked(space, &name, &e)) == KERN_SUCCESS) {
		e->bits = IPC_ENTRY_SEND;
		e->object = &tag;
		count++;
	}
	KEXPECT_EQ(kr, KERN_NO_SPACE);
	KEXPECT_EQ(count, IPC_SPACE_MAX - 2);       /* neither index 0 nor the last */
	KEXPECT(ipc_entry_lookup_locked(space, name) == e);
	KEXPECT(name != MACH_PORT_NAME_DEAD);
	for (uint32_t i = 1; i < space->size; i++)
		if (space->table[i].bits != 0)
			ipc_entry_free_locked(space, ipc_entry_name(space, i));
	KEXPECT_EQ(space->in_use, 0);
	ipc_space_destroy(space);
	KEXPECT_EQ(kalloc_stats.bytes_in_use, heap);
}

KTEST(ipc_space, ipc_space_chosen_names_are_checked)
{
	struct ipc_space *space;
	struct ipc_entry *e;
	mach_port_name_t name;

	if (!KEXPECT_EQ(ipc_space_create(&space), KERN_SUCCESS))
		return;
	KEXPECT_EQ(ipc_entry_alloc_name_locked(space, MACH_PORT_NAME_NULL, &e),
		   KERN_INVALID_VALUE);
	KEXPECT_EQ(ipc_entry_alloc_name_locked(space, MACH_PORT_NAME_DEAD, &e),
		   KERN_INVALID_VALUE);
	KEXPECT_EQ(ipc_entry_alloc_name_locked(space, 0x7f, &e), KERN_INVALID_VALUE);
	/* Beyond the current table: it grows to hold the name. */
	KEXPECT_EQ(ipc_entry_alloc_name_locked(space, IPC_NAME(1000, 7), &e), KERN_SUCCESS);
	e->bits = IPC_ENTRY_RECEIVE;
	KEXPECT(ipc_entry_lookup_locked(space, IPC_NAME(1000, 7)) != NULL);
	KEXPECT_EQ(ipc_entry_alloc_name_locked(space, IPC_NAME(1000, 7), &e), KERN_NAME_EXISTS);
	KEXPECT_EQ(ipc_entry_alloc_name_locked(space, IPC_NAME(1000, 8), &e), KERN_NAME_EXISTS);
	/* A chosen index is off the free list: allocation never hands it out. */
	for (int i = 0; i < 2000; i++) {
		if (!KEXPECT_EQ(ipc_entry_alloc_locked(space, &name, &e), KERN_SUCCESS))
			break;
		e->bits = IPC_ENTRY_SEND;
		KEXPECT(IPC_NAME_INDEX(name) != 1000);
	}
	for (uint32_t i = 1; i < space->size; i++)
		if (space->table[i].bits != 0)
			ipc_entry_free_locked(space, ipc_entry_name(space, i));
	ipc_space_destroy(space);
}
