/*
 * fstest: the ext2 file server (servers/ext2fs) tested from a client,
 * through idl/defs/fs.defs, on a disk made from mkimages.sh's staging
 * tree (tests/boot/fs.sh).  Every routine and its errors; files written
 * and read back; directories, links and rename; an unlinked file that
 * lives while it is open; permissions by credentials; mapped files and
 * forgotten opens (map.c); a full disk; and, last, a file written and
 * fsynced for the host to read back with debugfs after the machine halts
 * (with e2fsck -fn on the whole disk).  It prints TAP
 * (tests/guest/vm/tap.c) and halts the machine.  With a role it runs
 * the checks of another disk instead (system.c).
 */
#include "fstest.h"

#define PERSIST_LINES 20000u   /* /persist: "1\n" to "20000\n", as seq prints */

mach_port_t root;

mach_port_t open_as(const char *path, uint32_t flags, uint32_t uid, kern_return_t *kr)
{
	mach_port_t p = MACH_PORT_NULL;

	*kr = fs_open(root, (char *)path, flags, 0644, uid, uid, &p);
	return *kr == KERN_SUCCESS ? p : MACH_PORT_NULL;
}

mach_port_t open_ok(const char *path, uint32_t flags)
{
	kern_return_t kr;
	mach_port_t p = open_as(path, flags, 0, &kr);

	CHECK_KR(kr, KERN_SUCCESS);
	return p;
}

void close_port(mach_port_t p)
{
	if (p != MACH_PORT_NULL) {
		fs_close(p);
		mach_port_deallocate(mach_task_self(), p);
	}
}

bool read_into(mach_port_t p, void *buf, uint32_t size, uint32_t *n)
{
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;

	if (!CHECK_KR(fs_read(p, size, &data, &count), KERN_SUCCESS))
		return false;
	memcpy(buf, (const void *)data, count);
	if (count != 0)
		vm_deallocate(mach_task_self(), data, count);
	*n = count;
	return true;
}

bool write_all(mach_port_t p, const void *buf, uint32_t size)
{
	uint32_t written = 0;

	return CHECK_KR(fs_write(p, (vm_offset_t)buf, size, &written), KERN_SUCCESS) &&
	       CHECK(written == size);
}

static void a_file_of_the_image_reads_as_made(void)
{
	char buf[64];
	uint32_t n = 0, m = 1;
	mach_port_t p = open_ok("/hello.txt", FS_OPEN_READ);

	tap_ok(p != MACH_PORT_NULL && read_into(p, buf, sizeof buf, &n) && CHECK(n == 12) &&
		       CHECK(memcmp(buf, "hello, ext2\n", 12) == 0) &&
		       read_into(p, buf, sizeof buf, &m) && CHECK(m == 0),
	       "a_file_of_the_image_reads_as_made");
	close_port(p);
}

/* The names readdir gives for the directory at path, counted; whether
 * name was among them. */
static bool list(const char *path, const char *name, unsigned *count)
{
	mach_port_t d = open_ok(path, FS_OPEN_READ | FS_OPEN_DIRECTORY);
	uint64_t cookie = 0;
	bool seen = false, ok = d != MACH_PORT_NULL;

	*count = 0;
	while (ok && cookie != FS_DIR_END) {
		vm_offset_t data = 0;
		mach_msg_type_number_t size = 0;
		ok = CHECK_KR(fs_readdir(d, cookie, 512, &data, &size, &cookie), KERN_SUCCESS);
		for (uint32_t at = 0; ok && at < size;) {
			const struct fs_dirent *e = (const void *)(data + at);
			seen |= strcmp(e->name, name) == 0;
			(*count)++;
			at += e->rec_len;
		}
		if (size != 0)
			vm_deallocate(mach_task_self(), data, size);
	}
	close_port(d);
	return ok && seen;
}

static void the_root_lists_the_image(void)
{
	unsigned n = 0;

	/* ".", "..", lost+found and the staging tree's 12 */
	tap_ok(list("/", "hello.txt", &n) && CHECK(n == 15), "the_root_lists_the_image");
}

