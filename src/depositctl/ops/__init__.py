"""Operations that join the pure core, the ledger and the renderers.

A command parses its arguments, makes exactly one call into this package and renders
what comes back; every rule and every write lives here or below.
"""
