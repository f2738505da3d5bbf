"""The thin command-line layer: parses, calls one function, renders, maps errors."""
