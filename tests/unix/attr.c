/*
 * Names and attributes: symlink, readlink, rename; chmod, chown,
 * utimes, truncate (and their f- and l- forms); setuid and its kin; the
 * exec family's list forms and PATH search.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

static void make(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd, text, strlen(text));
	close(fd);
}

static void links(void)
{
	char buf[64] = { 0 };
	struct stat st;

	make("/tmp/target", "target");
	CHECK(symlink("/tmp/target", "/tmp/sl") == 0, "symlink");
	CHECK(readlink("/tmp/sl", buf, sizeof(buf)) == 11 && memcmp(buf, "/tmp/target", 11) == 0,
	      "readlink_gives_the_target");
	CHECK(readlink("/tmp/sl", buf, 4) == 4, "readlink_into_a_short_buffer_cuts_it");
	CHECK(lstat("/tmp/sl", &st) == 0 && S_ISLNK(st.st_mode) && stat("/tmp/sl", &st) == 0 &&
		      S_ISREG(st.st_mode) && st.st_size == 6, "lstat_sees_the_link_stat_its_target");
	CHECK_ERR(readlink("/tmp/target", buf, sizeof(buf)), EINVAL,
		  "readlink_of_a_file_is_EINVAL");
	CHECK_ERR(symlink("/x", "/tmp/target"), EEXIST, "symlink_over_a_name_is_EEXIST");
	CHECK_ERR(readlink("/tmp/sl", (char *)8, 10), EFAULT, "readlink_into_a_bad_buffer_is_EFAULT");

	CHECK(rename("/tmp/target", "/tmp/moved") == 0 && stat("/tmp/target", &st) == -1 &&
		      errno == ENOENT && stat("/tmp/moved", &st) == 0 && st.st_size == 6,
	      "rename_moves_a_file");
	make("/tmp/other", "other file");
	CHECK(rename("/tmp/moved", "/tmp/other") == 0 && stat("/tmp/other", &st) == 0 &&
		      st.st_size == 6, "rename_replaces_what_the_name_was");
	mkdir("/tmp/dir", 0755);
	CHECK_ERR(rename("/tmp/dir", "/tmp/dir/inside"), EINVAL,
		  "rename_of_a_directory_into_itself_is_EINVAL");
	CHECK_ERR(rename("/tmp/none", "/tmp/x"), ENOENT, "rename_of_nothing_is_ENOENT");
	CHECK_ERR(rename("/tmp/other", (char *)8), EFAULT, "rename_to_a_bad_path_is_EFAULT");
	rmdir("/tmp/dir");
	unlink("/tmp/sl");
}

static void attributes(void)
{
	struct stat st;
	struct timeval times[2] = { { .tv_sec = 1000 }, { .tv_sec = 2000 } };
	int fd = open("/tmp/other", O_RDWR);

	CHECK(chmod("/tmp/other", 0600) == 0 && stat("/tmp/other", &st) == 0 &&
		      (st.st_mode & 07777) == 0600, "chmod");
	CHECK(fchmod(fd, 04640) == 0 && fstat(fd, &st) == 0 && (st.st_mode & 07777) == 04640,
	      "fchmod_with_a_set_id_bit");
	CHECK(chown("/tmp/other", 1000, 100) == 0 && stat("/tmp/other", &st) == 0 &&
		      st.st_uid == 1000 && st.st_gid == 100, "chown");
	CHECK(fchown(fd, (uid_t)-1, 0) == 0 && fstat(fd, &st) == 0 && st.st_uid == 1000 &&
		      st.st_gid == 0, "fchown_keeps_an_id_of_minus_one");
	CHECK(utimes("/tmp/other", times) == 0 && stat("/tmp/other", &st) == 0 &&
		      st.st_atime == 1000 && st.st_mtime == 2000, "utimes");
	CHECK(truncate("/tmp/other", 3) == 0 && stat("/tmp/other", &st) == 0 && st.st_size == 3,
	      "truncate_cuts");
	CHECK(ftruncate(fd, 5000) == 0 && fstat(fd, &st) == 0 && st.st_size == 5000,
	      "ftruncate_extends");
	int rd = open("/tmp/other", O_RDONLY), fds[2];
	pipe(fds);
	CHECK_ERR(ftruncate(rd, 0), EINVAL, "ftruncate_of_a_read_only_open_is_EINVAL");
	CHECK_ERR(ftruncate(fds[0], 0), EINVAL, "ftruncate_of_a_pipe_is_EINVAL");
	CHECK_ERR(truncate("/tmp/other", -1), EINVAL, "truncate_to_a_negative_size_is_EINVAL");
	CHECK_ERR(chmod("/tmp/none", 0600), ENOENT, "chmod_of_nothing_is_ENOENT");
	CHECK_ERR(fchmod(99, 0600), EBADF, "fchmod_of_no_descriptor_is_EBADF");
	CHECK_ERR(utimes("/tmp/other", (void *)8), EFAULT, "utimes_from_a_bad_record_is_EFAULT");
	close(rd);
	close(fds[0]);
	close(fds[1]);
	close(fd);
}

/* A child that becomes uid 1000: what it may and may not do. */
static void ids(void)
{
	struct stat st;

	make("/tmp/secret", "root's");
	chmod("/tmp/secret", 0600);
	pid_t child = fork();

	if (child == 0) {
		int bad = 0;
		bad |= setgid(100) != 0 || getgid() != 100;
		bad |= (setuid(1000) != 0 || getuid() != 1000 || geteuid() != 1000) << 1;
		bad |= (setuid(0) != -1 || errno != EPERM) << 2;
		bad |= (chown("/tmp/other", 0, 0) != -1 || errno != EPERM) << 3;
		bad |= (chmod("/bin/unixtest", 0777) != -1 || errno != EPERM) << 4;
		bad |= (chmod("/tmp/other", 0644) != 0) << 5;   /* its own file now */
		bad |= (stat("/tmp/secret", &st) != 0 || st.st_size != 6) << 6;
		bad |= (open("/tmp/secret", O_RDONLY) != -1 || errno != EACCES) << 7;
		link("/tmp/secret", "/tmp/secret2");   /* the parent looks */
		_exit(bad);
	}
	int status = status_of(child);
	CHECK(WIFEXITED(status) && (WEXITSTATUS(status) & 0x3f) == 0,
	      "setuid_to_1000_gives_up_root's_rights_for_good");
	CHECK(WIFEXITED(status) && (WEXITSTATUS(status) & 0xc0) == 0,
	      "it_may_stat_a_file_it_may_not_read");
	CHECK(stat("/tmp/secret2", &st) == 0 && st.st_nlink == 2,
	      "and_link_it_without_reading_it");
	unlink("/tmp/secret");
	unlink("/tmp/secret2");
	CHECK(getuid() == 0, "the_parent_is_still_root");
	unlink("/tmp/other");
}

static void exec_family(const char *self)
{
	pid_t child = fork();
	if (child == 0) {
		setenv("PATH", "/nowhere:/bin", 1);
		char *argv[] = { "unixtest", "role=exit", "7", NULL };
		execvp("unixtest", argv);
		_exit(1);
	}
	CHECK(status_of(child) == 7 << 8, "execvp_searches_PATH");
	child = fork();
	if (child == 0) {
		execl(self, self, "role=exit", "8", (char *)NULL);
		_exit(1);
	}
	CHECK(status_of(child) == 8 << 8, "execl_passes_its_list");
	CHECK_ERR(execlp("no-such-program", "x", (char *)NULL), ENOENT,
		  "execlp_of_nothing_on_PATH_is_ENOENT");
	CHECK_ERR(execvp("/etc/motd", (char *[]){ "motd", NULL }), EACCES,
		  "execvp_of_a_path_is_not_searched");
}

void attr_tests(const char *self)
{
	links();
	attributes();
	ids();
	exec_family(self);
}
