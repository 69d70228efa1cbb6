"""One module per engine; each registers a factory with ``groundsum.summarize.engines``."""
