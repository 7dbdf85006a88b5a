/* true: the small static program unixbench execs (fork+execve+wait). */
int main(void)
{
	return 0;
}
