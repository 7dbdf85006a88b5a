/*
 * bootstrap: the first task (DESIGN.md §2).  It will hold the host and
 * device privileges, keep the name service, and start the other servers in
 * their fixed order.  The kernel cannot run a task yet: today it checks
 * this image at boot (a valid static x86_64 executable must be present)
 * and does not start it, so the entry point below only waits.  The task
 * layer replaces this with the real server.
 */
void _start(void);

void _start(void)
{
	for (;;)
		__asm__ volatile("pause");
}
