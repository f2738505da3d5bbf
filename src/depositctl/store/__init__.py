"""The ledger: one SQLite file, its migrations, and the evidence store beside it."""
