"""The one exception hierarchy of tradelib.

Every error that tradelib raises on purpose derives from :class:`TradelibError`,
so a caller can catch them all with one ``except`` clause.
"""

from __future__ import annotations


class TradelibError(Exception):
    """Base class of every error raised by tradelib."""


class LoadError(TradelibError):
    """A file or record could not be turned into an article.

    Parameters
    ----------
    message : str
        What went wrong, for a person.
    path : str, optional
        The file that was being read.
    record : str, optional
        Which record inside the file (line number, NEWID, entry index...).
    """

    def __init__(self, message: str, *, path: str | None = None, record: str | None = None):
        self.reason = message
        self.path = path
        self.record = record
        where = ""
        if path is not None:
            where = f"{path}"
            if record is not None:
                where += f" [record {record}]"
            where += ": "
        super().__init__(where + message)


class InputError(TradelibError, ValueError):
    """A table or argument passed to a tradelib function has the wrong shape or value."""


class DataFileError(TradelibError):
    """A lexicon, word list or model file (shipped or user-supplied) is missing or malformed."""


class PipelineError(TradelibError):
    """A step of the notebook chain or the report rendering failed."""
