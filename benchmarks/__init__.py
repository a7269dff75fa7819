"""Benchmark harness (not part of the tests' pass/fail). Run with `./course bench`."""