static void a_new_file_is_written_and_read_back(void)
{
	static uint8_t out[MB_CHUNK], in[MB_CHUNK];
	fs_stat_t st;
	uint64_t at = 0;
	uint32_t n = 0;
	mach_port_t p = open_ok("/new", FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE);
	bool ok = p != MACH_PORT_NULL;

	for (unsigned i = 0; i < sizeof out; i++)
		out[i] = (uint8_t)(i * 7 + i / 251);
	for (unsigned i = 0; ok && i < 4; i++)
		ok = write_all(p, out, sizeof out);
	ok = ok && CHECK_KR(fs_seek(p, 0, FS_SEEK_SET, &at), KERN_SUCCESS);
	for (unsigned i = 0; ok && i < 4; i++)
		ok = read_into(p, in, sizeof in, &n) && CHECK(n == sizeof in) &&
		     CHECK(memcmp(in, out, sizeof in) == 0);
	ok = ok && CHECK_KR(fs_stat(p, &st), KERN_SUCCESS) && CHECK(st.size == 4 * MB_CHUNK) &&
	     CHECK((st.mode & FS_S_IFMT) == FS_S_IFREG) && CHECK(st.links == 1);
	tap_ok(ok, "a_new_file_is_written_and_read_back");
	close_port(p);
}

static void seek_refuses_before_zero_and_goes_past_the_end(void)
{
	uint64_t at = 0;
	mach_port_t p = open_ok("/hello.txt", FS_OPEN_READ);

	tap_ok(p != MACH_PORT_NULL &&
		       CHECK_KR(fs_seek(p, -1, FS_SEEK_SET, &at), KERN_INVALID_VALUE) &&
		       CHECK_KR(fs_seek(p, -2, FS_SEEK_END, &at), KERN_SUCCESS) &&
		       CHECK(at == 10) &&
		       CHECK_KR(fs_seek(p, 100, FS_SEEK_CUR, &at), KERN_SUCCESS) &&
		       CHECK(at == 110) && CHECK_KR(fs_seek(p, 0, 9, &at), KERN_INVALID_VALUE),
	       "seek_refuses_before_zero_and_goes_past_the_end");
	close_port(p);
}

static void directories_are_made_listed_and_removed(void)
{
	unsigned n = 0;
	mach_port_t d = MACH_PORT_NULL;
	bool ok = CHECK_KR(fs_mkdir(root, "d", 0755), KERN_SUCCESS) &&
		  (d = open_ok("/d", FS_OPEN_READ)) != MACH_PORT_NULL &&
		  CHECK_KR(fs_mkdir(d, "sub", 0700), KERN_SUCCESS) && list("/d", "sub", &n) &&
		  CHECK(n == 3) && CHECK_KR(fs_mkdir(root, "d", 0755), FS_EXISTS) &&
		  CHECK_KR(fs_rmdir(root, "d"), FS_NOT_EMPTY) &&
		  CHECK_KR(fs_unlink(d, "sub"), FS_IS_DIRECTORY) &&
		  CHECK_KR(fs_rmdir(d, "sub"), KERN_SUCCESS) &&
		  CHECK_KR(fs_rmdir(root, "d"), KERN_SUCCESS) &&
		  CHECK_KR(fs_rmdir(root, "d"), FS_NOT_FOUND);

	tap_ok(ok, "directories_are_made_listed_and_removed");
	close_port(d);
}

