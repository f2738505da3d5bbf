"""The pure domain core: models, money, dates, workdays, states and deadline rules.

Nothing in this package reads files, the clock, the environment or a database:
every fact, every rule and `today` come in as parameters.
"""
