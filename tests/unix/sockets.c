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
#include "../../libc/unix/unix_priv.h"

#include <inet.h>
#include <mach/socket_types.h>
#include <unix.h>

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


static void udp_tests(void)
{
	struct sockaddr_in a = loopback(7100), from;
	socklen_t size = sizeof(from);
	char buf[64];
	int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);

	CHECK(bind(r, (struct sockaddr *)&a, sizeof(a)) == 0, "udp_binds");
	CHECK(sendto(w, "datagram", 8, 0, (struct sockaddr *)&a, sizeof(a)) == 8,
	      "udp_sendto_sends_a_datagram");
	CHECK(recvfrom(r, buf, sizeof(buf), MSG_PEEK, NULL, NULL) == 8 &&
		      recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &size) == 8 &&
		      memcmp(buf, "datagram", 8) == 0 && size == sizeof(from) &&
		      from.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
	      "udp_recvfrom_gets_it_with_its_source_and_peek_leaves_it");
	CHECK(connect(w, (struct sockaddr *)&a, sizeof(a)) == 0 &&
		      send(w, "0123456789", 10, 0) == 10 &&
		      recv(r, buf, 4, MSG_TRUNC) == 10 && memcmp(buf, "0123", 4) == 0,
	      "udp_datagram_cut_to_the_buffer_and_msg_trunc_tells_its_length");
	CHECK_ERR(recv(r, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN,
		  "udp_recv_dontwait_on_empty_is_eagain");
	close(r);
	close(w);
}

static void nonblocking_tests(void)
{
	struct sockaddr_in a = loopback(7200);
	int l = listener(7200), c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), error = -1;
	socklen_t size = sizeof(error);
	struct pollfd p = { .fd = c, .events = POLLOUT };
	char buf[8];

	fcntl(l, F_SETFL, O_NONBLOCK);
	CHECK_ERR(accept(l, NULL, NULL), EAGAIN, "accept_with_none_waiting_is_eagain");
	CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof(a)), EINPROGRESS,
		  "nonblocking_connect_is_einprogress");
	int ready = poll(&p, 1, 5000);
	CHECK(ready == 1 && (p.revents & POLLOUT), "poll_says_the_connect_is_made");
	CHECK(getsockopt(c, SOL_SOCKET, SO_ERROR, &error, &size) == 0 && error == 0,
	      "so_error_after_the_connect_is_0");
	struct pollfd lp = { .fd = l, .events = POLLIN };
	CHECK(poll(&lp, 1, 5000) == 1 && (lp.revents & POLLIN), "poll_says_a_connection_waits");
	int s = accept(l, NULL, NULL);
	CHECK(s >= 0, "accept_takes_it");
	CHECK_ERR(read(c, buf, sizeof(buf)), EAGAIN, "nonblocking_read_on_empty_is_eagain");
	close(s);
	close(c);
	close(l);
}

static void refused_tests(void)
{
	struct sockaddr_in a = loopback(7299);
	int c = socket(AF_INET, SOCK_STREAM, 0);

	char buf[4];

	CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof(a)), ECONNREFUSED,
		  "connect_to_a_closed_port_is_refused");
	CHECK_ERR(recv(c, buf, sizeof(buf), 0), ENOTCONN,
		  "recv_after_a_refused_connect_is_enotconn");
	close(c);
}

/* Through eth0 and the gateway: QEMU's user network connects to the
 * host's 127.0.0.1, whose port 1 nothing serves. */
static void gateway_tests(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(1),
				 .sin_addr.s_addr = inet_addr("10.0.2.2") };
	int c = socket(AF_INET, SOCK_STREAM, 0);

	CHECK_ERR(connect(c, (struct sockaddr *)&a, sizeof(a)), ECONNREFUSED,
		  "connect_through_the_gateway_to_a_closed_host_port_is_refused");
	close(c);
}

