/* Dotted-quad conversions (libc/unix/resolve.c). */
#pragma once

#include <netinet/in.h>

int inet_aton(const char *text, struct in_addr *address);
in_addr_t inet_addr(const char *text);
char *inet_ntoa(struct in_addr address);
const char *inet_ntop(int family, const void *address, char *text, socklen_t size);
int inet_pton(int family, const char *text, void *address);