static void links_symlinks_and_rename(void)
{
	char target[FS_PATH_MAX];
	char buf[16];
	uint32_t n = 0;
	mach_port_t dir = open_ok("/dir", FS_OPEN_READ), f = open_ok("/hello.txt", FS_OPEN_READ);
	mach_port_t g = MACH_PORT_NULL;
	fs_stat_t st;
	bool ok = dir != MACH_PORT_NULL && f != MACH_PORT_NULL &&
		  CHECK_KR(fs_link(root, "hello-too", f), KERN_SUCCESS) &&
		  CHECK_KR(fs_stat(f, &st), KERN_SUCCESS) && CHECK(st.links == 2) &&
		  CHECK_KR(fs_symlink(root, "to-hello", "hello-too"), KERN_SUCCESS) &&
		  CHECK_KR(fs_readlink(root, "to-hello", target), KERN_SUCCESS) &&
		  CHECK(strcmp(target, "hello-too") == 0) &&
		  CHECK_KR(fs_readlink(root, "hello.txt", target), KERN_INVALID_ARGUMENT) &&
		  CHECK_KR(fs_rename(root, "hello-too", dir, "moved"), KERN_SUCCESS) &&
		  CHECK_KR(fs_rename(root, "to-hello", root, "big"), KERN_SUCCESS) &&
		  CHECK_KR(fs_rename(root, "dir", dir, "x"), FS_INVALID_MOVE);
	/* "big" is now a link to hello-too, which moved: it dangles. */
	kern_return_t kr;
	g = open_as("/big", FS_OPEN_READ, 0, &kr);
	ok = ok && CHECK_KR(kr, FS_NOT_FOUND);
	/* The link itself opens with LINK: its attributes, and no data. */
	vm_offset_t data = 0;
	mach_msg_type_number_t count = 0;
	g = open_ok("/big", FS_OPEN_READ | FS_OPEN_LINK);
	ok = ok && g != MACH_PORT_NULL && CHECK_KR(fs_stat(g, &st), KERN_SUCCESS) &&
	     CHECK((st.mode & FS_S_IFMT) == FS_S_IFLNK) && CHECK(st.size == 9) &&
	     CHECK_KR(fs_chmod(g, 0700), KERN_SUCCESS) &&
	     CHECK_KR(fs_read(g, 10, &data, &count), KERN_INVALID_ARGUMENT);
	close_port(g);
	ok = ok && (g = open_ok("/dir/moved", FS_OPEN_READ)) != MACH_PORT_NULL &&
	     read_into(g, buf, sizeof buf, &n) && CHECK(n == 12) &&
	     CHECK_KR(fs_unlink(dir, "moved"), KERN_SUCCESS) &&
	     CHECK_KR(fs_unlink(root, "big"), KERN_SUCCESS) &&
	     CHECK_KR(fs_stat(f, &st), KERN_SUCCESS) && CHECK(st.links == 1);
	tap_ok(ok, "links_symlinks_and_rename");
	close_port(g);
	close_port(f);
	close_port(dir);
}

static void an_unlinked_open_file_lives_until_closed(void)
{
	char buf[8];
	uint32_t n = 0;
	uint64_t at;
	fs_stat_t st;
	kern_return_t kr;
	mach_port_t p = open_ok("/doomed", FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE);
	bool ok = p != MACH_PORT_NULL && write_all(p, "still", 5) &&
		  CHECK_KR(fs_unlink(root, "doomed"), KERN_SUCCESS) &&
		  CHECK_KR(fs_stat(p, &st), KERN_SUCCESS) && CHECK(st.links == 0) &&
		  CHECK_KR(fs_seek(p, 0, FS_SEEK_SET, &at), KERN_SUCCESS) &&
		  read_into(p, buf, sizeof buf, &n) && CHECK(n == 5) &&
		  CHECK(memcmp(buf, "still", 5) == 0) &&
		  CHECK_KR(fs_link(root, "back", p), FS_NOT_FOUND);
	close_port(p);
	open_as("/doomed", FS_OPEN_READ, 0, &kr);
	tap_ok(ok && CHECK_KR(kr, FS_NOT_FOUND), "an_unlinked_open_file_lives_until_closed");
}

/* A readdir into a buffer far larger than the entries keeps none of
 * the rest in the server: 300 of them would hold 36 MiB if it did. */
static void a_large_readdir_buffer_is_not_kept(void)
{
	struct vm_statistics before, after;
	bool ok = CHECK_KR(vm_statistics(mach_task_self(), &before),
			   KERN_SUCCESS);

	for (int i = 0; ok && i < 300; i++) {
		vm_offset_t data = 0;
		mach_msg_type_number_t count = 0;
		uint64_t next;
		ok = CHECK_KR(fs_readdir(root, 0, FS_IO_MAX, &data, &count, &next), KERN_SUCCESS);
		vm_deallocate(mach_task_self(), data, count);
	}
	ok = ok && CHECK_KR(vm_statistics(mach_task_self(), &after),
			    KERN_SUCCESS) &&
	     CHECK(after.free_count + 256 >= before.free_count);
	tap_ok(ok, "a_large_readdir_buffer_is_not_kept");
}