static void socket_poll_tests(void)
{
	int client = -1, server = -1, pipe_fds[2];
	char buf[8];

	tcp_pair(7300, &client, &server);
	pipe(pipe_fds);
	write(pipe_fds[1], "p", 1);
	struct pollfd p[2] = { { .fd = server, .events = POLLIN },
			       { .fd = pipe_fds[0], .events = POLLIN } };
	CHECK(poll(p, 2, 1000) == 1 && p[0].revents == 0 && p[1].revents == POLLIN,
	      "poll_across_a_socket_and_a_pipe_finds_the_pipe");
	read(pipe_fds[0], buf, 1);
	if (fork() == 0) {
		usleep(100000);
		write(client, "s", 1);
		_exit(0);
	}
	CHECK(poll(p, 2, 5000) == 1 && p[0].revents == POLLIN && p[1].revents == 0,
	      "poll_waits_for_the_socket_and_wakes_when_bytes_come");
	wait(NULL);
	fd_set readable;
	struct timeval tv = { .tv_sec = 1 };
	FD_ZERO(&readable);
	FD_SET(server, &readable);
	CHECK(select(server + 1, &readable, NULL, NULL, &tv) == 1 && FD_ISSET(server, &readable),
	      "select_finds_the_socket_readable");
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	close(client);
	close(server);
}

