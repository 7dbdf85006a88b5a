# User programs, one folder each (bin/NAME/, its rules in NAME/NAME.mk).
# A UNIX program adds itself to UNIX_PROGRAMS, which go in /bin of the
# system's disk.
UNIX_PROGRAMS :=
include $(wildcard bin/*/*.mk)
