/*
 * Access by capability: a task acts on a kernel object exactly when it
 * holds a send right to the object's port.  A name is only a name in its
 * own task's space: an integer that names no right there reaches nothing
 * (MACH_SEND_INVALID_DEST), and neither does a dead name; a right to the
 * wrong kind of object is refused by the object's interface; the
 * privileged host port is the only way to the host's privileged routines.
 * A task loaded by host_boot_module_load holds no right to its parent,
 * and a right given to it is all it needs to control another task.
 */
#include "rights.h"

#include "handler.h"
#include "helpers.h"

/* Every task and thread routine with the name as its target. */
static bool reaches_nothing(mach_port_t name, kern_return_t want)
{
	static natural_t state[THREAD_STATE_MAX];
	struct task_basic_info task_info;
	struct thread_basic_info thread_info;
	mach_msg_type_number_t count = THREAD_STATE_MAX;
	task_t task = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	bool ok = true;

	ok &= CHECK_KR(get_task_info(name, &task_info), want);
	ok &= CHECK_KR(task_suspend(name), want);
	ok &= CHECK_KR(task_resume(name), want);
	ok &= CHECK_KR(task_terminate(name), want);
	ok &= CHECK_KR(task_create(name, FALSE, &task), want);
	ok &= CHECK_KR(thread_create(name, &thread), want);
	ok &= CHECK_KR(get_thread_info(name, &thread_info), want);
	ok &= CHECK_KR(thread_suspend(name), want);
	ok &= CHECK_KR(thread_resume(name), want);
	ok &= CHECK_KR(thread_priority(name, THREAD_PRIORITY_DEFAULT, FALSE), want);
	ok &= CHECK_KR(thread_get_state(name, X86_64_THREAD_STATE, state, &count), want);
	ok &= CHECK_KR(thread_set_state(name, X86_64_THREAD_STATE, state,
					X86_64_THREAD_STATE_COUNT), want);
	ok &= CHECK_KR(thread_terminate(name), want);
	if (name != MACH_PORT_NULL)   /* MACH_PORT_NULL means "anyone" to thread_switch */
		ok &= CHECK_KR(thread_switch(name, SWITCH_OPTION_NONE, 0), KERN_INVALID_NAME);
	if (!ok)
		diag("... for the name %x", name);
	return ok;
}

static bool integers_and_dead_names_reach_nothing(void)
{
	static const mach_port_t unknown[] = { MACH_PORT_NULL, 0x7fffffff, 0xfffffffe,
					       MACH_PORT_DEAD, 0x12345678 };
	mach_port_type_t type;
	task_t freed;
	thread_t dead;
	bool ok = true;

	for (unsigned i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		if (unknown[i] != MACH_PORT_NULL && unknown[i] != MACH_PORT_DEAD)
			ok &= CHECK_KR(mach_port_type(mach_task_self(), unknown[i], &type),
				       KERN_INVALID_NAME);
		ok &= reaches_nothing(unknown[i], MACH_SEND_INVALID_DEST);
	}
	/* A name the runner held once and released: it names nothing now. */
	ok &= CHECK_KR(task_create(mach_task_self(), FALSE, &freed), KERN_SUCCESS);
	ok &= end_task(freed, MACH_PORT_NULL);
	ok &= CHECK_KR(mach_port_type(mach_task_self(), freed, &type), KERN_INVALID_NAME);
	ok &= reaches_nothing(freed, MACH_SEND_INVALID_DEST);
	/* A dead name: the runner still holds it, but its port is gone. */
	ok &= CHECK_KR(thread_create(mach_task_self(), &dead), KERN_SUCCESS);
	ok &= CHECK_KR(thread_terminate(dead), KERN_SUCCESS);
	ok &= CHECK(is_dead_name(dead));
	ok &= reaches_nothing(dead, MACH_SEND_INVALID_DEST);
	ok &= release(dead);
	return ok;
}

/* Each interface refuses a port of another kind of object, by its own code. */
static bool ports_of_the_wrong_kind_are_refused(void)
{
	struct task_basic_info task_info;
	struct thread_basic_info thread_info;
	struct host_memory_info memory;
	mach_msg_type_number_t count = HOST_MEMORY_INFO_COUNT;
	bool ok = true;

	ok &= CHECK_KR(get_task_info(runner_thread, &task_info), KERN_INVALID_TASK);
	ok &= CHECK_KR(get_task_info(mach_host_self_, &task_info), KERN_INVALID_TASK);
	ok &= CHECK_KR(task_suspend(runner_thread), KERN_INVALID_TASK);
	ok &= CHECK_KR(get_thread_info(mach_task_self(), &thread_info), KERN_INVALID_ARGUMENT);
	ok &= CHECK_KR(thread_suspend(mach_host_self_), KERN_INVALID_ARGUMENT);
	ok &= CHECK_KR(host_info(mach_task_self(), HOST_MEMORY_INFO, (host_info_t)&memory,
				 &count), KERN_INVALID_HOST);
	ok &= CHECK_KR(thread_switch(mach_task_self(), SWITCH_OPTION_NONE, 0), KERN_INVALID_NAME);
	/* The privileged host port serves as a name port too. */
	count = HOST_MEMORY_INFO_COUNT;
	ok &= CHECK_KR(host_info(host_priv, HOST_MEMORY_INFO, (host_info_t)&memory, &count),
		       KERN_SUCCESS);
	return ok;
}

