/* TCP's socket options (setsockopt at IPPROTO_TCP). */
#pragma once

#define TCP_NODELAY 1
