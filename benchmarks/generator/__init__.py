"""Synthetic national-scale data for benchmarks and load tests (``manage.py generate``).

``names`` holds the Kazakh and Russian word lists and the name builders; ``build`` writes the
rows with ``bulk_create``. Generated data is not audited: bulk inserts write no history rows.
"""
