/* Descriptors, files and directories. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unix.h>

#include "tap.h"

/* libc's process port (libc/unix/start.c), for calls libc never makes. */
extern mach_port_t unix_port;

static void bad_descriptors(void)
{
	char c;
	struct stat st;

	CHECK_ERR(read(-1, &c, 1), EBADF, "read_of_fd_minus_one_is_EBADF");
	CHECK_ERR(write(1000, "x", 1), EBADF, "write_of_fd_1000_is_EBADF");
	CHECK_ERR(close(63), EBADF, "close_of_a_free_fd_is_EBADF");
	CHECK_ERR(fstat(40, &st), EBADF, "fstat_of_a_free_fd_is_EBADF");
	CHECK_ERR(lseek(-5, 0, SEEK_SET), EBADF, "lseek_of_a_bad_fd_is_EBADF");
	CHECK_ERR(dup(50), EBADF, "dup_of_a_free_fd_is_EBADF");
	CHECK_ERR(dup2(0, 64), EBADF, "dup2_past_the_table_is_EBADF");
	int fd = open("/tmp/ro", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, "open_creates_a_file");
	CHECK_ERR(read(fd, &c, 1), EBADF, "read_of_a_write_only_fd_is_EBADF");
	close(fd);
	fd = open("/tmp/ro", O_RDONLY);
	CHECK_ERR(write(fd, "x", 1), EBADF, "write_of_a_read_only_fd_is_EBADF");
	close(fd);
	unlink("/tmp/ro");
}

static void read_write_seek(void)
{
	char buf[10000];
	struct stat st;
	int fd = open("/tmp/data", O_RDWR | O_CREAT | O_EXCL, 0600);

	CHECK(fd >= 0, "open_with_O_EXCL_creates");
	CHECK_ERR(open("/tmp/data", O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST,
		  "open_with_O_EXCL_of_an_existing_file_is_EEXIST");
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7);
	CHECK(write(fd, buf, 1) == 1 && lseek(fd, 0, SEEK_SET) == 0, "write_of_one_byte");
	CHECK(write(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf), "write_of_10000_bytes");
	CHECK(fstat(fd, &st) == 0 && st.st_size == 10000 && S_ISREG(st.st_mode) &&
		      (st.st_mode & 0777) == 0600, "fstat_gives_size_type_and_mode");
	CHECK(lseek(fd, 0, SEEK_CUR) == 10000, "lseek_SEEK_CUR_tells_the_offset");
	CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek_SEEK_SET_to_0");
	memset(buf, 0, sizeof(buf));
	bool same = read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf);
	for (unsigned i = 0; same && i < sizeof(buf); i++)
		same = buf[i] == (char)(i * 7);
	CHECK(same, "read_gives_back_what_was_written");
	CHECK(read(fd, buf, 10) == 0, "read_at_the_end_gives_0");
	CHECK_ERR(lseek(fd, 0, 99), EINVAL, "lseek_with_a_bad_whence_is_EINVAL");
	CHECK(stat("/tmp/data", &st) == 0 && st.st_size == 10000, "stat_by_path");
	CHECK(link("/tmp/data", "/tmp/data2") == 0 && stat("/tmp/data", &st) == 0 &&
		      st.st_nlink == 2, "link_gives_a_second_name");
	struct stat st2;
	CHECK(stat("/tmp/data2", &st2) == 0 && st2.st_ino == st.st_ino && st2.st_size == 10000,
	      "the_second_name_is_the_same_file");
	CHECK_ERR(link("/tmp/data", "/tmp/data2"), EEXIST, "link_to_an_existing_name_is_EEXIST");
	CHECK_ERR(link("/tmp", "/tmp/dirlink"), EPERM, "link_of_a_directory_is_EPERM");
	CHECK_ERR(link("/tmp/none", "/tmp/x"), ENOENT, "link_of_a_missing_file_is_ENOENT");
	CHECK(unlink("/tmp/data2") == 0, "unlink_of_the_second_name");
	/* What libc never sends: the server must refuse it. */
	static char one[] = "/tmp/data", unended[4] = { 'a', 'b', 'c', 'd' };
	int64_t r1 = 0, r2 = 0;
	CHECK(unix_link(unix_port, (vm_offset_t)one, sizeof(one), &r1) == KERN_SUCCESS &&
		      r1 == -EINVAL && unix_link(unix_port, (vm_offset_t)unended, sizeof(unended),
						 &r2) == KERN_SUCCESS && r2 == -EINVAL,
	      "link_paths_that_are_not_two_strings_are_EINVAL");
	CHECK(close(fd) == 0, "close");
	CHECK(unlink("/tmp/data") == 0, "unlink");
	CHECK_ERR(stat("/tmp/data", &st), ENOENT, "stat_after_unlink_is_ENOENT");
	CHECK_ERR(open("/tmp/nowhere/x", O_RDONLY), ENOENT, "open_in_a_missing_dir_is_ENOENT");
	CHECK_ERR(open("/etc/motd/x", O_RDONLY), ENOTDIR, "open_under_a_file_is_ENOTDIR");
	CHECK_ERR(open("/tmp", O_WRONLY), EISDIR, "open_of_a_directory_for_writing_is_EISDIR");
	CHECK_ERR(open("/tmp/x", 0x7fffffff), EINVAL, "open_with_unknown_flags_is_EINVAL");
}

