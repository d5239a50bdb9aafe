"""Use cases. Each owns its transaction, returns plain dataclasses, raises DomainError."""
