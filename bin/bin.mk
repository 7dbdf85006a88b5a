# User programs, one folder each (bin/NAME/, its rules in NAME/NAME.mk).
include $(wildcard bin/*/*.mk)