/* host_halt and host_boot_module_load take the privileged port and no other. */
static bool privileged_host_routines_refuse_other_ports(void)
{
	static char args[] = "role=spin";
	task_t task = MACH_PORT_NULL;
	thread_t thread = MACH_PORT_NULL;
	bool ok = true;

	const mach_port_t others[] = { mach_host_self_, mach_task_self(), runner_thread };
	for (unsigned i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		ok &= CHECK_KR(host_boot_module_load(others[i], "usertest", args, sizeof(args),
						     &task, &thread), KERN_INVALID_HOST);
		/* Were it accepted, the run would end here, its plan unmet. */
		ok &= CHECK_KR(host_halt(others[i], HOST_HALT_SUCCESS), KERN_INVALID_HOST);
	}
	ok &= CHECK_KR(host_halt(MACH_PORT_NULL, HOST_HALT_SUCCESS), MACH_SEND_INVALID_DEST);
	ok &= CHECK_KR(host_halt(host_priv, 7), KERN_INVALID_ARGUMENT);
	ok &= CHECK(task == MACH_PORT_NULL && thread == MACH_PORT_NULL);
	return ok;
}

/* ---- what a child holds ---- */

/* Role "probe": the names in its space that denote another task or thread. */
static uint64_t count_foreign_rights(void)
{
	mach_port_name_array_t names;
	mach_port_type_array_t types;
	mach_msg_type_number_t name_count, type_count;
	struct task_basic_info task_info;
	struct thread_basic_info thread_info;
	thread_t self = mach_thread_self();
	uint64_t foreign = 0;

	if (mach_port_names(mach_task_self(), &names, &name_count, &types, &type_count) !=
	    KERN_SUCCESS)
		return 100;   /* cannot tell: fail */
	for (mach_msg_type_number_t i = 0; i < name_count && i < type_count; i++) {
		if (!(types[i] & MACH_PORT_TYPE_SEND))
			continue;
		if (names[i] != mach_task_self() &&
		    get_task_info(names[i], &task_info) == KERN_SUCCESS)
			foreign++;
		if (names[i] != self && get_thread_info(names[i], &thread_info) == KERN_SUCCESS)
			foreign++;
	}
	vm_deallocate(mach_task_self(), (vm_address_t)names, name_count * sizeof(*names));
	vm_deallocate(mach_task_self(), (vm_address_t)types, type_count * sizeof(*types));
	mach_port_deallocate(mach_task_self(), self);
	return foreign;
}

/*
 * Role "probe", given the runner's names for its task, its thread and a
 * sibling task as numbers: which of them name nothing here, and whether
 * each call with one of those failed as it must.
 */
static void try_runner_names(int argc, char **argv, uint64_t *nothing, uint64_t *reached)
{
	static const char *const keys[] = { "parent", "parent-thread", "sibling" };
	struct task_basic_info info;
	mach_port_type_t type;

	for (unsigned i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		mach_port_t name = (mach_port_t)arg_number(argc, argv, keys[i], 0);
		/* A name that is one of the probe's own rights is its own business. */
		if (name == MACH_PORT_NULL ||
		    mach_port_type(mach_task_self(), name, &type) != KERN_INVALID_NAME)
			continue;
		(*nothing)++;
		*reached += get_task_info(name, &info) != MACH_SEND_INVALID_DEST;
		*reached += task_suspend(name) != MACH_SEND_INVALID_DEST;
		*reached += thread_suspend(name) != MACH_SEND_INVALID_DEST;
	}
}

/* Reports: foreign rights, calls that reached something, names tried, host privilege. */
int role_probe(int argc, char **argv, char **envp)
{
	mach_port_t priv = MACH_PORT_NULL;
	uint64_t nothing = 0, reached = 0;

	(void)envp;
	uint64_t foreign = count_foreign_rights();
	try_runner_names(argc, argv, &nothing, &reached);
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &priv);
	report_and_spin(foreign, reached, nothing, priv != MACH_PORT_NULL);
}

static bool loaded_task_holds_no_right_to_its_parent(void)
{
	struct exc_handler h;
	char args[128];
	task_t sibling, probe;
	thread_t sibling_thread, probe_thread;
	uint64_t report[4];

	if (!CHECK_KR(spawn_role("role=sleep", &sibling, &sibling_thread), KERN_SUCCESS))
		return false;
	bool ok = exc_handler_open(&h, exc_answer_report, NULL);
	mach_snprintf(args, sizeof(args), "role=probe parent=%u parent-thread=%u sibling=%u",
		      mach_task_self(), runner_thread, sibling);
	if (ok && spawn_reporting(args, &h, &probe, &probe_thread)) {
		if (read_report(&h, report, 2000)) {
			diag("probe: %lu foreign rights, %lu calls reached something, "
			     "%lu of the runner's names tried", report[0], report[1], report[2]);
			ok &= CHECK(report[0] == 0);   /* no right to another task or thread */
			ok &= CHECK(report[1] == 0);   /* the runner's names reach nothing */
			ok &= CHECK(report[2] >= 1);   /* ... and some were tried */
			ok &= CHECK(report[3] == 0);   /* no privilege unless given */
		} else {
			ok = false;
		}
		ok &= end_task(probe, probe_thread);
	} else {
		ok = false;
	}
	ok &= exc_handler_close(&h);
	ok &= end_task(sibling, sibling_thread);
	return ok;
}

