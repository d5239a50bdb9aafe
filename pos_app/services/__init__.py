"""Use cases. Each owns its transaction, returns plain dataclasses, raises DomainError."""

__all__ = ["access", "catalog", "reporting", "sale", "setup", "shift", "stock", "sync"]
