/*
 * C types of the name service's interface (idl/defs/bootstrap.defs),
 * served by the bootstrap task.
 */
#pragma once

/* A service's name: NUL-terminated, 1 to BOOTSTRAP_NAME_MAX - 1 bytes. */
#define BOOTSTRAP_NAME_MAX 128
typedef char *bootstrap_name_t;
