# The liability-inversion study (tests/study/, docs/liability-inversion.md).
# make study runs every fault, policy and deadline into
# build/study/results.csv; make test runs its quick variant.
.PHONY: study
study: $(KERNEL_ELF32) $(BOOTSTRAP) $(FAULTPAGER) $(PAGERTEST)
	@tests/study/run.sh

TEST_SUITES += tests/study/quick.sh
