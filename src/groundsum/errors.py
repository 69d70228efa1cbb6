"""Errors that reach people. Each carries one line that says what went wrong and what to do."""


class GroundsumError(Exception):
    """Base for every error groundsum reports to a user as a single line."""


class InputError(GroundsumError):
    """The input can't be read: missing, unsupported, empty, binary, encrypted, image-only."""


class EngineError(GroundsumError):
    """A summarization engine failed: endpoint down, unknown model, missing extra."""


class ConfigError(GroundsumError):
    """An option or setting is invalid."""
