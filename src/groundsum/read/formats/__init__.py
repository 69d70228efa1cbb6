"""One module per input format; each registers a Reader with ``groundsum.read.reader_registry``."""
