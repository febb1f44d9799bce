"""The few domain exceptions every layer speaks; each dialect renders them as its platform's body."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a request the domain refuses, with a message meant for the client."""


class NotFound(DomainError):
    """The thing does not exist, or exists in a location the caller cannot see (never distinguished)."""


class Invalid(DomainError):
    """The input breaks one or more rules; `problems` lists every one of them."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class NotAllowed(DomainError):
    """The caller is known but may not do this (missing scope, foreign location)."""


class Conflict(DomainError):
    """The request is well formed but clashes with the current state (duplicate id, wrong status)."""