static long elapsed_ms(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

/* With nobody reading, a blocking write of more than the send buffer
 * holds goes in part and ends at SO_SNDTIMEO with what went. */
static bool fill_then_time_out(int fd)
{
	static char big[128 * 1024];
	struct timeval tv = { .tv_usec = 300000 };
	struct timespec start;

	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &start);
	long n = write(fd, big, sizeof(big));
	long ms = elapsed_ms(&start);
	printf("# write under SO_SNDTIMEO: %ld bytes after %ld ms\n", n, ms);
	return n > 0 && n < (long)sizeof(big) && ms >= 250 && ms < 3000;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A signal ends a read that waits on a socket: EINTR. */
static void interrupt_tests(void)
{
	int client = -1, server = -1;
	struct sigaction action = { .sa_handler = on_alarm };
	struct itimerval timer = { .it_value.tv_usec = 200000 };
	char buf[8];

	tcp_pair(7900, &client, &server);
	sigaction(SIGALRM, &action, NULL);
	setitimer(ITIMER_REAL, &timer, NULL);
	CHECK_ERR(read(server, buf, sizeof(buf)), EINTR, "a_signal_ends_a_socket_read_with_eintr");
	CHECK(write(client, "z", 1) == 1 && read(server, buf, sizeof(buf)) == 1 && buf[0] == 'z',
	      "the_socket_serves_after_the_interrupted_read");
	signal(SIGALRM, SIG_DFL);
	close(client);
	close(server);
}

/* A port whose last connection was closed here (TIME_WAIT) is bound
 * again by a socket with SO_REUSEADDR. */
static void reuse_tests(void)
{
	int client = -1, server = -1, one = 0;
	socklen_t size = sizeof(one);
	struct sockaddr_in a = loopback(7800);

	tcp_pair(7800, &client, &server);
	close(server);   /* this end closes first: its side waits in TIME_WAIT */
	usleep(100000);
	close(client);
	usleep(100000);
	int l = listener(7800);
	CHECK(l >= 0 && getsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, &size) == 0 && one == 1,
	      "so_reuseaddr_binds_a_port_in_time_wait_and_reads_back");
	int plain = socket(AF_INET, SOCK_STREAM, 0);
	close(l);
	CHECK_ERR(bind(plain, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE,
		  "without_so_reuseaddr_a_port_in_time_wait_is_in_use");
	close(plain);
}

static void option_tests(void)
{
	int client = -1, server = -1, value = 1, type = 0;
	socklen_t size = sizeof(value);
	struct timeval tv = { .tv_usec = 200000 }, got = { 0 };
	struct timespec start;
	char buf[8];

	tcp_pair(7400, &client, &server);
	CHECK(setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &value, sizeof(value)) == 0 &&
		      getsockopt(client, IPPROTO_TCP, TCP_NODELAY, &value, &size) == 0 &&
		      value == 1,
	      "tcp_nodelay_is_set_and_read_back");
	size = sizeof(type);
	CHECK(getsockopt(client, SOL_SOCKET, SO_TYPE, &type, &size) == 0 && type == SOCK_STREAM,
	      "so_type_is_sock_stream");
	size = sizeof(got);
	CHECK(setsockopt(server, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0 &&
		      getsockopt(server, SOL_SOCKET, SO_RCVTIMEO, &got, &size) == 0 &&
		      got.tv_usec == 200000, "so_rcvtimeo_is_set_and_read_back");
	clock_gettime(CLOCK_MONOTONIC, &start);
	errno = 0;
	long r = read(server, buf, sizeof(buf));
	long ms = elapsed_ms(&start);
	CHECK(r == -1 && errno == EAGAIN && ms >= 150 && ms < 2000,
	      "a_read_under_so_rcvtimeo_ends_with_eagain_after_it");
	CHECK(fill_then_time_out(client), "a_write_under_so_sndtimeo_ends_at_it_with_what_went");
	CHECK_ERR(setsockopt(server, SOL_SOCKET, SO_RCVTIMEO, &tv, 4), EINVAL,
		  "so_rcvtimeo_with_a_short_value_is_einval");
	CHECK_ERR(setsockopt(server, SOL_SOCKET, 999, &value, sizeof(value)), ENOPROTOOPT,
		  "an_unknown_option_is_enoprotoopt");
	close(client);
	close(server);
}

static void error_tests(void)
{
	struct sockaddr_in a = loopback(7500);
	int fd = socket(AF_INET, SOCK_STREAM, 0), pipe_fds[2];
	struct sockaddr bad = { .sa_family = 1 };

	pipe(pipe_fds);
	CHECK_ERR(socket(1, SOCK_STREAM, 0), EAFNOSUPPORT,
		  "socket_of_another_family_is_eafnosupport");
	CHECK_ERR(socket(AF_INET, 9, 0), EINVAL, "socket_of_an_unknown_type_is_einval");
	CHECK_ERR(socket(AF_INET, SOCK_STREAM, IPPROTO_UDP), EPROTONOSUPPORT,
		  "tcp_with_udp_protocol_is_eprotonosupport");
	CHECK_ERR(bind(99, (struct sockaddr *)&a, sizeof(a)), EBADF,
		  "bind_on_a_bad_descriptor_is_ebadf");
	CHECK_ERR(listen(pipe_fds[0], 1), ENOTSOCK, "listen_on_a_pipe_is_enotsock");
	CHECK_ERR(bind(fd, (struct sockaddr *)&a, 8), EINVAL,
		  "bind_with_a_short_address_is_einval");
	CHECK_ERR(bind(fd, &bad, sizeof(bad)), EAFNOSUPPORT,
		  "bind_with_another_family_is_eafnosupport");
	CHECK_ERR(bind(fd, (struct sockaddr *)8, sizeof(a)), EFAULT,
		  "bind_with_a_bad_pointer_is_efault");
	CHECK_ERR(send(fd, (void *)8, 4, 0), EFAULT, "send_from_a_bad_pointer_is_efault");
	CHECK_ERR(send(fd, "x", 1, 0), ENOTCONN, "send_unconnected_is_enotconn");
	CHECK_ERR(accept(fd, NULL, NULL), EINVAL, "accept_on_a_socket_not_listening_is_einval");
	int l = listener(7500), other = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_ERR(bind(other, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE,
		  "binding_a_port_in_use_is_eaddrinuse");
	CHECK_ERR(getpeername(other, (struct sockaddr *)&a, (socklen_t[]){ sizeof(a) }), ENOTCONN,
		  "getpeername_unconnected_is_enotconn");
	CHECK_ERR(shutdown(fd, 7), EINVAL, "shutdown_with_an_unknown_how_is_einval");
	close(l);
	close(other);
	close(fd);
	close(pipe_fds[0]);
	close(pipe_fds[1]);
}

static void end_tests(void)
{
	int client = -1, server = -1;
	char buf[8];

	tcp_pair(7600, &client, &server);
	signal(SIGPIPE, SIG_IGN);
	close(server);
	usleep(100000);
	CHECK(read(client, buf, sizeof(buf)) == 0, "read_after_the_peer_closed_is_the_end");
	write(client, "x", 1);   /* the peer answers with a reset */
	usleep(100000);
	errno = 0;
	long r = write(client, "y", 1);
	CHECK(r == -1 && (errno == EPIPE || errno == ECONNRESET),
	      "write_after_the_peer_closed_fails_with_epipe_or_econnreset");
	close(client);
	signal(SIGPIPE, SIG_DFL);

	tcp_pair(7601, &client, &server);
	write(client, "unread", 6);
	usleep(100000);
	close(server);   /* data not read: a reset */
	usleep(100000);
	CHECK_ERR(read(client, buf, sizeof(buf)), ECONNRESET,
		  "closing_with_unread_data_resets_the_peer");
	close(client);
}

/* 1 MiB from a forked child over lo: the bytes arrive whole and in order. */
static void bulk_tests(void)
{
	int client = -1, server = -1;
	static char buf[4096];
	uint32_t sum = 0, expect = 0;
	long total = 0;

	tcp_pair(7700, &client, &server);
	for (long i = 0; i < 1024 * 1024; i++)
		expect = expect * 31 + (uint8_t)(i * 7);
	pid_t child = fork();
	if (child == 0) {
		close(server);
		for (long i = 0; i < 1024 * 1024; i += sizeof(buf)) {
			for (size_t k = 0; k < sizeof(buf); k++)
				buf[k] = (char)((i + (long)k) * 7);
			if (write(client, buf, sizeof(buf)) != sizeof(buf))
				_exit(1);
		}
		_exit(0);
	}
	close(client);
	long n;
	while ((n = read(server, buf, sizeof(buf))) > 0) {
		for (long k = 0; k < n; k++)
			sum = sum * 31 + (uint8_t)buf[k];
		total += n;
	}
	CHECK(total == 1024 * 1024 && sum == expect && status_of(child) == 0,
	      "a_mebibyte_from_a_child_arrives_whole_and_in_order");
	close(server);
}

static void lookup_tests(void)
{
	struct addrinfo *ai = NULL, hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };

	struct sockaddr_in *in = NULL;
	CHECK(getaddrinfo("10.0.2.2", "80", &hints, &ai) == 0 && ai != NULL &&
		      (in = (struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr ==
			      inet_addr("10.0.2.2") && in->sin_port == htons(80),
	      "getaddrinfo_takes_a_dotted_quad_and_a_port");
	freeaddrinfo(ai);
	CHECK(getaddrinfo("10.0.2.2", "http", &hints, &ai) == EAI_SERVICE,
	      "getaddrinfo_with_a_named_service_is_eai_service");
	struct hostent *h = gethostbyname("127.0.0.1");
	CHECK(h != NULL && h->h_length == 4 && *(uint32_t *)h->h_addr == htonl(INADDR_LOOPBACK),
	      "gethostbyname_takes_a_dotted_quad");
	CHECK(inet_addr("1.2.3") == INADDR_NONE && inet_addr("1.2.3.256") == INADDR_NONE,
	      "inet_addr_refuses_what_is_not_a_dotted_quad");
}

/* The interfaces as ifconfig reads them (inet.defs), after the traffic
 * above: lo has counted it. */
static void interface_tests(void)
{
	struct inet_interface list[INET_INTERFACES_MAX];
	mach_msg_type_number_t words = (mach_msg_type_number_t)(sizeof(list) / (sizeof(uint64_t)));
	mach_port_t server = MACH_PORT_NULL;
	int64_t result = -1;

	CHECK(unix_network(unix_port, &result, &server) == KERN_SUCCESS && result == 0 &&
		      inet_interfaces(server, (uint64_t *)list, &words) == KERN_SUCCESS &&
		      words == 2 * sizeof(list[0]) / sizeof(uint64_t),
	      "the_network_server_lists_lo_and_eth0");
	CHECK(strcmp(list[0].name, "lo") == 0 && (list[0].flags & INET_IF_LOOPBACK) &&
		      list[0].address == INADDR_LOOPBACK && list[0].mtu == 65535 &&
		      list[0].rx_packets > 100 && list[0].tx_bytes > 1024 * 1024,
	      "lo_has_its_address_and_has_counted_the_traffic");
	CHECK(strcmp(list[1].name, "eth0") == 0 && list[1].hardware[0] == 0x52 &&
		      list[1].mtu == 1500 && (list[1].flags & INET_IF_UP),
	      "eth0_has_the_cards_address_and_is_up");
	mach_port_deallocate(mach_task_self(), server);
}

int main(void)
{
	printf("# sockettest: start\n");
	tcp_tests();
	udp_tests();
	nonblocking_tests();
	refused_tests();
	gateway_tests();
	socket_poll_tests();
	option_tests();
	error_tests();
	end_tests();
	bulk_tests();
	reuse_tests();
	interrupt_tests();
	lookup_tests();
	interface_tests();
	printf("# sockettest: %d passed, %d failed\n", tap_passed, tap_failed);
	printf("1..%d\n", tap_passed + tap_failed);
	return tap_failed > 0;
}
