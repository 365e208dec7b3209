"""The layers of ARCHITECTURE.md, checked by walking every import (function-local ones included)
and every string literal of the source tree with `ast`.

- reports/ and services/ never import render/, cli/, typer or rich;
- SQL appears only in storage/;
- the day-state engine (reports/daystate.py) imports nothing of the project but itself and the
  run rules it shares with the check-in (reports/runs.py, a standard-library leaf), and reads no
  store."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import recoverylog

ROOT = Path(recoverylog.__file__).parent
FORBIDDEN_FOR_LOGIC = ("recoverylog.render", "recoverylog.cli", "typer", "rich")
# SQL as this project writes it: keywords in capitals.
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|PRAGMA|BEGIN|VACUUM)\b|"
                 r"\b(SELECT\s.+\sFROM|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|CREATE\s+TABLE)\b", re.S)


def modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def imports(path: Path) -> list[tuple[int, str]]:
    """Every imported module name in a file, at any depth (functions, branches, TYPE_CHECKING)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-node.level])
                name = f"{package}.{node.module}" if node.module else package
            else:
                name = node.module or ""
            found.append((node.lineno, name))
            found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
    return found


def strings(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):  # f-strings: their literal parts, joined
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            out.append((node.lineno, text))
    return out


def forbidden(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_walker_sees_function_local_imports(tmp_path):
    sample = ROOT / "reports" / "__probe__.py"
    try:
        sample.write_text("def f():\n    if True:\n        from recoverylog.render import console\n", encoding="utf-8")
        assert (3, "recoverylog.render") in imports(sample)
    finally:
        sample.unlink()


def test_reports_and_services_import_no_render_cli_typer_or_rich():
    bad = [f"{path.relative_to(ROOT)}:{line}: {name}"
           for folder in ("reports", "services") for path in modules(folder)
           for line, name in imports(path) if forbidden(name, FORBIDDEN_FOR_LOGIC)]
    assert not bad, "\n".join(bad)


def test_sql_appears_only_in_storage():
    assert SQL.search("SELECT count(*) FROM uses WHERE x = ?")
    assert not SQL.search("Select one of --week, --month or --since/--until.")
    bad = [f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}"
           for path in ROOT.rglob("*.py") if "storage" not in path.relative_to(ROOT).parts
           for line, text in strings(path) if SQL.search(text)]
    assert not bad, "\n".join(bad)


def test_the_day_state_engine_is_pure():
    path = ROOT / "reports" / "daystate.py"
    names = [name for _, name in imports(path)]
    project = [n for n in names if n.startswith("recoverylog")]
    leaves = ("recoverylog.reports.runs", "recoverylog.records")
    assert all(n in leaves or n.startswith(tuple(leaf + "." for leaf in leaves)) for n in project), project
    assert not any(n.split(".")[0] in ("sqlite3", "sqlite_utils", "rich", "typer") for n in names)
    for leaf in ("reports/runs.py", "records.py"):
        used = [n for _, n in imports(ROOT / leaf)]
        assert not [n for n in used if n.startswith("recoverylog")], used   # a leaf: nothing of ours




def storage_access(path: Path) -> list[str]:
    """Imports of storage, cli or sqlite in a renderer, other than UPPER_CASE constants."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names if forbidden(a.name, ("recoverylog.storage", "recoverylog.cli",
                                                                      "sqlite3", "sqlite_utils"))]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if forbidden(node.module, ("recoverylog.cli", "sqlite3", "sqlite_utils")):
                out.append(node.module)
            elif forbidden(node.module, ("recoverylog.storage",)) or node.module == "recoverylog" and any(
                    a.name == "storage" for a in node.names):
                out += [f"{node.module}.{a.name}" for a in node.names if not a.name.isupper()]
    return out


LEAVES = ("errors", "clock", "dates", "settings", "text", "jsonable", "textcheck", "limits", "outfile", "outcome",
          "schemacheck", "_summary_schema_check", "terminal", "records")


def test_storage_render_and_leaf_modules_keep_to_their_layer():
    """The rest of ARCHITECTURE.md's table: storage reads no logic or view, render reads no storage,
    a leaf module reads only other leaves."""
    bad = []
    for path in modules("storage"):
        bad += [f"{path.relative_to(ROOT)}: {n}" for _, n in imports(path)
                if forbidden(n, ("recoverylog.services", "recoverylog.reports", "recoverylog.render",
                                 "recoverylog.cli", "recoverylog.exports"))]
    for path in modules("render"):
        # A constant shared with storage (e.g. the search highlight markers) is not storage access.
        bad += [f"{path.relative_to(ROOT)}: {n}" for n in storage_access(path)]
    for leaf in LEAVES:
        path = ROOT / f"{leaf}.py"
        bad += [f"{leaf}.py: {n}" for _, n in imports(path)
                if n.startswith("recoverylog") and not any(n == f"recoverylog.{x}" or n.startswith(f"recoverylog.{x}.")
                                                           for x in LEAVES)]
    assert not bad, "\n".join(bad)
