"""The load benchmark (`make bench`): a large programme in PostgreSQL, the app served
as in production, each key page loaded with wrk, batch matching and the data export
timed. Not part of `make test`; see `bench/run.py`."""
