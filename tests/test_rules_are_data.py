"""Kombo rules live in contracts/, not in Python: the checks, the sandbox and the strategies
name no operation path or collection (``ats/jobs``), the checks and strategies name no
prose-rule field, and the checks and the sandbox name no deletion marker (the contract's
``x-kombo-deleted-marker``) (issue 13).

String constants are read from the syntax tree, so docstrings (which may cite an operation as
an example) are left out and everything else, f-strings included, is looked at.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# an operation path (also a piece of an f-string), or a collection (``ats/jobs``)
OPERATION_PATH = re.compile(r"/(ats|assessment|lms)/|\b(ats|assessment|lms)/[a-z]")
NO_PATHS = ("kombo_conformance/checks", "kombo_conformance/sandbox", "strategies")
NO_PROSE_FIELDS = ("kombo_conformance/checks", "strategies")
NO_DELETION_MARKER = ("kombo_conformance/checks", "kombo_conformance/sandbox")


def docstring_nodes(tree: ast.Module) -> set[int]:
    """ids of the string constants that are module, class or function docstrings."""
    owners = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef))]
    found = set()
    for owner in owners:
        body = getattr(owner, "body", [])
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            found.add(id(body[0].value))
    found |= {
        id(n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)
    }  # a bare string statement is a comment too
    return found


def strings_in(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    skip = docstring_nodes(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def offending(folders: tuple[str, ...], pattern: re.Pattern[str]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for folder in folders
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, text in strings_in(path)
        if pattern.search(text)
    ]


def test_the_guard_sees_a_path_in_code_and_not_in_a_docstring(tmp_path):
    source = tmp_path / "m.py"
    source.write_text('"""GET /ats/jobs is an example."""\nOP = f"GET /ats/{1}"\n')
    assert [text for _, text in strings_in(source) if OPERATION_PATH.search(text)] == ["GET /ats/"]
    source.write_text('"""Records of lms/users."""\nC = "lms/users"\n')
    assert [text for _, text in strings_in(source) if OPERATION_PATH.search(text)] == ["lms/users"]
    source.write_text('OP = "GET /ats/jobs"\nNOT = "whats/new"\n')
    assert [text for _, text in strings_in(source) if OPERATION_PATH.search(text)] == [
        "GET /ats/jobs"
    ]


@pytest.mark.parametrize("folder", NO_PATHS)
def test_no_operation_path_in_code(folder):
    assert offending((folder,), OPERATION_PATH) == []


@pytest.mark.parametrize("folder", NO_PROSE_FIELDS)
def test_no_prose_rule_field_in_code(folder):
    assert offending((folder,), re.compile(r"completed_at")) == []


@pytest.mark.parametrize("folder", NO_DELETION_MARKER)
def test_no_deletion_marker_in_code(folder):
    assert offending((folder,), re.compile(r"remote_deleted_at")) == []


def test_no_attachment_field_in_strategies():
    """What an attachment sends comes from its schema and the declared rules, not from the
    name of its link field (``data_url`` the parameter, the user's URL, is not a constant)."""
    assert offending(("strategies",), re.compile(r"\bdata_url\b")) == []
