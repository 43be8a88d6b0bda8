# -*- Python -*-
"""lit configuration that runs Fungible's GoogleTest binaries, one lit test
per GoogleTest case, so one lit run counts every test."""

import lit.formats

config.name = "Fungible-Unit"
config.suffixes = []
config.test_source_root = config.fungible_unit_dir
config.test_exec_root = config.fungible_unit_dir
config.test_format = lit.formats.GoogleTest(".", "Tests")
