"""Renderers: one data object (a CaseView), several outputs (tables, JSON, letters)."""