/*
 * Role "control", holding a right to a sibling under the name "sibling="
 * and the privileged host port: suspends the sibling (and leaves it so,
 * for the runner to see), and loads and ends a child of its own.
 */
int role_control(int argc, char **argv, char **envp)
{
	struct task_basic_info info;
	mach_port_t sibling = (mach_port_t)arg_number(argc, argv, "sibling", 0);
	mach_port_t priv = MACH_PORT_NULL;
	static char args[] = "role=sleep";
	task_t child;
	thread_t child_thread;

	(void)envp;
	kern_return_t info_kr = get_task_info(sibling, &info);
	kern_return_t suspend_kr = task_suspend(sibling);
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &priv);
	kern_return_t load_kr = host_boot_module_load(priv, "usertest", args, sizeof(args),
						      &child, &child_thread);
	kern_return_t end_kr = load_kr;
	if (load_kr == KERN_SUCCESS) {
		thread_resume(child_thread);
		end_kr = get_task_info(child, &info);
		if (end_kr == KERN_SUCCESS)
			end_kr = task_terminate(child);
	}
	report_and_spin((uint64_t)info_kr, (uint64_t)suspend_kr, (uint64_t)load_kr,
			(uint64_t)end_kr);
}

static bool task_right_given_to_a_child_lets_it_control_that_task(void)
{
	struct task_basic_info info;
	struct exc_handler h;
	char args[64];
	task_t sibling, control;
	thread_t sibling_thread, control_thread;
	uint64_t report[4];

	if (!CHECK_KR(spawn_role("role=sleep", &sibling, &sibling_thread), KERN_SUCCESS))
		return false;
	bool ok = exc_handler_open(&h, exc_answer_report, NULL);
	mach_snprintf(args, sizeof(args), "role=control sibling=%u", sibling);
	ok = ok && CHECK_KR(load_role(args, &control, &control_thread), KERN_SUCCESS);
	if (ok) {
		/* Its name for the sibling is the runner's: nothing else is there yet. */
		ok &= CHECK_KR(mach_port_insert_right(control, sibling, sibling,
						      MACH_MSG_TYPE_COPY_SEND), KERN_SUCCESS);
		ok &= CHECK_KR(task_set_special_port(control, TASK_HOST_PRIV_PORT, host_priv),
			       KERN_SUCCESS);
		ok &= CHECK_KR(task_set_special_port(control, TASK_EXCEPTION_PORT, h.port),
			       KERN_SUCCESS);
		ok &= CHECK_KR(thread_resume(control_thread), KERN_SUCCESS);
		if (read_report(&h, report, 2000)) {
			/* task_info and task_suspend of the sibling, its own module
			 * load, and the end of its child. */
			for (unsigned i = 0; i < 4; i++)
				ok &= CHECK_KR((kern_return_t)report[i], KERN_SUCCESS);
			ok &= CHECK_KR(get_task_info(sibling, &info), KERN_SUCCESS);
			ok &= CHECK(info.suspend_count == 1);
			ok &= CHECK_KR(task_resume(sibling), KERN_SUCCESS);
		} else {
			ok = false;
		}
		ok &= end_task(control, control_thread);
		/* The right went with its holder; the sibling lives on. */
		ok &= CHECK_KR(get_task_info(sibling, &info), KERN_SUCCESS);
	}
	ok &= exc_handler_close(&h);
	ok &= end_task(sibling, sibling_thread);
	return ok;
}

/* bootstrap gives the device master port only to modules that ask for
 * it ("devices" on their command line); usertest's does not. */
static bool boot_module_holds_no_device_port_unless_it_asks(void)
{
	mach_port_t device = MACH_PORT_NULL;

	bool ok = CHECK_KR(task_get_special_port(mach_task_self(), TASK_DEVICE_PORT, &device),
			   KERN_SUCCESS);
	ok &= CHECK(device == MACH_PORT_NULL);
	if (device != MACH_PORT_NULL)
		mach_port_deallocate(mach_task_self(), device);
	return ok;
}

const struct test rights_tests[] = {
	ENTRY(integers_and_dead_names_reach_nothing),
	ENTRY(ports_of_the_wrong_kind_are_refused),
	ENTRY(privileged_host_routines_refuse_other_ports),
	ENTRY(boot_module_holds_no_device_port_unless_it_asks),
	ENTRY(loaded_task_holds_no_right_to_its_parent),
	ENTRY(task_right_given_to_a_child_lets_it_control_that_task),
};
const unsigned rights_test_count = sizeof(rights_tests) / sizeof(rights_tests[0]);
