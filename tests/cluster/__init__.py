"""The cluster test (issue 17): `python -m tests.cluster` (see __main__.py)."""
