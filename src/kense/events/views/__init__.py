"""Pages of the events app, one module per sub-domain: events, plans, emergencies."""
