"""Writes of the indicators, a module per sub-domain: `definitions` (indicators, targets, the
on-demand refresh), `reports` (report forms and periodic reports) and `methodologies` (the
ranking's methodologies). Import the module, e.g.
`from kense.indicators.services import reports as report_services`."""
