"""`make mutate`'s report: the mutation score per module, and every surviving mutant with its one-line reason.

Reads mutmut's results (run from the repository root after `mutmut run`) and the reasons kept in
infra/mutation-survivors.txt (one line each: the mutant's name, then why it survives: an equivalent mutant,
or what it would take to kill it). A survivor without a reason is listed as such, so a new one is noticed.
"""

import re
import subprocess  # nosec B404 - runs mutmut from its own tool environment, fixed arguments
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REASONS = ROOT / "infra" / "mutation-survivors.txt"
KILLED = {"killed", "timeout"}  # a mutant that makes the tests hang is caught too
NOT_KILLED = {"survived", "no tests", "suspicious", "skipped"}


def results() -> list[tuple[str, str]]:
    mutmut = Path(sys.executable).parent / "mutmut"
    out = subprocess.run(  # nosec B603
        [str(mutmut), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    found = []
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name and status:
            found.append((name, status))
    return found


def module_of(mutant: str) -> str:
    return re.split(r"\.x_|\.xǁ", mutant, maxsplit=1)[0]


def reasons() -> dict[str, str]:
    if not REASONS.exists():
        return {}
    out = {}
    for line in REASONS.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, why = line.partition(" ")
            out[name] = why.strip()
    return out


def main() -> None:
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    survivors = []
    for name, status in results():
        by_module[module_of(name)][status] += 1
        if status in NOT_KILLED:
            survivors.append((name, status))
    print(f"{'module':44} {'mutants':>7} {'killed':>7} {'survived':>8} {'no test':>7} {'unrun':>6} {'score':>6}")
    for package in ("shared.matching", "shared.domain", "shared.services", "shared.dal"):
        modules = {m: c for m, c in by_module.items() if m.startswith(package)}
        if not modules:
            continue
        for module, counts in [*sorted(modules.items()), (f"{package} (all)", sum(modules.values(), Counter()))]:
            killed = sum(counts[s] for s in KILLED)
            judged = killed + sum(counts[s] for s in NOT_KILLED)
            score = f"{100 * killed / judged:.1f}%" if judged else "-"
            print(
                f"{module:44} {sum(counts.values()):7} {killed:7} {counts['survived']:8} {counts['no tests']:7} "
                f"{counts['not checked']:6} {score:>6}"
            )
    why = reasons()
    print(f"\nNot killed ({len(survivors)}):")
    for name, status in survivors:
        print(f"  {name} [{status}]: {why.get(name, 'NO REASON RECORDED')}")


if __name__ == "__main__":
    main()
