"""depositctl: a ledger and complaint-letter writer for unrefunded POS-terminal deposits."""

__version__ = "0.1.0"
