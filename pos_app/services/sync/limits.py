"""Limits of a sync that any layer may read without loading the sync machinery (the command
line's parser shows the default batch size before anything heavy is imported)."""

BATCH_SIZE = 10_000  # records per central transaction (one COPY per table in each)