static void credentials_decide_who_may_do_what(void)
{
	kern_return_t kr;
	mach_port_t user_root = open_as("/", FS_OPEN_READ, 1000, &kr), mine = MACH_PORT_NULL;
	mach_port_t theirs = open_ok("/hello.txt", FS_OPEN_READ);
	bool ok = CHECK_KR(kr, KERN_SUCCESS) &&
		  CHECK_KR(fs_mkdir(user_root, "nope", 0755), FS_ACCESS_DENIED) &&
		  CHECK_KR(fs_unlink(user_root, "hello.txt"), FS_ACCESS_DENIED);
	open_as("/hello.txt", FS_OPEN_WRITE, 1000, &kr);
	ok = ok && CHECK_KR(kr, FS_ACCESS_DENIED) &&
	     CHECK_KR(fs_mkdir(root, "shared", 0777), KERN_SUCCESS);
	mine = open_as("/shared/mine", FS_OPEN_WRITE | FS_OPEN_CREATE, 1000, &kr);
	fs_stat_t st;
	ok = ok && CHECK_KR(kr, KERN_SUCCESS) && CHECK_KR(fs_stat(mine, &st), KERN_SUCCESS) &&
	     CHECK(st.uid == 1000 && st.gid == 1000) &&
	     CHECK_KR(fs_chmod(mine, 0600), KERN_SUCCESS) &&
	     CHECK_KR(fs_chown(mine, 0, 0), FS_ACCESS_DENIED) &&
	     CHECK_KR(fs_utimes(mine, 1000000, 2000000), KERN_SUCCESS) &&
	     CHECK_KR(fs_stat(mine, &st), KERN_SUCCESS) && CHECK(st.mtime == 2000000) &&
	     CHECK((st.mode & 07777) == 0600) &&
	     CHECK_KR(fs_chmod(theirs, 0777), KERN_SUCCESS) &&   /* root may */
	     CHECK_KR(fs_chmod(theirs, 0644), KERN_SUCCESS);
	open_as("/shared/mine", FS_OPEN_READ, 2000, &kr);
	ok = ok && CHECK_KR(kr, FS_ACCESS_DENIED);
	tap_ok(ok, "credentials_decide_who_may_do_what");
	close_port(mine);
	close_port(theirs);
	close_port(user_root);
}

static void bad_requests_get_their_errors(void)
{
	kern_return_t kr;
	char name[300];
	vm_offset_t data;
	mach_msg_type_number_t count;
	uint64_t next;
	mach_port_t w = open_ok("/new", FS_OPEN_WRITE | FS_OPEN_TRUNCATE);
	bool ok = w != MACH_PORT_NULL;

	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	open_as("/nothing", FS_OPEN_READ, 0, &kr);
	ok = ok && CHECK_KR(kr, FS_NOT_FOUND);
	open_as("/hello.txt/x", FS_OPEN_READ, 0, &kr);
	ok = ok && CHECK_KR(kr, FS_NOT_DIRECTORY);
	open_as("/dir", FS_OPEN_WRITE, 0, &kr);
	ok = ok && CHECK_KR(kr, FS_IS_DIRECTORY);
	open_as("/hello.txt", FS_OPEN_READ | FS_OPEN_CREATE | FS_OPEN_EXCLUSIVE, 0, &kr);
	ok = ok && CHECK_KR(kr, FS_EXISTS);
	open_as("/hello.txt", 0, 0, &kr);
	ok = ok && CHECK_KR(kr, KERN_INVALID_VALUE);
	open_as("/hello.txt", FS_OPEN_READ | 0x1000, 0, &kr);
	ok = ok && CHECK_KR(kr, KERN_INVALID_VALUE);
	open_as("/loop-a", FS_OPEN_READ, 0, &kr);
	ok = ok && CHECK_KR(kr, FS_LOOP);
	open_as("/link", FS_OPEN_READ | FS_OPEN_NOFOLLOW, 0, &kr);
	ok = ok && CHECK_KR(kr, FS_LOOP);
	open_as("/link", FS_OPEN_WRITE | FS_OPEN_LINK, 0, &kr);
	ok = ok && CHECK_KR(kr, FS_LOOP);
	open_as("/hello.txt", FS_OPEN_READ | FS_OPEN_DIRECTORY, 0, &kr);
	ok = ok && CHECK_KR(kr, FS_NOT_DIRECTORY);
	name[0] = '/';   /* a path with a name of 298 bytes */
	open_as(name, FS_OPEN_WRITE | FS_OPEN_CREATE, 0, &kr);
	ok = ok && CHECK_KR(kr, FS_NAME_TOO_LONG);
	name[0] = 'n';
	/* A name past fs_name_t's bound never leaves the stub. */
	ok = ok && CHECK(fs_mkdir(root, name, 0755) != KERN_SUCCESS) &&
	     CHECK_KR(fs_mkdir(root, "a/b", 0755), KERN_INVALID_ARGUMENT) &&
	     CHECK_KR(fs_read(w, 10, &data, &count), FS_ACCESS_DENIED) &&
	     CHECK_KR(fs_read(root, 10, &data, &count), FS_IS_DIRECTORY) &&
	     CHECK_KR(fs_readdir(w, 0, 4096, &data, &count, &next), FS_NOT_DIRECTORY) &&
	     CHECK_KR(fs_readdir(root, 0, 8, &data, &count, &next), KERN_INVALID_VALUE) &&
	     CHECK_KR(fs_truncate(root, 0), FS_ACCESS_DENIED) &&
	     CHECK_KR(fs_rmdir(root, ".."), FS_INVALID_MOVE);
	/* A write refused whole: its data goes with the request, once. */
	uint64_t at = 0;
	uint32_t written = 1;
	ok = ok && CHECK_KR(fs_seek(w, (int64_t)1 << 60, FS_SEEK_SET, &at), KERN_SUCCESS) &&
	     CHECK_KR(fs_write(w, (vm_offset_t)name, 100, &written), FS_TOO_LARGE) &&
	     CHECK_KR(fs_write(w, (vm_offset_t)name, 100, &written), FS_TOO_LARGE);
	close_port(w);
	tap_ok(ok && CHECK(fs_close(w) != KERN_SUCCESS), "bad_requests_get_their_errors");
}

