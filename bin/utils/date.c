/* date: the time of day, as the system keeps it (from boot: there is
 * no real-time clock yet). */
#include "util.h"

#include <sys/time.h>
#include <time.h>

int main(int argc, char **argv)
{
	bool seen[128] = { 0 };
	char text[64];
	struct timeval tv;

	util_start(argc, argv, "u", "[-u]", "print the date and time (UTC)", seen, NULL);
	gettimeofday(&tv, NULL);
	time_t t = tv.tv_sec;
	strftime(text, sizeof(text), "%a %b %e %H:%M:%S UTC %Y", gmtime(&t));
	printf("%s\n", text);
	return 0;
}
