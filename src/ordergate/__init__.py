"""ordergate: a stateful orders service that speaks the HighLevel Payments Orders API."""

__version__ = "0.1.0"
