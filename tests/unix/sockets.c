/*
 * sockettest: sockets through libc, the UNIX server and the network
 * server (docs/network.md), on lo and on QEMU's user network.  A static
 * newlib program run as the first process by tests/boot/sockets.sh,
 * printing TAP.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

int tap_passed, tap_failed;

void tap_check(bool ok, const char *name, const char *file, int line)
{
	int number = tap_passed + tap_failed + 1;

	if (ok) {
		tap_passed++;
		printf("ok %d - %s\n", number, name);
	} else {
		tap_failed++;
		printf("not ok %d - %s\n# %s:%d: errno %d (%s)\n", number, name, file, line,
		       errno, strerror(errno));
	}
	fflush(stdout);
}

static struct sockaddr_in loopback(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	return a;
}

/* A listening TCP socket on 127.0.0.1:port. */
static int listener(uint16_t port)
{
	struct sockaddr_in a = loopback(port);
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 4) < 0)
		return -1;
	return fd;
}

/* A connected pair over lo: *client and *server. */
static bool tcp_pair(uint16_t port, int *client, int *server)
{
	struct sockaddr_in a = loopback(port);
	int l = listener(port);

	*server = -1;
	*client = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || connect(*client, (struct sockaddr *)&a, sizeof(a)) < 0)
		return false;
	*server = accept(l, NULL, NULL);
	close(l);
	return *server >= 0;
}

static void tcp_tests(void)
{
	int client = -1, server = -1;
	char buf[64];
	struct sockaddr_in a;
	socklen_t size = sizeof(a);

	CHECK(tcp_pair(7001, &client, &server), "tcp_connects_and_accepts_over_loopback");
	CHECK(write(client, "hello", 5) == 5, "tcp_write_sends");
	CHECK(read(server, buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0,
	      "tcp_read_gets_what_was_written");
	CHECK(send(server, "back", 4, 0) == 4 && recv(client, buf, sizeof(buf), 0) == 4 &&
		      memcmp(buf, "back", 4) == 0, "tcp_send_and_recv_both_ways");
	CHECK(getpeername(server, (struct sockaddr *)&a, &size) == 0 && size == sizeof(a) &&
		      a.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "getpeername_names_the_peer");
	size = sizeof(a);
	CHECK(getsockname(server, (struct sockaddr *)&a, &size) == 0 && ntohs(a.sin_port) == 7001,
	      "getsockname_names_the_local_port");
	CHECK(shutdown(client, SHUT_WR) == 0 && read(server, buf, sizeof(buf)) == 0,
	      "shutdown_write_is_the_end_of_the_stream");
	close(client);
	close(server);
}

int main(void)
{
	printf("# sockettest: start\n");
	tcp_tests();
	printf("# sockettest: %d passed, %d failed\n", tap_passed, tap_failed);
	printf("1..%d\n", tap_passed + tap_failed);
	return tap_failed > 0;
}
