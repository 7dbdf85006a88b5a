/*
 * C types of rt.defs: one per type the interface declares that C
 * does not know.  Freestanding, like everything the stubs include.
 */
#pragma once

#include <mach/std_types.h>

typedef int32_t int_vec4_t[4];
typedef int32_t *int_list_t;
typedef uint8_t *byte_list_t;
typedef char name_t[32];
typedef char *path_t;
typedef struct {
	int64_t x;
	int64_t y;
} point_t;
typedef uint8_t *bytes_t;
typedef int32_t *int_ool_t;
typedef int32_t *int_ool4_t;
typedef mach_port_t *port_array3_t;

/* Translations: a port names an object; a cookie is a boxed number. */
typedef struct rt_object *rt_object_t;
typedef struct rt_cookie *rt_cookie_t;
rt_object_t rt_object_lookup(mach_port_t port);
void rt_object_release(rt_object_t object);
mach_port_t rt_object_port(rt_object_t object);
rt_cookie_t rt_cookie_in(int32_t value);
int32_t rt_cookie_out(rt_cookie_t cookie);

/* The C names of the translated types, as MIG takes them. */
typedef mach_port_t object_t;
typedef int32_t cookie_t;
