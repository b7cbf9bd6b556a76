"""Writes of the events app, one module per sub-domain: events, plans, emergencies.

Each write is a service in one transaction; the permission rules they enforce live beside them."""
