/*
 * ipctest's runner: runs every group, prints TAP, and halts the machine,
 * successfully only if every test passed.  Started with role=NAME it is a
 * helper task instead (ipctest.h).
 */
#include "ipctest.h"

mach_port_t host_priv;
static unsigned tests, failed;

void tap_ok(bool ok, const char *name)
{
	tests++;
	if (!ok)
		failed++;
	mach_printf("%s %u - %s\n", ok ? "ok" : "not ok", tests, name);
}

void tap_kr(kern_return_t got, kern_return_t want, const char *name)
{
	tap_ok(got == want, name);
	if (got != want) {
		const char *g = mach_error_name(got), *w = mach_error_name(want);
		diag("got %s (0x%x), expected %s (0x%x)\n", g ? g : "?", got, w ? w : "?", want);
	}
}

void tap_eq(uint64_t got, uint64_t want, const char *name)
{
	tap_ok(got == want, name);
	if (got != want)
		diag("got %lu, expected %lu\n", got, want);
}

static const char *role_of(int argc, char **argv)
{
	const char *role = NULL;

	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "role=", 5) == 0)
			role = argv[i] + 5;
	return role;
}

int main(int argc, char **argv, char **envp)
{
	(void)envp;
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);
	const char *role = role_of(argc, argv);
	if (role != NULL) {
		if (strcmp(role, "server") == 0)
			role_server();
		else if (strcmp(role, "set_server") == 0)
			role_set_server(false);
		else if (strcmp(role, "set_server_alone") == 0)
			role_set_server(true);
		else if (strcmp(role, "exit") == 0)
			return 0;
		else
			mach_printf("ipctest: unknown role '%s'\n", role);
		return 0;
	}
	thread_priority(mach_thread_self(), 20, FALSE);
	test_rights();
	test_notify();
	test_queue();
	test_badmsg();
	test_tasks();
	test_sets();
	test_sets_alone();
	test_names();
	test_fuzz();
	mach_printf("1..%u\n", tests);
	mach_printf("# ipctest: %u passed, %u failed\n", tests - failed, failed);
	host_halt(host_priv, failed ? HOST_HALT_FAILURE : HOST_HALT_SUCCESS);
	return 0;
}
