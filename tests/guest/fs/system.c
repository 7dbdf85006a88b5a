/*
 * fstest's roles, each on a disk of its own (tests/boot/fs.sh): two on
 * the system's disk (scripts/mkroot.sh),
 *
 *   role=layout  the root layout as the server serves it: its
 *                directories with their modes and owners, the files of
 *                /etc and /bin, and who may write where.  TAP, then halts.
 *   role=crash   files written with write and through a mapping, each
 *                fsynced; then more written and left in the server's
 *                cache.  "# fstest: crash point" says the host may kill
 *                QEMU now, and the host reads the fsynced files back.
 *
 * and two on test images the host damaged:
 *
 *   role=refused  no ext2 on the disk: the server refuses it and exits,
 *                 and the rest of the system runs on.
 *   role=corrupt  lies in the metadata: each request that meets one
 *                 gets FS_CORRUPT, and the server goes on serving.
 *
 * role=bench (bench.c) measures, on a copy of the system's disk.
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

	if (!(write_kept() && write_mapped_kept() && write_unsynced())) {
		tap_ok(false, "the_files_are_written_before_the_kill");
		return;   /* the host sees no crash point */
	}
	mach_printf("# fstest: crash point\n");
	/* Waits for the kill. */
	mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &port);
	mach_msg(&never, MACH_RCV_MSG, 0, sizeof never, port, MACH_MSG_TIMEOUT_NONE,
		 MACH_PORT_NULL);
}

/* The server is up and its root is in root. */
static bool serving(void)
{
	root = service_look_up("ext2fs", 10000);
	tap_ok(root != MACH_PORT_NULL && exceptions_start(), "the_server_registers_its_root");
	return root != MACH_PORT_NULL;
}

static void refused_role(void)
{
	/* The server says why it refused the disk, and ends. */
	tap_ok(service_look_up("ext2fs", 3000) == MACH_PORT_NULL,
	       "the_server_refuses_a_disk_without_ext2");
	tap_ok(service_look_up("disk0", 0) != MACH_PORT_NULL,
	       "the_rest_of_the_system_runs_on");
}

static void corrupt_role(void)
{
	char buf[64];
	uint32_t n = 0;
	vm_offset_t data;
	mach_msg_type_number_t count;
	uint64_t next;
	kern_return_t kr;
	mach_port_t big = open_ok("/big", FS_OPEN_READ);
	mach_port_t sub = open_ok("/dir/sub", FS_OPEN_READ);

	tap_kr(fs_read(big, sizeof buf, &data, &count), FS_CORRUPT,
	       "a_block_pointer_outside_the_disk_is_corrupt");
	open_as("/many/file-7", FS_OPEN_READ, 0, &kr);
	tap_kr(kr, FS_CORRUPT, "a_directory_of_an_odd_size_is_corrupt");
	tap_kr(fs_rename(root, "dir", sub, "x"), FS_CORRUPT,
	       "a_directory_that_is_its_own_parent_is_corrupt");
	mach_port_t many = open_ok("/many", FS_OPEN_READ);
	tap_kr(fs_readdir(many, 0, 4096, &data, &count, &next), FS_CORRUPT,
	       "reading_a_corrupt_directory_is_corrupt");
	mach_port_t p = open_ok("/hello.txt", FS_OPEN_READ);
	mach_port_t w = open_ok("/after", FS_OPEN_WRITE | FS_OPEN_CREATE);
	tap_ok(p != MACH_PORT_NULL && read_into(p, buf, sizeof buf, &n) && CHECK(n == 12) &&
		       w != MACH_PORT_NULL && write_all(w, "still here\n", 11),
	       "the_server_goes_on_serving");
	close_port(big);
	close_port(sub);
	close_port(many);
	close_port(p);
	close_port(w);
}

int system_role(const char *role)
{
	if (strcmp(role, "refused") == 0) {
		refused_role();
	} else if (!serving()) {
		mach_printf("fstest: no file server for role %s\n", role);
	} else if (strcmp(role, "layout") == 0) {
		layout_role();
	} else if (strcmp(role, "crash") == 0) {
		crash_role();
	} else if (strcmp(role, "corrupt") == 0) {
		corrupt_role();
	} else if (strcmp(role, "bench") == 0) {
		bench_role();
	} else {
		mach_printf("fstest: unknown role %s\n", role);
		return 1;
	}
	tap_finish("fstest");
	return 0;
}
