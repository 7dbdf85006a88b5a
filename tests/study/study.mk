# The liability-inversion study (tests/study/, docs/liability-inversion.md):
# make study runs every fault, policy and deadline into
# build/study/results.csv, and the replacements, and regenerates the
# report and its plots (gnuplot, from the set-up's packages); make test
# runs its quick variant.
.PHONY: study
study: $(KERNEL_ELF32) $(BOOTSTRAP) $(MEMPAGER) $(FAULTPAGER) $(PAGERTEST) | $(STAMP)/packages
	@tests/study/run.sh

TEST_SUITES += tests/study/quick.sh
