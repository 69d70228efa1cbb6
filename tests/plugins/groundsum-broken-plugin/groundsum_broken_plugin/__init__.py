"""Imports a library that is not installed, as a plugin with a missing dependency does."""

import groundsum_library_that_is_not_installed  # noqa: F401
