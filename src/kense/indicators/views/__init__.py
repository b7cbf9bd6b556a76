"""Pages of the indicators, a module per sub-domain: `definitions` (indicators, targets, the
recompute button), `reports` (report forms, periodic reports, reporting rates) and `results`
(the results table, the ranking, trends, the passport, methodologies). Each parses, calls a
selector or a service, and renders."""
