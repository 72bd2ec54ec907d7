"""Benchmarks: page timings against a throwaway database, run by `make bench`.

Timings live here, never in tests (see STYLE.md). Each benchmark measures pages
in-process with Django's test client and compares them with a floor: a static
file served by the same stack in the same run.
"""
