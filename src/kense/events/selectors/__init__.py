"""Reads of the events app, one module per sub-domain: events, plans, emergencies.

Selectors take the user where a scope applies and save nothing."""
