# -*- Python -*-
"""lit configuration that runs Fungible's GoogleTest binaries, one lit test
per GoogleTest case, so one lit run counts every test."""

import lit.formats

config.name = "Fungible-Unit"
config.suffixes = []
config.test_source_root = config.fungible_unit_dir
config.test_exec_root = config.fungible_unit_dir
config.test_format = lit.formats.GoogleTest(".", "Tests")

import os

# The sanitizers' settings reach the test binaries (scripts/sanitize.sh).
for name in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "OMP_NUM_THREADS"):
    if name in os.environ:
        config.environment[name] = os.environ[name]
