# The core utilities' checks (tests/utils/rc, tests/boot/utils.sh): a
# copy of the system's disk whose /etc/rc is the checks.
UTILS_IMAGE := $(BUILD)/tests/utils/utils.img
$(UTILS_IMAGE): scripts/mkroot.sh $(shell find rootfs -type f) $(UNIX_PROGRAMS) tests/utils/rc \
		| $(STAMP)/packages
	@echo "  MKROOT  $@"
	@mkdir -p $(@D)
	@scripts/mkroot.sh $@ 64 $(UNIX_PROGRAMS) tests/utils/rc=/etc/rc

TEST_DEPS += $(UTILS_IMAGE)
TEST_SUITES += tests/boot/utils.sh
