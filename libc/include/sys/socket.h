/*
 * Sockets (libc/unix/socket.c, docs/network.md): AF_INET only, TCP, UDP
 * and raw ICMP.  The numbers are Linux's, as the UNIX server's interface
 * takes them (idl/defs/unix.defs), except SOCK_NONBLOCK and SOCK_CLOEXEC,
 * which are newlib's O_NONBLOCK and O_CLOEXEC, as open's flags are.
 */
#pragma once

#include <sys/_default_fcntl.h>
#include <sys/types.h>

typedef uint32_t socklen_t;
typedef uint16_t sa_family_t;

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};

struct sockaddr_storage {
	sa_family_t ss_family;
	char __ss_padding[126];
};

#define AF_UNSPEC 0
#define AF_INET 2
#define PF_UNSPEC AF_UNSPEC
#define PF_INET AF_INET

#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_NONBLOCK O_NONBLOCK
#define SOCK_CLOEXEC O_CLOEXEC

#define SOL_SOCKET 1
#define SO_REUSEADDR 2
#define SO_TYPE 3
#define SO_ERROR 4
#define SO_BROADCAST 6
#define SO_SNDBUF 7
#define SO_RCVBUF 8
#define SO_KEEPALIVE 9
#define SO_RCVTIMEO 20
#define SO_SNDTIMEO 21
#define SO_ACCEPTCONN 30

#define MSG_PEEK 0x2
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_WAITALL 0x100
#define MSG_NOSIGNAL 0x4000

#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2

#define SOMAXCONN 16

int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr *address, socklen_t size);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *address, socklen_t *size);
int accept4(int fd, struct sockaddr *address, socklen_t *size, int flags);
int connect(int fd, const struct sockaddr *address, socklen_t size);
ssize_t send(int fd, const void *data, size_t size, int flags);
ssize_t sendto(int fd, const void *data, size_t size, int flags,
	       const struct sockaddr *to, socklen_t to_size);
ssize_t recv(int fd, void *data, size_t size, int flags);
ssize_t recvfrom(int fd, void *data, size_t size, int flags, struct sockaddr *from,
		 socklen_t *from_size);
int shutdown(int fd, int how);
int getsockname(int fd, struct sockaddr *address, socklen_t *size);
int getpeername(int fd, struct sockaddr *address, socklen_t *size);
int setsockopt(int fd, int level, int name, const void *value, socklen_t size);
int getsockopt(int fd, int level, int name, void *value, socklen_t *size);
