"""`make mutate-conditions`: mutation testing of the data layer's write conditions (docs/testing.md).

mutmut mutates Python; a DynamoDB condition is a string, which mutmut only wraps in "XX" (a syntax error
that any test catches, proving nothing about the rule). So each condition is mutated where it takes effect:
as it is sent. The run has two phases.

1. Record: the integration and security suites run once with this module as a pytest plugin, which notes
   every ConditionExpression the data layer sends (in a transaction or a single write), the data-layer
   function that built it, and the tests that sent it.
2. Mutate: for each distinct condition and each mutant of it (a clause of an AND or an OR left out;
   `attribute_exists` and `attribute_not_exists` swapped; `=` and `<>`, `<` and `<=`, `>` and `>=`
   swapped), exactly the tests that sent it run again (`-x`) with the plugin rewriting that condition
   whenever it is sent. A failing test kills the mutant; if all pass, it survived.

The report lists the score per data-layer module and each survivor, with its reason from
infra/condition-survivors.txt (an equivalent mutant, or the test added since).

    .venv/bin/python -m infra.condition_mutation            # record, then every mutant
    .venv/bin/python -m infra.condition_mutation --only waitlist   # conditions built in shared/dal/waitlist.py
"""

import argparse
import hashlib
import json
import os
import re
import subprocess  # nosec B404 - runs this project's own pytest, fixed arguments
import sys
import time
import traceback
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".condition-mutants"
SURVIVORS = ROOT / "infra" / "condition-survivors.txt"
SUITES = ["tests/integration", "tests/security"]
_RECORD = "CONDITION_RECORD"  # a directory: each process writes its sightings there
_MUTANT = "CONDITION_MUTANT"  # "<condition id>:<mutant number>:<origin>"
_TESTS = "CONDITION_TESTS"  # a file of test ids: only those run

# ---------------------------------------------------------------- the mutants of one condition

_SWAPS = [
    (r"\battribute_not_exists\(", "attribute_exists("),
    (r"\battribute_exists\(", "attribute_not_exists("),
    (r" <> ", " = "),
    (r" = ", " <> "),
    (r" <= ", " < "),
    (r" < ", " <= "),
    (r" >= ", " > "),
    (r" > ", " >= "),
]


def _top_level(text: str, word: str) -> list[str]:
    """`text` split on ` word ` outside parentheses."""
    parts, depth, start, i = [], 0, 0, 0
    token = f" {word} "
    while i < len(text):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
        elif depth == 0 and text.startswith(token, i):
            parts.append(text[start:i])
            start = i + len(token)
            i = start
            continue
        i += 1
    parts.append(text[start:])
    return parts


def mutants(condition: str) -> list[tuple[str, str]]:
    """(what was changed, the mutated condition), in a fixed order."""
    found: list[tuple[str, str]] = []
    for word in ("OR", "AND"):
        clauses = _top_level(condition, word)
        if len(clauses) > 1:
            for i, clause in enumerate(clauses):
                rest = f" {word} ".join(c for j, c in enumerate(clauses) if j != i)
                found.append((f"without `{clause.strip()}`", rest))
            break
    for pattern, replacement in _SWAPS:
        for match in re.finditer(pattern, condition):
            mutated = condition[: match.start()] + replacement + condition[match.end() :]
            found.append((f"`{match.group(0).strip()}` as `{replacement.strip()}` at {match.start()}", mutated))
    return found


def condition_id(condition: str) -> str:
    return hashlib.sha256(condition.encode()).hexdigest()[:12]


# ---------------------------------------------------------------- the pytest plugin

_current_test: list[str] = []
_sightings: dict[tuple[str, str], set[str]] = defaultdict(set)  # (condition, origin) -> test ids


def _origin() -> str:
    for frame in reversed(traceback.extract_stack()[:-3]):
        path = frame.filename.replace("\\", "/")
        if "/shared/dal/" in path and not path.endswith(("/table.py", "/condition_mutation.py")):
            return f"{Path(path).stem}.{frame.name}"
    return "unknown"