static void truncation_cuts_and_extends(void)
{
	fs_stat_t st;
	char buf[8];
	uint32_t n = 0;
	uint64_t at;
	mach_port_t p = open_ok("/trunc", FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE);
	bool ok = p != MACH_PORT_NULL && write_all(p, "abcdefgh", 8) &&
		  CHECK_KR(fs_truncate(p, 3), KERN_SUCCESS) &&
		  CHECK_KR(fs_truncate(p, 1 << 20), KERN_SUCCESS) &&
		  CHECK_KR(fs_stat(p, &st), KERN_SUCCESS) && CHECK(st.size == 1 << 20) &&
		  CHECK_KR(fs_seek(p, 0, FS_SEEK_SET, &at), KERN_SUCCESS) &&
		  read_into(p, buf, sizeof buf, &n) && CHECK(n == 8) &&
		  CHECK(memcmp(buf, "abc\0\0\0\0\0", 8) == 0);
	tap_ok(ok, "truncation_cuts_and_extends");
	close_port(p);
}

/* Last: /persist, fsynced, which the host reads back after the halt. */
/* A sparse file larger than the disk: a line at 100 MiB, under the
 * triple-indirect block with 1 KiB blocks; the hole reads as zeros and
 * takes no room. */
static void a_sparse_file_outgrows_the_disk(void)
{
	static uint8_t zeros[MB_CHUNK], buf[MB_CHUNK];
	const uint64_t far = 100ull << 20;
	uint64_t at = 0;
	uint32_t n = 0;
	fs_stat_t st;
	mach_port_t p = open_ok("/sparse-new", FS_OPEN_READ | FS_OPEN_WRITE | FS_OPEN_CREATE);
	bool ok = p != MACH_PORT_NULL &&
		  CHECK_KR(fs_seek(p, (int64_t)far, FS_SEEK_SET, &at), KERN_SUCCESS) &&
		  write_all(p, "the far end\n", 12) && CHECK_KR(fs_stat(p, &st), KERN_SUCCESS) &&
		  CHECK(st.size == far + 12) && CHECK(st.blocks < 64) &&
		  CHECK_KR(fs_seek(p, 50 << 20, FS_SEEK_SET, &at), KERN_SUCCESS) &&
		  read_into(p, buf, MB_CHUNK, &n) && CHECK(n == MB_CHUNK) &&
		  CHECK(memcmp(buf, zeros, MB_CHUNK) == 0) &&
		  CHECK_KR(fs_seek(p, (int64_t)far, FS_SEEK_SET, &at), KERN_SUCCESS) &&
		  read_into(p, buf, MB_CHUNK, &n) && CHECK(n == 12) &&
		  CHECK(memcmp(buf, "the far end\n", 12) == 0);
	close_port(p);
	tap_ok(ok && CHECK_KR(fs_unlink(root, "sparse-new"), KERN_SUCCESS),
	       "a_sparse_file_outgrows_the_disk");
}

/* Writes 64 KiB chunks to p until one fails or is short; the bytes that
 * went in *total, the error in *kr. */
static void write_until_full(mach_port_t p, uint64_t *total, kern_return_t *kr)
{
	static uint8_t chunk[MB_CHUNK];
	uint32_t written = MB_CHUNK;

	*total = 0;
	*kr = KERN_SUCCESS;
	while (*kr == KERN_SUCCESS) {
		*kr = fs_write(p, (vm_offset_t)chunk, MB_CHUNK, &written);
		*total += *kr == KERN_SUCCESS ? written : 0;
	}
}

