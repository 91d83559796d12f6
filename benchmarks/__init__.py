"""Speed and memory benchmarks: `python -m benchmarks.run` (or `python3 dev.py bench`)."""
