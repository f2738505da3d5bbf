"""Writing an output file the one way `store.outfile` does (letter, bundle, ics): the CLI
reaches it here, since it never imports the store."""

from __future__ import annotations

from depositctl.store.outfile import output_file, write_bytes

__all__ = ["output_file", "write_bytes"]
