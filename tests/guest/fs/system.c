/*
 * fstest's roles on the system's disk (scripts/mkroot.sh), booted by
 * tests/boot/fs.sh:
 *
 *   role=layout  the root layout as the server serves it: its
 *                directories with their modes and owners, the files of
 *                /etc and /bin, and who may write where.  TAP, then halts.
 *   role=crash   files written with write and through a mapping, each
 *                fsynced; then more written and left in the server's
 *                cache.  "# fstest: crash point" says the host may kill
 *                QEMU now, and the host reads the fsynced files back.
 */
#include "fstest.h"

#define KEPT_LINES 40000u     /* /home/user/kept: "k0000000\n" to "k0039999\n" */
#define MAPPED_LINES 1000u    /* /home/user/mapped-kept: "m0000000\n" to "m0000999\n" */

struct dir_want {
	const char *path;
	uint32_t mode;   /* with the type */
	uint32_t uid;
};

static const struct dir_want layout[] = {
	{ "/", 040755, 0 },          { "/bin", 040755, 0 },       { "/dev", 040755, 0 },
	{ "/etc", 040755, 0 },       { "/home", 040755, 0 },      { "/home/root", 040700, 0 },
	{ "/home/user", 040755, 1000 }, { "/tmp", 041777, 0 },
};

static bool has_stat(const char *path, uint32_t mode, uint32_t uid, fs_stat_t *st)
{
	mach_port_t p = open_ok(path, FS_OPEN_READ);
	bool ok = p != MACH_PORT_NULL && CHECK_KR(fs_stat(p, st), KERN_SUCCESS) &&
		  CHECK(st->mode == mode) && CHECK(st->uid == uid) && CHECK(st->gid == uid);

	if (!ok)
		diag("%s: mode %o, owner %u\n", path, (unsigned)st->mode, (unsigned)st->uid);
	close_port(p);
	return ok;
}

static void the_root_layout_is_there(void)
{
	fs_stat_t st;
	bool ok = true;

	for (unsigned i = 0; i < sizeof layout / sizeof layout[0]; i++)
		ok &= has_stat(layout[i].path, layout[i].mode, layout[i].uid, &st);
	tap_ok(ok, "the_root_layout_is_there");
}

/* The file at path starts with want. */
static bool starts_with(const char *path, const char *want)
{
	char buf[64] = { 0 };
	uint32_t n = 0;
	mach_port_t p = open_ok(path, FS_OPEN_READ);
	bool ok = p != MACH_PORT_NULL && read_into(p, buf, sizeof buf - 1, &n) &&
		  CHECK(strncmp(buf, want, strlen(want)) == 0);

	close_port(p);
	return ok;
}

static void etc_and_bin_hold_the_system_files(void)
{
	fs_stat_t st;
	bool ok = starts_with("/etc/motd", "Welcome to Pagoda") &&
		  starts_with("/etc/passwd", "root:x:0:0:") &&
		  starts_with("/etc/hostname", "pagoda\n") &&
		  has_stat("/bin/pagerstat", 0100755, 0, &st) && CHECK(st.size > 4096) &&
		  starts_with("/bin/pagerstat", "\177ELF");
	tap_ok(ok, "etc_and_bin_hold_the_system_files");
}

static void users_write_where_the_layout_lets_them(void)
{
	kern_return_t kr;
	mach_port_t mine = open_as("/tmp/mine", FS_OPEN_WRITE | FS_OPEN_CREATE, 1000, &kr);
	bool ok = CHECK_KR(kr, KERN_SUCCESS);
	mach_port_t home = open_as("/home/user/notes", FS_OPEN_WRITE | FS_OPEN_CREATE, 1000, &kr);

	ok = ok && CHECK_KR(kr, KERN_SUCCESS);
	open_as("/etc/mine", FS_OPEN_WRITE | FS_OPEN_CREATE, 1000, &kr);
	ok = ok && CHECK_KR(kr, FS_ACCESS_DENIED);
	open_as("/home/root/mine", FS_OPEN_WRITE | FS_OPEN_CREATE, 1000, &kr);
	ok = ok && CHECK_KR(kr, FS_ACCESS_DENIED);
	/* /tmp is sticky: another user may not take away what is not his. */
	mach_port_t tmp_other = open_as("/tmp", FS_OPEN_READ, 1001, &kr);
	mach_port_t tmp_mine = open_as("/tmp", FS_OPEN_READ, 1000, &kr);
	mach_port_t home_dir = open_as("/home/user", FS_OPEN_READ, 1000, &kr);
	ok = ok && CHECK_KR(fs_unlink(tmp_other, "mine"), FS_ACCESS_DENIED) &&
	     CHECK_KR(fs_unlink(tmp_mine, "mine"), KERN_SUCCESS) &&
	     CHECK_KR(fs_unlink(home_dir, "notes"), KERN_SUCCESS);
	close_port(mine);
	close_port(home);
	close_port(tmp_other);
	close_port(tmp_mine);
	close_port(home_dir);
	tap_ok(ok, "users_write_where_the_layout_lets_them");
}

