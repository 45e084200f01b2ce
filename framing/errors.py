"""Exceptions raised by the library. The CLI turns them into one-line messages."""


class FramingError(Exception):
    """Base class: a problem a user can fix, described in one sentence."""


class InputError(FramingError):
    """An input path, file or option cannot be used."""


class LexiconError(FramingError):
    """A lexicon or actors file failed validation."""


class ConfigError(FramingError):
    """An invalid configuration value."""
