"""Operations that join the pure core, the ledger and the renderers.

A command parses its arguments, makes exactly one call into this package and renders
what comes back; every rule and every write lives here or below. An operation takes the
`Env` (ledger path, today) first, opens the ledger itself (`ops.env.opened`), writes through
the typed models of `core.models` (`NewCase`, `CaseChanges`, `NewProgress`, …; money as
Decimal yuan) and returns plain typed results; it never prints.

- `cases`: add, edit, progress, met/returned, refund, close, reopen, contact, statements
- `evidence`: evidence add, list, verify
- `profile`: the complainant and the grace-days setting
- `views`: `show` (one case) and the listings of many (`status`, `agenda`, `ics`)
- `demo`: the example ledger in a throwaway folder
"""