def _conditions(operation: str, kwargs: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The request parts of a call that may carry a ConditionExpression."""
    if operation == "transact_write_items":
        for entry in kwargs.get("TransactItems", []):
            yield from entry.values()
    elif operation in ("put_item", "update_item", "delete_item"):
        yield kwargs


def _install() -> None:
    from shared.dal.table import Table

    original = Table.call
    mutant = os.environ.get(_MUTANT)
    target, number, site = mutant.split(":", 2) if mutant else (None, "0", None)

    def call(self: Any, operation: str, **kwargs: Any) -> Any:
        for part in _conditions(operation, kwargs):
            condition = part.get("ConditionExpression")
            if not condition:
                continue
            if os.environ.get(_RECORD):
                _sightings[(condition, _origin())].add(_current_test[-1] if _current_test else "")
            if target is not None and condition_id(condition) == target and _origin() == site:
                part["ConditionExpression"] = mutants(condition)[int(number)][1]
        return original(self, operation, **kwargs)

    Table.call = call  # type: ignore[method-assign]


def pytest_configure(config: Any) -> None:
    if os.environ.get(_RECORD) or os.environ.get(_MUTANT):
        _install()


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    selected = os.environ.get(_TESTS)
    if not selected:
        return
    wanted = Path(selected).read_text().split("\n")
    order = {test: i for i, test in enumerate(wanted)}
    kept = sorted((item for item in items if item.nodeid in order), key=lambda item: order[item.nodeid])
    config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in order])
    items[:] = kept


def pytest_runtest_setup(item: Any) -> None:
    _current_test.append(item.nodeid)


def pytest_runtest_teardown(item: Any) -> None:
    if _current_test:
        _current_test.pop()


def pytest_sessionfinish(session: Any) -> None:
    directory = os.environ.get(_RECORD)
    if not directory:
        return
    rows = [{"condition": c, "origin": o, "tests": sorted(t)} for (c, o), t in _sightings.items()]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    (Path(directory) / f"{worker}-{os.getpid()}.json").write_text(json.dumps(rows))


# ---------------------------------------------------------------- the runner


def _pytest(env: dict[str, str], *args: str) -> int:
    command = [sys.executable, "-m", "pytest", "-p", "infra.condition_mutation", "-q", "-p", "no:cacheprovider", *args]
    return subprocess.run(  # nosec B603 - sys.executable and fixed pytest arguments
        command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, check=False
    ).returncode


def record(suites: list[str]) -> dict[tuple[str, str], set[str]]:
    """Every condition the suites send, by the data-layer function that built it: the tests that sent it."""
    sightings = WORK / "sightings"
    sightings.mkdir(parents=True, exist_ok=True)
    for old in sightings.glob("*.json"):
        old.unlink()
    code = _pytest({_RECORD: str(sightings)}, "-n", "2", "--dist", "loadgroup", *suites)
    if code != 0:
        raise SystemExit(f"the suites must pass before mutating (pytest exited {code})")
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for file in sightings.glob("*.json"):
        for row in json.loads(file.read_text()):
            found[(row["condition"], row["origin"])].update(t for t in row["tests"] if t)
    return found


# Tests whose names say they check a refusal or a race run first: they kill most mutants soonest.
_LIKELY = re.compile(r"race|at_once|conflict|409|refus|stale|twice|once|again|only|never|unchanged|nothing|erase")


def _ordered(tests: set[str]) -> list[str]:
    return sorted(tests, key=lambda test: (not _LIKELY.search(test.rsplit("::", 1)[-1]), test))


def _reasons() -> dict[str, str]:
    reasons = {}
    if SURVIVORS.exists():
        for line in SURVIVORS.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                key, _, reason = line.partition(" ")
                reasons[key] = reason.strip()
    return reasons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="only conditions built in data-layer modules whose name contains this")
    parser.add_argument(
        "--budget", type=int, default=0, help="run at most this many of a mutant's tests (0: all; a survivor says so)"
    )
    parser.add_argument(
        "--suites", nargs="+", default=SUITES, help="the test paths to record and run (a subset is faster)"
    )
    args = parser.parse_args()
    started = time.monotonic()
    conditions = record(args.suites)
    print(f"recorded {len(conditions)} distinct conditions in {time.monotonic() - started:.0f} s", flush=True)
    reasons = _reasons()
    results: dict[str, list[tuple[str, str, str, bool]]] = defaultdict(list)
    tests_file = WORK / "tests.txt"
    for (condition, origin), tests in sorted(conditions.items(), key=lambda item: (item[0][1], item[0][0])):
        if args.only and args.only not in origin:
            continue
        module = origin.split(".")[0]
        chosen = _ordered(tests)[: args.budget or None]
        tests_file.write_text("\n".join(chosen))
        for number, (change, _) in enumerate(mutants(condition)):
            key = f"{condition_id(condition)}:{number}:{origin}"
            code = _pytest({_MUTANT: key, _TESTS: str(tests_file)}, "-x", "-p", "no:xdist", *args.suites)
            killed = code == 1
            if code not in (0, 1):
                raise SystemExit(f"pytest exited {code} on mutant {key} ({condition!r}, {change})")
            ran = f"{len(chosen)} of {len(tests)} tests"
            results[module].append((key, condition, f"{change} ({ran})", killed))
            print(f"{'killed  ' if killed else 'SURVIVED'} {key}: {change} ({ran})", flush=True)
    print(f"\nDone in {(time.monotonic() - started) / 60:.1f} minutes.\n")
    print("| data-layer module | mutants | killed | survived | score |\n|---|---|---|---|---|")
    for module, rows in sorted(results.items()):
        dead = sum(1 for r in rows if r[3])
        print(f"| `shared/dal/{module}.py` | {len(rows)} | {dead} | {len(rows) - dead} | {dead / len(rows):.0%} |")
    survivors = [r for rows in results.values() for r in rows if not r[3]]
    if survivors:
        print("\nSurvivors:")
    for key, condition, change, _ in survivors:
        print(f"  {key} {condition!r} {change}: {reasons.get(key, 'NO REASON RECORDED')}")


if __name__ == "__main__":
    main()
