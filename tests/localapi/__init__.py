"""The local Bot API server: validation, behaviour, webhooks and faults."""
