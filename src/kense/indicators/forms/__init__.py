"""Forms of the indicator pages, a module per sub-domain: `definitions`, `reports` and
`results`."""
