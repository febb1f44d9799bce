"""ordergate's benchmark: `make bench` (1,000,000 orders) and `make bench-quick` (50,000).

One run builds the data set through the bulk import path, then starts ordergate, a ceiling app, a naive
FastAPI + SQLAlchemy app and Prism one at a time on the same data, drives each with wrk from another core,
and writes `bench/results.json` and the generated sections of `BENCHMARKS.md`. See BENCHMARKS.md.
"""