/* The disk filled by uid 1000 stops at the blocks kept for root, which
 * root then fills; everything comes back when the files go. */
static void a_full_disk_keeps_roots_blocks(void)
{
	kern_return_t kr, user_kr = KERN_SUCCESS, root_kr = KERN_SUCCESS;
	uint64_t user_bytes = 0, root_bytes = 0;
	bool ok = CHECK_KR(fs_mkdir(root, "fill", 0777), KERN_SUCCESS);
	mach_port_t dir = open_as("/fill", FS_OPEN_READ, 1000, &kr);
	mach_port_t u = open_as("/fill/user", FS_OPEN_WRITE | FS_OPEN_CREATE, 1000, &kr);
	mach_port_t r = open_ok("/fill/root", FS_OPEN_WRITE | FS_OPEN_CREATE);

	if (ok && dir != MACH_PORT_NULL && u != MACH_PORT_NULL && r != MACH_PORT_NULL) {
		write_until_full(u, &user_bytes, &user_kr);
		ok = CHECK_KR(fs_mkdir(dir, "more", 0755), FS_NO_SPACE);
		write_until_full(r, &root_bytes, &root_kr);
	}
	diag("uid 1000 wrote %lu KiB, root %lu KiB more\n", (unsigned long)(user_bytes >> 10),
	     (unsigned long)(root_bytes >> 10));
	ok = ok && CHECK_KR(user_kr, FS_NO_SPACE) && CHECK_KR(root_kr, FS_NO_SPACE) &&
	     CHECK(user_bytes > 8 * MB_CHUNK) && CHECK(root_bytes >= 8 * MB_CHUNK);
	close_port(u);
	close_port(r);
	close_port(dir);
	mach_port_t d = open_ok("/fill", FS_OPEN_READ);
	ok = ok && CHECK_KR(fs_unlink(d, "user"), KERN_SUCCESS) &&
	     CHECK_KR(fs_unlink(d, "root"), KERN_SUCCESS) &&
	     CHECK_KR(fs_rmdir(root, "fill"), KERN_SUCCESS);
	close_port(d);
	tap_ok(ok, "a_full_disk_keeps_roots_blocks");
}

static void a_file_fsynced_is_on_the_disk(void)
{
	static char text[PERSIST_LINES * 7];
	uint32_t length = 0;
	mach_port_t p = open_ok("/persist", FS_OPEN_WRITE | FS_OPEN_CREATE | FS_OPEN_TRUNCATE);
	bool ok = p != MACH_PORT_NULL;

	for (unsigned i = 1; i <= PERSIST_LINES; i++)
		length += (uint32_t)mach_snprintf(text + length, sizeof text - length, "%u\n", i);
	for (uint32_t at = 0; ok && at < length; at += MB_CHUNK)
		ok = write_all(p, text + at, length - at < MB_CHUNK ? length - at : MB_CHUNK);
	tap_ok(ok && CHECK_KR(fs_fsync(p), KERN_SUCCESS) && CHECK_KR(fs_sync(root), KERN_SUCCESS),
	       "a_file_fsynced_is_on_the_disk");
	close_port(p);
}

int main(int argc, char **argv, char **envp)
{
	const char *role = role_of(argc, argv);

	(void)envp;
	task_get_special_port(mach_task_self(), TASK_HOST_PRIV_PORT, &host_priv);
	runner_thread = mach_thread_self();
	if (role != NULL)
		return system_role(role);
	root = service_look_up("ext2fs", 10000);
	tap_ok(root != MACH_PORT_NULL && exceptions_start(), "the_server_registers_its_root");
	if (root != MACH_PORT_NULL) {
		a_file_of_the_image_reads_as_made();
		the_root_lists_the_image();
		a_new_file_is_written_and_read_back();
		seek_refuses_before_zero_and_goes_past_the_end();
		directories_are_made_listed_and_removed();
		links_symlinks_and_rename();
		an_unlinked_open_file_lives_until_closed();
		a_large_readdir_buffer_is_not_kept();
		credentials_decide_who_may_do_what();
		bad_requests_get_their_errors();
		truncation_cuts_and_extends();
		a_sparse_file_outgrows_the_disk();
		map_tests();
		a_full_disk_keeps_roots_blocks();
		a_file_fsynced_is_on_the_disk();
	}
	tap_finish("fstest");
	return 0;
}
