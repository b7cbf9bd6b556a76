"""Pages of the ideas app, one module per sub-domain: ideas (the users' ideas and their
evaluation), moderation (the office's moderation of residents' ideas) and public (the residents'
pages on the open site)."""
