"""Reads of the indicators, a module per sub-domain: `reports` (a report's values, the
previous period's, the reporting rates). Import the module, e.g.
`from kense.indicators.selectors import reports as report_selectors`."""