static void dup_and_fcntl(void)
{
	int fd = open("/etc/motd", O_RDONLY);
	int copy = dup(fd);
	char a, b;

	CHECK(fd >= 0 && copy > fd, "dup_gives_the_lowest_free_fd");
	CHECK(read(fd, &a, 1) == 1 && lseek(copy, 0, SEEK_CUR) == 1,
	      "dup_shares_the_offset");
	CHECK(dup2(fd, 20) == 20 && lseek(20, 0, SEEK_SET) == 0 && read(fd, &b, 1) == 1 &&
		      a == b, "dup2_to_a_chosen_fd");
	CHECK(dup2(20, 20) == 20, "dup2_of_an_fd_to_itself");
	CHECK(fcntl(20, F_GETFD) == 0 && fcntl(20, F_SETFD, FD_CLOEXEC) == 0 &&
		      fcntl(20, F_GETFD) == FD_CLOEXEC, "fcntl_sets_close_on_exec");
	CHECK(fcntl(fd, F_DUPFD, 30) == 30, "fcntl_F_DUPFD_from_30");
	CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY, "fcntl_F_GETFL_gives_the_access");
	CHECK_ERR(fcntl(fd, 12345), EINVAL, "fcntl_of_an_unknown_cmd_is_EINVAL");
	close(fd);
	close(copy);
	close(20);
	close(30);
	CHECK(isatty(1) && !isatty(3), "isatty_of_the_terminal_and_of_a_free_fd");
}

/* Whether path opens for reading. */
static bool access_ok(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

static void directories(void)
{
	char cwd[256];
	bool found = false, dot = false;

	CHECK(mkdir("/tmp/d", 0755) == 0, "mkdir");
	CHECK_ERR(mkdir("/tmp/d", 0755), EEXIST, "mkdir_of_an_existing_name_is_EEXIST");
	int fd = open("/tmp/d/f", O_WRONLY | O_CREAT, 0644);
	close(fd);
	DIR *dir = opendir("/tmp/d");
	CHECK(dir != NULL, "opendir");
	for (struct dirent *e; dir != NULL && (e = readdir(dir)) != NULL;) {
		found |= strcmp(e->d_name, "f") == 0 && e->d_type == DT_REG;
		dot |= strcmp(e->d_name, ".") == 0 && e->d_type == DT_DIR;
	}
	CHECK(found && dot, "readdir_lists_the_entries_with_their_types");
	if (dir != NULL)
		closedir(dir);
	CHECK(chdir("/tmp/d") == 0 && getcwd(cwd, sizeof(cwd)) != NULL &&
		      strcmp(cwd, "/tmp/d") == 0, "chdir_and_getcwd");
	CHECK(access_ok("f"), "a_relative_path_starts_at_the_working_directory");
	CHECK(chdir("..") == 0 && getcwd(cwd, sizeof(cwd)) != NULL && strcmp(cwd, "/tmp") == 0,
	      "chdir_dot_dot");
	CHECK_ERR(rmdir("/tmp/d"), ENOTEMPTY, "rmdir_of_a_full_directory_is_ENOTEMPTY");
	CHECK(unlink("d/f") == 0 && rmdir("d") == 0, "unlink_and_rmdir_by_relative_paths");
	CHECK_ERR(chdir("/etc/motd"), ENOTDIR, "chdir_to_a_file_is_ENOTDIR");
	errno = 0;
	CHECK(getcwd(cwd, 2) == NULL && errno == ERANGE, "getcwd_into_too_small_a_buffer_is_ERANGE");
	chdir("/");
}

void file_tests(void)
{
	bad_descriptors();
	read_write_seek();
	dup_and_fcntl();
	directories();
}
