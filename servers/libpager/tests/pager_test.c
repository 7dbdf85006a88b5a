/*
 * libpager on the host, against a pretend kernel (fake_mach.c): the
 * kernel's messages are sent with the generated kernel-side stubs of
 * memory_object.defs and notify.defs, libpager's answers are decoded by
 * the generated demux of memory_object_control.defs into the kernel
 * functions below, which log them.  Each test drives one exchange and
 * checks what libpager answered, what it called back, which rights it
 * kept and that it freed every region.  Prints TAP; built with ASan and
 * UBSan (servers/servers.mk), run by `make test`.
 */
#include <memory_object_controlServer.h>
#include <stdlib.h>

#include "pager_test.h"

/* ---- the kernel's log ---- */

struct kcall kcalls[256];
unsigned nkcalls;
/* What the kernel does when it receives a lock_request. */
static void (*on_lock)(const struct kcall *k);

static void klog(struct kcall k)
{
	if (nkcalls < 256)
		kcalls[nkcalls++] = k;
}

kern_return_t memory_object_control_S_data_supply(memory_object_control_t memory_control,
						  vm_offset_t offset, pointer_t data,
						  mach_msg_type_number_t dataCnt,
						  vm_prot_t lock_value, boolean_t precious)
{
	(void)precious;
	for (vm_size_t i = 0; i < dataCnt; i += PAGER_PAGE_SIZE)
		klog((struct kcall){ .kind = K_SUPPLY, .control = memory_control,
				     .offset = offset + i, .size = dataCnt,
				     .first_byte = ((const uint8_t *)data)[i],
				     .data = (const uint8_t *)data + i,
				     .lock_value = lock_value });
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_data_error(memory_object_control_t memory_control,
						 vm_offset_t offset, vm_size_t size,
						 kern_return_t error_value)
{
	klog((struct kcall){ .kind = K_ERROR, .control = memory_control, .offset = offset,
			     .size = size, .error = error_value });
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_data_unavailable(memory_object_control_t memory_control,
						       vm_offset_t offset, vm_size_t size)
{
	klog((struct kcall){ .kind = K_UNAVAILABLE, .control = memory_control, .offset = offset,
			     .size = size });
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_lock_request(memory_object_control_t memory_control,
						   vm_offset_t offset, vm_size_t size,
						   memory_object_return_t should_return,
						   boolean_t should_flush, vm_prot_t lock_value,
						   mach_port_t reply_to)
{
	struct kcall k = { .kind = K_LOCK, .control = memory_control, .offset = offset,
			   .size = size, .should_return = should_return, .flag = should_flush,
			   .lock_value = lock_value, .reply_to = reply_to };
	klog(k);
	if (on_lock != NULL)
		on_lock(&k);
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_change_attributes(memory_object_control_t memory_control,
							boolean_t may_cache,
							memory_object_copy_strategy_t copy_strategy,
							mach_port_t reply_to)
{
	(void)copy_strategy;
	(void)reply_to;
	klog((struct kcall){ .kind = K_CHANGE, .control = memory_control, .flag = may_cache });
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_ready(memory_object_control_t memory_control,
					    boolean_t may_cache,
					    memory_object_copy_strategy_t copy_strategy)
{
	klog((struct kcall){ .kind = K_READY, .control = memory_control, .flag = may_cache,
			     .error = copy_strategy });
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_destroy(memory_object_control_t memory_control,
					      kern_return_t reason)
{
	klog((struct kcall){ .kind = K_DESTROY, .control = memory_control, .error = reason });
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_return_completed(memory_object_control_t memory_control,
						       vm_offset_t offset, vm_size_t size,
						       kern_return_t result)
{
	klog((struct kcall){ .kind = K_RETURNED, .control = memory_control, .offset = offset,
			     .size = size, .error = result });
	return KERN_SUCCESS;
}

kern_return_t memory_object_control_S_get_attributes(memory_object_control_t memory_control,
						     boolean_t *object_ready, boolean_t *may_cache,
						     memory_object_copy_strategy_t *copy_strategy)
{
	(void)memory_control;
	*object_ready = *may_cache = FALSE;
	*copy_strategy = MEMORY_OBJECT_COPY_DELAY;
	return KERN_SUCCESS;
}

mach_msg_return_t mach_msg_send_from_kernel(mach_msg_header_t *msg, mach_msg_option_t option,
					    mach_msg_size_t send_size, mach_msg_timeout_t timeout)
{
	return mach_msg(msg, option | MACH_SEND_MSG, send_size, 0, MACH_PORT_NULL, timeout,
			MACH_PORT_NULL);
}

mach_msg_return_t mach_msg_rpc_from_kernel(mach_msg_header_t *msg, mach_msg_option_t option,
					   mach_msg_size_t send_size, mach_msg_size_t rcv_size,
					   mach_msg_timeout_t timeout)
{
	(void)msg, (void)option, (void)send_size, (void)rcv_size, (void)timeout;
	abort();
}

/* ---- the pager under test: PAGES pages, byte i of page p is p + 1 ---- */

uint8_t store[PAGES][4096] __attribute__((aligned(4096)));
static vm_offset_t failing_page = ~(vm_offset_t)0;   /* read_page refuses it */
static vm_offset_t unwritable_page = ~(vm_offset_t)0; /* write_page refuses it */
/* How read_page answers: copies into the page, or points at the store
 * (page p of the store for offset p, or for offset p the store page
 * pointed_page[p] when that is set), or at one byte past it. */
static enum { READ_COPY, READ_POINT, READ_POINT_UNALIGNED, READ_POINT_UNREADABLE } read_style;
static unsigned pointed_page[PAGES];
unsigned writes;
static unsigned terminations, releases;
static kern_return_t callback_lock_result, callback_destroy_result;
static struct pager_object *callback_object;

static kern_return_t read_page(void *cookie, vm_offset_t offset, void *page, const void **data)
{
	(void)cookie;
	if (callback_object != NULL) {
		callback_lock_result = pager_lock(callback_object, 0, PAGER_PAGE_SIZE,
						  MEMORY_OBJECT_RETURN_DIRTY, false, VM_PROT_NONE,
						  10);
		callback_destroy_result = pager_destroy(callback_object, KERN_ABORTED);
	}
	if (offset == failing_page)
		return KERN_NO_ACCESS;
	unsigned p = pointed_page[offset / 4096] ? pointed_page[offset / 4096] : offset / 4096;
	if (read_style == READ_POINT)
		*data = store[p];
	else if (read_style == READ_POINT_UNALIGNED)
		*data = &store[p][1];
	else if (read_style == READ_POINT_UNREADABLE)
		*data = fake_unreadable_page;
	else
		memcpy(page, store[offset / 4096], 4096);
	return KERN_SUCCESS;
}

static kern_return_t write_page(void *cookie, vm_offset_t offset, const void *page)
{
	(void)cookie;
	if (offset == unwritable_page)
		return KERN_RESOURCE_SHORTAGE;
	memcpy(store[offset / 4096], page, 4096);
	writes++;
	return KERN_SUCCESS;
}

static void terminated(void *cookie)
{
	(void)cookie;
	terminations++;
}

static void released(void *cookie)
{
	(void)cookie;
	releases++;
}

static const struct pager_ops ops = { read_page, write_page, terminated, released };

/* ---- the test's world ---- */

struct pager_server server;
struct pager_object *obj;
mach_port_t port, control;
static unsigned tests, failures;

bool check(bool cond, const char *expr, int line)
{
	if (!cond)
		printf("# line %d: failed: %s\n", line, expr);
	return cond;
}

/* Serves every message queued for the server's objects. */
void drain(void)
{
	while (pager_serve_one(&server, server.port_set, 0) == MACH_MSG_SUCCESS)
		;
}

struct pager_stats stats(void)
{
	struct pager_stats s;

	pager_get_stats(obj, &s);
	return s;
}

/* A fresh object and, with init, a kernel cache of it. */
bool fresh(bool init)
{
	nkcalls = 0;
	on_lock = NULL;
	writes = terminations = releases = 0;
	failing_page = unwritable_page = ~(vm_offset_t)0;
	read_style = READ_COPY;
	memset(pointed_page, 0, sizeof(pointed_page));
	fake_senders_elsewhere = false;
	for (unsigned p = 0; p < PAGES; p++)
		memset(store[p], p + 1, 4096);
	if (!CHECK(pager_create(&server, &ops, NULL, PAGES * 4096, false, &obj, &port) ==
		   KERN_SUCCESS))
		return false;
	control = fake_control_port();
	if (!init)
		return true;
	memory_object_init(port, control, PAGER_PAGE_SIZE);
	drain();
	nkcalls--;   /* the ready */
	return CHECK(kcalls[0].kind == K_READY) && CHECK(kcalls[0].control == control);
}

/*
 * The client drops the send right pager_create gave it.  (Here it is in
 * the pager's own space, where it would keep the object alive: a real
 * client holds it in its own.)
 */
static void drop_client_right(mach_port_t object)
{
	if (fake_urefs(object, MACH_PORT_RIGHT_SEND) != 0)
		mach_port_deallocate(mach_task_self(), object);
}

/* The object goes (the client's right and no-senders), and nothing leaks. */
bool done(void)
{
	unsigned before = releases;
	bool ok = true;

	if (pager_lookup(port) == obj) {
		drop_client_right(port);
		mach_notify_no_senders(port, 1);
		drain();
		ok &= CHECK(pager_lookup(port) == NULL) && CHECK(releases == before + 1);
	}
	ok &= CHECK(!fake_has(port, MACH_PORT_TYPE_RECEIVE)) && CHECK(fake_regions_live() == 0);
	return ok;
}

bool supplied(unsigned i, vm_offset_t offset, unsigned page)
{
	return CHECK(i < nkcalls) && CHECK(kcalls[i].kind == K_SUPPLY) &&
	       CHECK(kcalls[i].offset == offset) && CHECK(kcalls[i].first_byte == page + 1) &&
	       CHECK(kcalls[i].control == control) && CHECK(kcalls[i].lock_value == VM_PROT_NONE);
}

/* ---- the tests ---- */

static bool init_is_answered_with_ready(void)
{
	bool ok = fresh(true) && CHECK(kcalls[0].flag == FALSE) &&
		  CHECK(kcalls[0].error == MEMORY_OBJECT_COPY_DELAY) && CHECK(stats().inits == 1) &&
		  CHECK(fake_has(control, MACH_PORT_TYPE_SEND)) &&
		  CHECK(fake_set_of(port) == server.port_set) && CHECK(fake_nsrequest(port));
	return done() && ok;
}

static bool second_init_while_cached_is_refused(void)
{
	bool ok = fresh(true);
	mach_port_t other = fake_control_port();

	memory_object_init(port, other, PAGER_PAGE_SIZE);
	drain();
	ok = ok && CHECK(nkcalls == 0) && CHECK(stats().inits == 1) &&
	     CHECK(stats().refused == 1) && CHECK(!fake_has(other, MACH_PORT_TYPE_SEND));
	return done() && ok;
}

static bool init_naming_a_port_of_the_pagers_as_control_is_refused(void)
{
	bool ok = fresh(false);

	memory_object_init(port, port, PAGER_PAGE_SIZE);
	drain();
	ok = ok && CHECK(nkcalls == 0) && CHECK(stats().inits == 0) &&
	     CHECK(fake_has(port, MACH_PORT_TYPE_RECEIVE)) && CHECK(fake_urefs(port, 0) == 1);
	memory_object_init(port, control, 8192);   /* not the page size */
	drain();
	ok = ok && CHECK(nkcalls == 0) && CHECK(stats().refused == 2);
	return done() && ok;
}

static bool data_request_is_supplied_from_read_page(void)
{
	bool ok = fresh(true);

	memory_object_data_request(port, 5 * 4096, 3 * 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(nkcalls == 3) && supplied(0, 5 * 4096, 5) && supplied(1, 6 * 4096, 6) &&
	     supplied(2, 7 * 4096, 7) && CHECK(kcalls[0].size == 3 * 4096) &&
	     CHECK(stats().data_requests == 1) && CHECK(stats().pages_supplied == 3);
	return done() && ok;
}

static bool pages_read_in_place_are_supplied_from_there(void)
{
	bool ok = fresh(true);

	read_style = READ_POINT;
	memory_object_data_request(port, 5 * 4096, 3 * 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(nkcalls == 3) && supplied(0, 5 * 4096, 5) && supplied(2, 7 * 4096, 7) &&
	     CHECK(kcalls[0].size == 3 * 4096) && CHECK(kcalls[0].data == store[5]) &&
	     CHECK(kcalls[2].data == store[7]);
	return done() && ok;
}

static bool pages_in_place_apart_go_in_separate_supplies(void)
{
	bool ok = fresh(true);

	read_style = READ_POINT;
	pointed_page[1] = 9;   /* offset 4096 lies at store page 9 */
	memory_object_data_request(port, 0, 3 * 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(nkcalls == 3) && supplied(0, 0, 0) && CHECK(kcalls[0].size == 4096) &&
	     supplied(1, 4096, 9) && CHECK(kcalls[1].size == 4096) &&
	     CHECK(kcalls[1].data == store[9]) && supplied(2, 2 * 4096, 2) &&
	     CHECK(kcalls[2].size == 4096) && CHECK(stats().pages_supplied == 3);
	return done() && ok;
}

static bool unaligned_page_in_place_is_copied(void)
{
	bool ok = fresh(true);

	read_style = READ_POINT_UNALIGNED;
	memory_object_data_request(port, 4 * 4096, 2 * 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(nkcalls == 2) && supplied(0, 4 * 4096, 4) && supplied(1, 5 * 4096, 5) &&
	     CHECK(kcalls[0].size == 2 * 4096) &&
	     CHECK((uintptr_t)kcalls[0].data % 4096 == 0) && CHECK(kcalls[0].data != store[4]);
	return done() && ok;
}

static bool unreadable_page_in_place_is_a_memory_error(void)
{
	bool ok = fresh(true);

	read_style = READ_POINT_UNREADABLE;
	memory_object_data_request(port, 3 * 4096, 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(nkcalls == 1) && CHECK(kcalls[0].kind == K_ERROR) &&
	     CHECK(kcalls[0].offset == 3 * 4096) && CHECK(kcalls[0].size == 4096) &&
	     CHECK(kcalls[0].error == KERN_MEMORY_ERROR) && CHECK(stats().pages_supplied == 0) &&
	     CHECK(stats().pages_failed == 1);
	return done() && ok;
}

/* pager_serve sends a request's last supply with its next receive; the
 * pretend queue then runs dry and the loop returns MACH_RCV_TIMED_OUT. */
static bool receive_loop_sends_last_supply_with_its_next_receive(void)
{
	bool ok = fresh(true);
	unsigned before = fake_send_receives;

	memory_object_data_request(port, 5 * 4096, 2 * 4096, VM_PROT_READ);
	memory_object_data_request(port, 9 * 4096, 4096, VM_PROT_READ);
	ok = ok && CHECK(pager_serve(&server) == MACH_RCV_TIMED_OUT) && CHECK(nkcalls == 3) &&
	     supplied(0, 5 * 4096, 5) && supplied(1, 6 * 4096, 6) && supplied(2, 9 * 4096, 9) &&
	     CHECK(fake_send_receives == before + 2) && CHECK(stats().pages_supplied == 3);
	return done() && ok;
}

/* The combined call's send fails for unreadable data: the loop answers
 * with data_error, as the plain send's caller does, and goes on. */
static bool receive_loop_answers_unreadable_supply_with_data_error(void)
{
	bool ok = fresh(true);
	unsigned before = fake_send_receives;

	read_style = READ_POINT_UNREADABLE;
	memory_object_data_request(port, 3 * 4096, 4096, VM_PROT_READ);
	ok = ok && CHECK(pager_serve(&server) == MACH_RCV_TIMED_OUT) &&
	     CHECK(fake_send_receives == before + 1) && CHECK(nkcalls == 1) &&
	     CHECK(kcalls[0].kind == K_ERROR) && CHECK(kcalls[0].offset == 3 * 4096) &&
	     CHECK(kcalls[0].error == KERN_MEMORY_ERROR) && CHECK(stats().pages_supplied == 0) &&
	     CHECK(stats().pages_failed == 1);
	return done() && ok;
}

static bool long_data_request_is_supplied_in_chunks(void)
{
	bool ok = fresh(true);

	memory_object_data_request(port, 0, 20 * 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(nkcalls == 20) && CHECK(kcalls[0].size == 16 * 4096) &&
	     CHECK(kcalls[16].size == 4 * 4096) && supplied(19, 19 * 4096, 19);
	return done() && ok;
}

static bool request_beyond_the_object_gets_data_error(void)
{
	bool ok = fresh(true);

	memory_object_data_request(port, (PAGES - 1) * 4096, 3 * 4096, VM_PROT_READ);
	memory_object_data_request(port, 1000 * 4096, 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(nkcalls == 3) && supplied(0, (PAGES - 1) * 4096, PAGES - 1) &&
	     CHECK(kcalls[1].kind == K_ERROR) && CHECK(kcalls[1].offset == PAGES * 4096) &&
	     CHECK(kcalls[1].size == 2 * 4096) && CHECK(kcalls[1].error == KERN_MEMORY_ERROR) &&
	     CHECK(kcalls[2].kind == K_ERROR) && CHECK(kcalls[2].offset == 1000 * 4096) &&
	     CHECK(kcalls[2].size == 4096);
	return done() && ok;
}

static bool read_page_error_fails_only_that_page(void)
{
	bool ok = fresh(true);

	failing_page = 4096;
	memory_object_data_request(port, 0, 3 * 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(nkcalls == 3) && supplied(0, 0, 0) && CHECK(kcalls[0].size == 4096) &&
	     CHECK(kcalls[1].kind == K_ERROR) && CHECK(kcalls[1].offset == 4096) &&
	     CHECK(kcalls[1].error == KERN_NO_ACCESS) && supplied(2, 2 * 4096, 2) &&
	     CHECK(stats().pages_failed == 1);
	return done() && ok;
}

static bool malformed_requests_are_refused(void)
{
	bool ok = fresh(true);

	memory_object_data_request(port, 100, 4096, VM_PROT_READ);
	memory_object_data_request(port, 0, 0, VM_PROT_READ);
	memory_object_data_request(port, 0, 100, VM_PROT_READ);
	memory_object_data_request(port, ~(vm_offset_t)4095, 8192, VM_PROT_READ);
	memory_object_data_request(port, 0, 4096, 0x100);
	memory_object_data_unlock(port, 4096, 0, VM_PROT_WRITE);
	drain();
	ok = ok && CHECK(nkcalls == 0) && CHECK(stats().refused == 6) &&
	     CHECK(stats().data_requests == 0) && CHECK(fake_urefs(control, 0) == 1);
	return done() && ok;
}

/* A region as the kernel returns pages: page i filled with fill + i. */
vm_offset_t returned(unsigned pages, uint8_t fill)
{
	uint8_t *data = fake_region(pages * 4096);

	for (unsigned i = 0; i < pages; i++)
		memset(data + i * 4096, fill + i, 4096);
	return (vm_offset_t)data;
}

static bool data_return_is_written_and_its_memory_freed(void)
{
	bool ok = fresh(true);

	memory_object_data_return(port, control, 3 * 4096, returned(2, 0x70), 2 * 4096, TRUE,
				  FALSE);
	drain();
	ok = ok && CHECK(writes == 2) && CHECK(store[3][0] == 0x70) &&
	     CHECK(store[4][4095] == 0x71) &&
	     CHECK(store[5][0] == 6) && CHECK(fake_regions_live() == 0) &&
	     CHECK(stats().data_returns == 1) && CHECK(stats().pages_written == 2);
	return done() && ok;
}

static bool clean_data_return_is_not_written(void)
{
	bool ok = fresh(true);

	memory_object_data_return(port, control, 0, returned(1, 0x70), 4096, FALSE, TRUE);
	drain();
	ok = ok && CHECK(writes == 0) && CHECK(store[0][0] == 1) && CHECK(fake_regions_live() == 0) &&
	     CHECK(nkcalls == 1) && CHECK(kcalls[0].kind == K_RETURNED) &&
	     CHECK(kcalls[0].error == KERN_SUCCESS);
	return done() && ok;
}

static bool data_return_the_kernel_kept_is_answered_once_stored(void)
{
	bool ok = fresh(true);

	memory_object_data_return(port, control, 3 * 4096, returned(2, 0x70), 2 * 4096, TRUE,
				  TRUE);
	drain();
	ok = ok && CHECK(writes == 2) && CHECK(store[4][0] == 0x71) && CHECK(nkcalls == 1) &&
	     CHECK(kcalls[0].kind == K_RETURNED) && CHECK(kcalls[0].control == control) &&
	     CHECK(kcalls[0].offset == 3 * 4096) && CHECK(kcalls[0].size == 2 * 4096) &&
	     CHECK(kcalls[0].error == KERN_SUCCESS) && CHECK(fake_regions_live() == 0);
	return done() && ok;
}

static bool data_return_not_stored_is_answered_with_the_error(void)
{
	bool ok = fresh(true);

	unwritable_page = 4 * 4096;
	memory_object_data_return(port, control, 3 * 4096, returned(3, 0x70), 3 * 4096, TRUE,
				  TRUE);
	drain();
	ok = ok && CHECK(writes == 2) && CHECK(store[5][0] == 0x72) && CHECK(nkcalls == 1) &&
	     CHECK(kcalls[0].kind == K_RETURNED) && CHECK(kcalls[0].size == 3 * 4096) &&
	     CHECK(kcalls[0].error == KERN_RESOURCE_SHORTAGE) &&
	     CHECK(stats().write_errors == 1) && CHECK(fake_regions_live() == 0);
	return done() && ok;
}

static bool data_return_outside_the_object_is_refused_and_freed(void)
{
	bool ok = fresh(true);

	memory_object_data_return(port, control, (PAGES - 1) * 4096, returned(2, 0x70), 2 * 4096,
				  TRUE, FALSE);
	memory_object_data_return(port, control, 4096, returned(1, 0x70), 100, TRUE, FALSE);
	drain();
	ok = ok && CHECK(writes == 0) && CHECK(fake_regions_live() == 0) &&
	     CHECK(stats().refused == 2) && CHECK(fake_urefs(control, 0) == 1);
	return done() && ok;
}

static bool messages_naming_another_control_port_are_refused(void)
{
	bool ok = fresh(true);
	mach_port_t forger = fake_control_port();

	memory_object_data_return(port, forger, 0, returned(1, 0x70), 4096, TRUE, FALSE);
	memory_object_lock_completed(port, MACH_MSG_TYPE_MAKE_SEND_ONCE, forger, 0, 4096);
	memory_object_terminate(port, forger);
	drain();
	ok = ok && CHECK(nkcalls == 0) && CHECK(writes == 0) && CHECK(terminations == 0) &&
	     CHECK(stats().refused == 3) && CHECK(!fake_has(forger, MACH_PORT_TYPE_SEND)) &&
	     CHECK(fake_regions_live() == 0);
	return done() && ok;
}

static bool messages_before_init_are_refused(void)
{
	bool ok = fresh(false);

	memory_object_data_request(port, 0, 4096, VM_PROT_READ);
	memory_object_data_return(port, control, 0, returned(1, 0x70), 4096, TRUE, FALSE);
	drain();
	ok = ok && CHECK(nkcalls == 0) && CHECK(writes == 0) && CHECK(stats().refused == 2) &&
	     CHECK(!fake_has(control, MACH_PORT_TYPE_SEND));
	return done() && ok;
}

/* The kernel's answer to a lock_request: page 0 back (dirty), then done. */
static void return_page_and_complete(const struct kcall *k)
{
	memory_object_data_return(port, control, 0, returned(1, 0x42), 4096, TRUE, FALSE);
	memory_object_lock_completed(k->reply_to, MACH_MSG_TYPE_MOVE_SEND_ONCE, control, k->offset,
				     k->size);
}

static bool lock_returns_after_the_returned_pages_are_stored(void)
{
	bool ok = fresh(true);

	on_lock = return_page_and_complete;
	ok = ok && CHECK(pager_lock(obj, 0, 2 * 4096, MEMORY_OBJECT_RETURN_DIRTY, true,
				    VM_PROT_WRITE, 1000) == KERN_SUCCESS) &&
	     CHECK(writes == 1) && CHECK(store[0][0] == 0x42) && CHECK(nkcalls == 1) &&
	     CHECK(kcalls[0].kind == K_LOCK) && CHECK(kcalls[0].offset == 0) &&
	     CHECK(kcalls[0].size == 2 * 4096) &&
	     CHECK(kcalls[0].should_return == MEMORY_OBJECT_RETURN_DIRTY) &&
	     CHECK(kcalls[0].flag == TRUE) && CHECK(kcalls[0].lock_value == VM_PROT_WRITE) &&
	     CHECK(kcalls[0].reply_to == port) && CHECK(stats().locks_completed == 1) &&
	     CHECK(fake_set_of(port) == server.port_set);
	return done() && ok;
}

/* While it waits, the lock serves its own object and no other. */
static struct pager_object *other;
static mach_port_t other_port, other_control;

static void also_ask_the_other_object(const struct kcall *k)
{
	memory_object_data_request(other_port, 0, 4096, VM_PROT_READ);
	return_page_and_complete(k);
}

static bool lock_wait_serves_only_its_own_object(void)
{
	bool ok = fresh(true) &&
		  CHECK(pager_create(&server, &ops, NULL, 4096, false, &other, &other_port) ==
			KERN_SUCCESS);
	other_control = fake_control_port();
	memory_object_init(other_port, other_control, 4096);
	on_lock = also_ask_the_other_object;
	ok = ok && CHECK(pager_lock(obj, 0, 4096, MEMORY_OBJECT_RETURN_ALL, false, VM_PROT_NONE,
				    1000) == KERN_SUCCESS) &&
	     CHECK(fake_queued(other_port) == 2) && CHECK(writes == 1);
	drain();
	ok = ok && CHECK(fake_queued(other_port) == 0) && CHECK(nkcalls == 3) &&
	     CHECK(kcalls[1].kind == K_READY) && CHECK(kcalls[2].kind == K_SUPPLY);
	drop_client_right(other_port);
	mach_notify_no_senders(other_port, 1);
	drain();
	ok = ok && CHECK(pager_lookup(other_port) == NULL);
	return done() && ok;
}

static bool lock_times_out_and_its_late_answer_completes_no_other(void)
{
	bool ok = fresh(true);

	ok = ok && CHECK(pager_lock(obj, 0, 4096, MEMORY_OBJECT_RETURN_DIRTY, false, VM_PROT_NONE,
				    50) == KERN_OPERATION_TIMED_OUT);
	/* The late answer arrives first, then the second lock's own. */
	memory_object_lock_completed(port, MACH_MSG_TYPE_MAKE_SEND_ONCE, control, 0, 4096);
	on_lock = return_page_and_complete;
	ok = ok && CHECK(pager_lock(obj, 0, 4096, MEMORY_OBJECT_RETURN_DIRTY, false, VM_PROT_NONE,
				    1000) == KERN_SUCCESS) &&
	     CHECK(writes == 1) && CHECK(stats().refused == 0) && CHECK(fake_queued(port) == 0);
	return done() && ok;
}

static void refuse_the_lock(const struct kcall *k)
{
	mach_notify_send_once(k->reply_to);   /* its reply right destroyed unused */
}

static bool lock_the_kernel_refuses_is_aborted(void)
{
	bool ok = fresh(true);

	on_lock = refuse_the_lock;
	ok = ok && CHECK(pager_lock(obj, 0, 4096, MEMORY_OBJECT_RETURN_DIRTY, false, VM_PROT_NONE,
				    1000) == KERN_ABORTED) &&
	     CHECK(pager_lookup(port) == obj);
	return done() && ok;
}

static void complete_by_a_send_right_first(const struct kcall *k)
{
	memory_object_lock_completed(port, MACH_MSG_TYPE_COPY_SEND, control, k->offset, k->size);
	memory_object_lock_completed(k->reply_to, MACH_MSG_TYPE_MOVE_SEND_ONCE, control,
				     k->offset, k->size);
}

static bool lock_completed_not_through_a_send_once_right_is_refused(void)
{
	bool ok = fresh(true);

	on_lock = complete_by_a_send_right_first;
	ok = ok && CHECK(pager_lock(obj, 0, 4096, MEMORY_OBJECT_RETURN_NONE, false, VM_PROT_NONE,
				    1000) == KERN_SUCCESS) &&
	     CHECK(stats().refused == 1) && CHECK(stats().locks_completed == 1);
	return done() && ok;
}

static bool lock_checks_its_arguments_and_needs_no_cache(void)
{
	bool ok = fresh(false);

	ok = ok &&
	     CHECK(pager_lock(obj, 100, 4096, 0, false, 0, 10) == KERN_INVALID_ARGUMENT) &&
	     CHECK(pager_lock(obj, 0, 0, 0, false, 0, 10) == KERN_INVALID_ARGUMENT) &&
	     CHECK(pager_lock(obj, 0, (PAGES + 1) * 4096, 0, false, 0, 10) ==
		   KERN_INVALID_ARGUMENT) &&
	     CHECK(pager_lock(obj, 0, 4096, 3, false, 0, 10) == KERN_INVALID_VALUE) &&
	     CHECK(pager_lock(obj, 0, 4096, 0, false, 0x10, 10) == KERN_INVALID_VALUE) &&
	     CHECK(pager_lock(obj, 0, 4096, 0, true, 0, 10) == KERN_SUCCESS) &&
	     CHECK(nkcalls == 0);
	return done() && ok;
}

static bool terminate_ends_the_cache_and_a_new_init_is_accepted(void)
{
	bool ok = fresh(true);

	memory_object_terminate(port, control);
	drain();
	ok = ok && CHECK(terminations == 1) && CHECK(!fake_has(control, MACH_PORT_TYPE_SEND)) &&
	     CHECK(stats().terminates == 1);
	control = fake_control_port();
	memory_object_init(port, control, 4096);
	memory_object_data_request(port, 0, 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(nkcalls == 2) && CHECK(kcalls[0].kind == K_READY) && supplied(1, 0, 0);
	return done() && ok;
}

/* The kernel destroyed the control port before its last messages were
 * received: they carry a dead right, and are still the cache's. */
static bool last_messages_of_a_dead_cache_are_accepted(void)
{
	bool ok = fresh(true);

	fake_kill(control);
	memory_object_data_return(port, control, 0, returned(1, 0x33), 4096, TRUE, FALSE);
	memory_object_terminate(port, control);
	drain();
	ok = ok && CHECK(writes == 1) && CHECK(store[0][0] == 0x33) && CHECK(terminations == 1) &&
	     CHECK(!fake_has(control, MACH_PORT_TYPE_DEAD_NAME)) && CHECK(stats().refused == 0);
	return done() && ok;
}

/* The kernel's cache ended before the pager received its init (the
 * object mapped and unmapped at once): init and terminate come dead,
 * and end nothing; a later cache is served. */
static bool cache_dead_before_its_init_ends_quietly(void)
{
	bool ok = fresh(false);

	fake_kill(control);
	memory_object_init(port, control, PAGER_PAGE_SIZE);
	memory_object_terminate(port, control);
	drain();
	ok = ok && CHECK(nkcalls == 0) && CHECK(stats().refused == 0) &&
	     CHECK(stats().inits == 0) && CHECK(terminations == 0) &&
	     CHECK(!fake_has(control, MACH_PORT_TYPE_DEAD_NAME));
	control = fake_control_port();
	memory_object_init(port, control, PAGER_PAGE_SIZE);
	memory_object_data_request(port, 0, 4096, VM_PROT_READ);
	drain();
	ok = ok && CHECK(nkcalls == 2) && CHECK(kcalls[0].kind == K_READY) && supplied(1, 0, 0);
	return done() && ok;
}

static bool lock_on_a_dying_cache_waits_for_its_terminate(void)
{
	bool ok = fresh(true);

	fake_kill(control);
	memory_object_data_return(port, control, 0, returned(1, 0x34), 4096, TRUE, FALSE);
	memory_object_terminate(port, control);
	ok = ok && CHECK(pager_lock(obj, 0, 4096, MEMORY_OBJECT_RETURN_DIRTY, true, VM_PROT_NONE,
				    1000) == KERN_SUCCESS) &&
	     CHECK(store[0][0] == 0x34) && CHECK(terminations == 1);
	return done() && ok;
}

static bool no_senders_releases_the_object(void)
{
	bool ok = fresh(true);

	drop_client_right(port);
	mach_notify_no_senders(port, 1);
	drain();
	ok = ok && CHECK(releases == 1) && CHECK(pager_lookup(port) == NULL) &&
	     CHECK(!fake_has(control, MACH_PORT_TYPE_SEND));
	return done() && ok;
}

static bool stale_no_senders_is_ignored(void)
{
	bool ok = fresh(false);

	drop_client_right(port);
	fake_senders_elsewhere = true;
	mach_notify_no_senders(port, 1);
	drain();
	ok = ok && CHECK(releases == 0) && CHECK(pager_lookup(port) == obj);
	fake_senders_elsewhere = false;
	return done() && ok;
}

static bool lock_and_destroy_are_refused_in_callbacks(void)
{
	bool ok = fresh(true);

	callback_object = obj;
	memory_object_data_request(port, 0, 4096, VM_PROT_READ);
	drain();
	callback_object = NULL;
	ok = ok && CHECK(callback_lock_result == KERN_FAILURE) &&
	     CHECK(callback_destroy_result == KERN_FAILURE) && CHECK(pager_lookup(port) == obj) &&
	     supplied(0, 0, 0);
	return done() && ok;
}

static bool control_references_are_dropped_in_batches(void)
{
	bool ok = fresh(true);

	for (unsigned i = 0; i < 3000; i++) {
		memory_object_data_request(port, 0, 4096, VM_PROT_READ);
		drain();
	}
	ok = ok && CHECK(fake_urefs(control, MACH_PORT_RIGHT_SEND) <= 1025) &&
	     CHECK(stats().data_requests == 3000);
	return done() && ok;
}

static bool destroy_tells_the_kernel_and_releases(void)
{
	bool ok = fresh(true);

	ok = ok && CHECK(pager_destroy(obj, KERN_MEMORY_FAILURE) == KERN_SUCCESS) &&
	     CHECK(nkcalls == 1) && CHECK(kcalls[0].kind == K_DESTROY) &&
	     CHECK(kcalls[0].error == KERN_MEMORY_FAILURE) && CHECK(releases == 1) &&
	     CHECK(pager_lookup(port) == NULL) && CHECK(!fake_has(control, MACH_PORT_TYPE_SEND));
	return done() && ok;
}

static bool data_unlock_is_granted(void)
{
	bool ok = fresh(true);

	memory_object_data_unlock(port, 4096, 4096, VM_PROT_WRITE);
	drain();
	ok = ok && CHECK(nkcalls == 1) && CHECK(kcalls[0].kind == K_LOCK) &&
	     CHECK(kcalls[0].offset == 4096) &&
	     CHECK(kcalls[0].should_return == MEMORY_OBJECT_RETURN_NONE) &&
	     CHECK(kcalls[0].flag == FALSE) && CHECK(kcalls[0].lock_value == VM_PROT_NONE) &&
	     CHECK(kcalls[0].reply_to == MACH_PORT_NULL) && CHECK(stats().unlocks == 1);
	return done() && ok;
}

static bool unexpected_messages_are_refused(void)
{
	bool ok = fresh(true);
	mach_msg_header_t junk = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, 0),
				   .msgh_size = sizeof(junk), .msgh_remote_port = port,
				   .msgh_id = 9999 };

	memory_object_change_completed(port, MACH_MSG_TYPE_MAKE_SEND_ONCE, TRUE,
				       MEMORY_OBJECT_COPY_DELAY);
	mach_msg(&junk, MACH_SEND_MSG, sizeof(junk), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	drain();
	ok = ok && CHECK(stats().refused == 2) && CHECK(nkcalls == 0);
	return done() && ok;
}

/* No-senders on a port the pager added: its hook, checked as an object's. */
static mach_port_t gone_port;
static unsigned gone_calls;

static void added_port_gone(mach_port_t p)
{
	gone_port = p;
	gone_calls++;
}

static bool no_senders_on_an_added_port_calls_the_hook(void)
{
	mach_port_t added;
	bool ok = fresh(false) &&
		  CHECK(mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &added) ==
			KERN_SUCCESS) &&
		  CHECK(pager_server_add_port(&server, added) == KERN_SUCCESS);
	/* A client's, through a send right: a no-senders request's layout. */
	struct {
		mach_msg_header_t h;
		natural_t mscount;
		uint8_t pad[4];
	} forged = { .h = { .msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_MAKE_SEND, 0),
			    .msgh_size = sizeof(forged), .msgh_remote_port = added,
			    .msgh_id = MACH_NOTIFY_NO_SENDERS },
		     .mscount = 1 };

	gone_calls = 0;
	mach_notify_no_senders(added, 1);   /* no hook yet: refused */
	drain();
	pager_server_set_no_senders(&server, added_port_gone);
	fake_senders_elsewhere = true;      /* stale: asked for again */
	mach_notify_no_senders(added, 1);
	drain();
	ok = ok && CHECK(gone_calls == 0);
	fake_senders_elsewhere = false;
	mach_msg(&forged.h, MACH_SEND_MSG, sizeof(forged), 0, MACH_PORT_NULL, 0, MACH_PORT_NULL);
	drain();
	ok = ok && CHECK(gone_calls == 0);
	mach_notify_no_senders(added, 1);
	drain();
	ok = ok && CHECK(gone_calls == 1) && CHECK(gone_port == added);
	pager_server_set_no_senders(&server, NULL);
	mach_port_destroy(mach_task_self(), added);
	return done() && ok;
}

static const struct pager_test all[] = {
	T(init_is_answered_with_ready),
	T(second_init_while_cached_is_refused),
	T(init_naming_a_port_of_the_pagers_as_control_is_refused),
	T(data_request_is_supplied_from_read_page),
	T(pages_read_in_place_are_supplied_from_there),
	T(pages_in_place_apart_go_in_separate_supplies),
	T(unaligned_page_in_place_is_copied),
	T(unreadable_page_in_place_is_a_memory_error),
	T(receive_loop_sends_last_supply_with_its_next_receive),
	T(receive_loop_answers_unreadable_supply_with_data_error),
	T(long_data_request_is_supplied_in_chunks),
	T(request_beyond_the_object_gets_data_error),
	T(read_page_error_fails_only_that_page),
	T(malformed_requests_are_refused),
	T(data_return_is_written_and_its_memory_freed),
	T(clean_data_return_is_not_written),
	T(data_return_the_kernel_kept_is_answered_once_stored),
	T(data_return_not_stored_is_answered_with_the_error),
	T(data_return_outside_the_object_is_refused_and_freed),
	T(messages_naming_another_control_port_are_refused),
	T(messages_before_init_are_refused),
	T(lock_returns_after_the_returned_pages_are_stored),
	T(lock_wait_serves_only_its_own_object),
	T(lock_times_out_and_its_late_answer_completes_no_other),
	T(lock_the_kernel_refuses_is_aborted),
	T(lock_completed_not_through_a_send_once_right_is_refused),
	T(lock_checks_its_arguments_and_needs_no_cache),
	T(terminate_ends_the_cache_and_a_new_init_is_accepted),
	T(last_messages_of_a_dead_cache_are_accepted),
	T(cache_dead_before_its_init_ends_quietly),
	T(lock_on_a_dying_cache_waits_for_its_terminate),
	T(no_senders_releases_the_object),
	T(stale_no_senders_is_ignored),
	T(no_senders_on_an_added_port_calls_the_hook),
	T(lock_and_destroy_are_refused_in_callbacks),
	T(control_references_are_dropped_in_batches),
	T(destroy_tells_the_kernel_and_releases),
	T(data_unlock_is_granted),
	T(unexpected_messages_are_refused),
};

static void run(const struct pager_test *group, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		bool ok = group[i].run();
		tests++;
		failures += !ok;
		printf("%s %u - libpager_%s\n", ok ? "ok" : "not ok", tests, group[i].name);
	}
}

int main(void)
{
	if (pager_server_init(&server, NULL) != KERN_SUCCESS)
		return 1;
	run(all, sizeof(all) / sizeof(all[0]));
	run(hook_tests, hook_tests_count);
	printf("1..%u\n", tests);
	return failures != 0;
}
