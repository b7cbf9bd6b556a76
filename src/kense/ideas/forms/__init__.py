"""Forms of the ideas app, one module per sub-domain: ideas (proposing and evaluating), public
(the residents' forms on the open site) and moderation (the office's)."""
