"""Domain errors; each class's docstring is the message a person sees."""

from __future__ import annotations


class DomainError(Exception):
    """Something went wrong."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or (self.__doc__ or "").strip())

    @property
    def message(self) -> str:
        return str(self)


class NotFound(DomainError):
    """Not found."""


class ValidationFailed(DomainError):
    """Please correct the highlighted fields."""
