"""The recording and reading commands make exactly one call into `depositctl.ops` and
never touch the store themselves (read from their source, so a new branch that writes
through `Ledger` directly fails here)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import depositctl

CLI = Path(depositctl.__file__).parent / "cli"
MODULES = ("cases", "contact", "evidence", "profile", "views", "demo")
#: Not an operation: pauses the garbage collector while thousands of views are rendered.
NOT_OPS = {"paused_gc"}


def commands(tree: ast.Module) -> list[ast.FunctionDef]:
    """Every function taking the Typer context first: the commands."""
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.args.args and node.args.args[0].arg == "ctx"
    ]


def ops_calls(func: ast.FunctionDef) -> set[str]:
    names: dict[str, str] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("depositctl.ops"):
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return {
        names[node.func.id]
        for node in ast.walk(func)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in names
        and node.func.id not in NOT_OPS
    }


@pytest.mark.parametrize("module", MODULES)
def test_each_command_makes_one_call_into_ops(module: str) -> None:
    tree = ast.parse((CLI / f"{module}.py").read_text(encoding="utf-8"))
    found = commands(tree)
    assert found, module
    for func in found:
        assert len(ops_calls(func)) == 1, (module, func.name, ops_calls(func))


@pytest.mark.parametrize("module", (*MODULES, "options"))
def test_command_modules_do_not_import_the_store(module: str) -> None:
    tree = ast.parse((CLI / f"{module}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert not (node.module or "").startswith("depositctl.store"), (module, node.module)
        if isinstance(node, ast.Import):
            assert not any(a.name.startswith("depositctl.store") for a in node.names), module
        if isinstance(node, ast.Name):
            assert node.id not in ("ledger", "evaluator"), (module, node.lineno)