static void layout_role(void)
{
	the_root_layout_is_there();
	etc_and_bin_hold_the_system_files();
	users_write_where_the_layout_lets_them();
	tap_finish("fstest");
}

/* lines of "<letter>%07u\n" into buf (9 bytes each, no NUL after). */
static void lines(char *buf, char letter, unsigned count)
{
	char line[10];

	for (unsigned i = 0; i < count; i++) {
		mach_snprintf(line, sizeof line, "%c%07u\n", letter, i);
		memcpy(buf + 9 * i, line, 9);
	}
}

static bool write_kept(void)
{
	static char text[KEPT_LINES * 9];
	mach_port_t p = open_ok("/home/user/kept", FS_OPEN_WRITE | FS_OPEN_CREATE);
	bool ok = p != MACH_PORT_NULL;

	lines(text, 'k', KEPT_LINES);
	for (uint32_t at = 0; ok && at < sizeof text; at += MB_CHUNK)
		ok = write_all(p, text + at,
			       sizeof text - at < MB_CHUNK ? sizeof text - at : MB_CHUNK);
	ok = ok && CHECK_KR(fs_fsync(p), KERN_SUCCESS);
	close_port(p);
	return ok;
}

/* Written through a mapping that is still there at the kill. */
static bool write_mapped_kept(void)
{
	mach_port_t object = MACH_PORT_NULL;
	vm_address_t a = 0;
	vm_prot_t max = VM_PROT_NONE;
	mach_port_t p = open_ok("/home/user/mapped-kept",
				FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE);
	bool ok = p != MACH_PORT_NULL &&
		  CHECK_KR(fs_truncate(p, MAPPED_LINES * 9), KERN_SUCCESS) &&
		  CHECK_KR(fs_map(p, &object, &max), KERN_SUCCESS) &&
		  CHECK_KR(vm_map(mach_task_self(), &a, MAPPED_LINES * 9, 0, TRUE, object, 0, FALSE,
				  VM_PROT_READ | VM_PROT_WRITE, max, VM_INHERIT_NONE),
			   KERN_SUCCESS);
	if (ok)
		lines((char *)a, 'm', MAPPED_LINES);
	return ok && CHECK_KR(fs_fsync(p), KERN_SUCCESS);
}

/* Left dirty in the server's cache: the kill may lose it. */
static bool write_unsynced(void)
{
	static char junk[MB_CHUNK];
	mach_port_t p = open_ok("/home/user/unsynced", FS_OPEN_WRITE | FS_OPEN_CREATE);
	bool ok = p != MACH_PORT_NULL;

	memset(junk, 'u', sizeof junk);
	for (unsigned i = 0; ok && i < 16; i++)
		ok = write_all(p, junk, sizeof junk);
	return ok;
}

static void crash_role(void)
{
	mach_port_t port = MACH_PORT_NULL;
	mach_msg_header_t never;

	if (write_kept() && write_mapped_kept() && write_unsynced())
		mach_printf("# fstest: crash point\n");
	else
		tap_finish("fstest");   /* fails: the host sees no crash point */
	/* Waits for the kill. */
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
	mach_msg(&never, MACH_RCV_MSG, 0, sizeof never, port, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
}

bool system_role(const char *role)
{
	if (strcmp(role, "layout") == 0)
		layout_role();
	else if (strcmp(role, "crash") == 0)
		crash_role();
	else
		return false;
	return true;
}
