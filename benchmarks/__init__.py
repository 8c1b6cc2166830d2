"""Performance scripts: `python -m benchmarks.NAME`, or `python -m benchmarks` for all.

Each makes its own data, prints a readable summary and ends with one JSON line.
"""
