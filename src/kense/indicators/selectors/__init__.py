"""Reads of the indicators, a module per sub-domain: `definitions` (an indicator's values and
targets by territory and year), `reports` (a report's values, the previous period's, the
reporting rates) and `results` (the results table, the ranking, trends and the passport).
Import the module, e.g. `from kense.indicators.selectors import reports as report_selectors`."""
