/* The name service bootstrap serves (ipctest.h). */
#include "ipctest.h"

void test_names(void)
{
	mach_port_t names = MACH_PORT_NULL, p = port_receive_send(), found;

	task_get_special_port(mach_task_self(), TASK_BOOTSTRAP_PORT, &names);
	tap_ok(names != MACH_PORT_NULL, "a_boot_module_has_the_name_service_port");
	tap_kr(bootstrap_register(names, "ipctest.names", p), KERN_SUCCESS,
	       "register_a_send_right_under_a_name");
	tap_kr(bootstrap_look_up(names, "ipctest.names", &found), KERN_SUCCESS,
	       "look_up_finds_a_registered_name");
	tap_ok(found == p, "look_up_gives_a_send_right_to_the_same_port");
	tap_kr(bootstrap_register(names, "ipctest.names", p), KERN_NAME_EXISTS,
	       "register_refuses_a_duplicate_name");
	tap_kr(bootstrap_look_up(names, "ipctest.nosuch", &found), KERN_INVALID_NAME,
	       "look_up_of_an_unknown_name_fails");
	tap_kr(bootstrap_look_up(names, "", &found), KERN_INVALID_ARGUMENT,
	       "look_up_of_an_empty_name_is_refused");
	tap_kr(bootstrap_register(names, "", p), KERN_INVALID_ARGUMENT,
	       "register_of_an_empty_name_is_refused");
	char longname[200];
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	tap_kr(bootstrap_look_up(names, longname, &found), MIG_ARRAY_TOO_LARGE,
	       "a_name_longer_than_the_limit_is_refused_by_the_stub");
	/* A request larger than any of the interface's is received whole and
	 * dropped by the server loop (mach_msg_server), its reply right with
	 * it: the client hears the send-once notification, and the server
	 * goes on. */
	mach_port_t reply = port_receive();
	msg_buf_t m;
	tap_kr(send_simple(names, MACH_MSG_TYPE_COPY_SEND, reply, MACH_MSG_TYPE_MAKE_SEND_ONCE,
			   401 /* bootstrap_look_up */, 1024, MACH_SEND_TIMEOUT, 0),
	       MACH_MSG_SUCCESS, "an_oversized_request_reaches_the_name_server");
	tap_ok(receive(reply, &m, sizeof(m), MACH_RCV_TIMEOUT, 1000) == MACH_MSG_SUCCESS &&
		       m.h.msgh_id == MACH_NOTIFY_SEND_ONCE,
	       "the_name_server_drops_an_oversized_request_and_its_reply_right");
	mach_port_destroy(mach_task_self(), reply);
	tap_kr(bootstrap_look_up(names, "ipctest.names", &found), KERN_SUCCESS,
	       "the_name_server_answers_after_an_oversized_request");
	mach_port_deallocate(mach_task_self(), found);
	mach_port_destroy(mach_task_self(), p);
	tap_kr(bootstrap_look_up(names, "ipctest.names", &found), KERN_INVALID_NAME,
	       "a_name_whose_port_died_is_dropped");
	mach_port_deallocate(mach_task_self(), names);
}
