/* newlib's <unistd.h>, and the calls Pagoda's libc adds to it
 * (libc/unix/). */
#pragma once

#include_next <unistd.h>

int pipe2(int fds[2], int flags);
int dup3(int fd, int newfd, int flags);
