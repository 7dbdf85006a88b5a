/* Mach's boolean: a 32-bit integer on the wire and in C. */
#pragma once

typedef int boolean_t;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
