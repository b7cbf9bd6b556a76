"""Writes of the indicators, a module per sub-domain: `definitions` (indicators, targets, the
on-demand refresh) and `methodologies` (the ranking's methodologies). Import the module, e.g.
`from kense.indicators.services import definitions as definition_services`."""
