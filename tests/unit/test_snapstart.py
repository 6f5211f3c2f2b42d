"""SnapStart: nothing secret or unique is captured in a snapshot, and each restored environment renews what
the snapshot shared (shared/snapstart.py).

A snapshot is the memory of a function after its init and before-snapshot priming, copied into every
environment restored from it. So a token, id or random state made at import or in priming would be the same
in all of them, and a credential resolved then would be the publishing environment's, kept in the snapshot."""

import ast
import json
import os
import random
import subprocess
import sys
from typing import Any

import pytest

from infra import template
from infra.template import ROOT

API_FUNCTIONS = ("PublicApiFunction", "ReviewApiFunction", "ClientApiFunction", "AdminApiFunction",
                 "CounselorApiFunction")  # fmt: skip
SOURCES = sorted([*(ROOT / "shared").rglob("*.py"), *(ROOT / "functions").rglob("*.py")])
ENTROPY_MODULES = {"secrets", "random", "uuid"}
ENTROPY_FUNCTIONS = {("os", "urandom"), ("os", "getrandom")}
# Decorators that keep a function's first result: randomness inside one is made once, like at import.
KEEPING_DECORATORS = {"cache", "lru_cache", "cached_property"}


def entropy_uses(tree: ast.AST) -> list[tuple[int, str, str]]:
    """(line, call, where) for each call of an entropy source that runs at import (module or class body,
    default values, decorators) or whose result a caching decorator keeps."""
    aliases: dict[str, str] = {}  # local name -> "module" or "module.function"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for name in node.names:
                aliases[name.asname or name.name] = name.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for name in node.names:
                aliases[name.asname or name.name] = f"{node.module}.{name.name}"

    def source(call: ast.Call) -> str | None:
        func = call.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            module = aliases.get(func.value.id, "")
            if module in ENTROPY_MODULES or (module, func.attr) in ENTROPY_FUNCTIONS:
                return f"{module}.{func.attr}"
        if isinstance(func, ast.Name):
            full = aliases.get(func.id, "")
            module, _, attr = full.rpartition(".")
            if module in ENTROPY_MODULES or (module, attr) in ENTROPY_FUNCTIONS:
                return full
        return None

    found: list[tuple[int, str, str]] = []

    def visit(node: ast.AST, where: str | None) -> None:
        """`where` is None inside a plain function body (runs per call), else why this code runs once."""
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            outer = where
            decorators = getattr(node, "decorator_list", [])
            for decorator in decorators:
                visit(decorator, outer)
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if default is not None:
                    visit(default, outer or "a default value")
            kept = any(_decorator_name(d) in KEEPING_DECORATORS for d in decorators)
            body: list[ast.AST] = [*node.body] if isinstance(node.body, list) else [node.body]
            for statement in body:
                visit(statement, "a cached function" if kept else None)
            return
        if isinstance(node, ast.ClassDef):
            for part in [*node.decorator_list, *node.bases, *node.body]:
                visit(part, where or "a class body")
            return
        if isinstance(node, ast.Call) and where is not None and (name := source(node)):
            found.append((node.lineno, name, where))
        for child in ast.iter_child_nodes(node):
            visit(child, where)

    for statement in tree.body if isinstance(tree, ast.Module) else [tree]:
        visit(statement, "import")
    return found


def _decorator_name(decorator: ast.expr) -> str | None:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Name):
        return target.id
    return target.attr if isinstance(target, ast.Attribute) else None


def test_no_token_id_or_random_state_is_made_at_import_or_kept_by_a_cache() -> None:
    found = {
        str(path.relative_to(ROOT)): uses for path in SOURCES if (uses := entropy_uses(ast.parse(path.read_text())))
    }
    assert found == {}


def test_tokens_and_ids_come_from_secrets_never_from_random() -> None:
    # random's state is copied into every restored environment; shared/snapstart.py reseeds it after a
    # restore for the libraries that draw from it (botocore's retry jitter), and only it imports random.
    users = [
        str(path.relative_to(ROOT))
        for path in SOURCES
        if any(
            (isinstance(n, ast.Import) and any(a.name == "random" for a in n.names))
            or (isinstance(n, ast.ImportFrom) and n.module == "random")
            for n in ast.walk(ast.parse(path.read_text()))
        )
    ]
    assert users == ["shared/snapstart.py"]


@pytest.mark.parametrize(
    "code",
    [
        "import secrets\nSALT = secrets.token_hex(8)\n",
        "from uuid import uuid4\nclass Ids:\n    environment = uuid4()\n",
        "import os\ndef new_id(seed=os.urandom(8)):\n    return seed\n",
        "import secrets\nfrom functools import cache\n@cache\ndef instance_id():\n    return secrets.token_hex(8)\n",
        "import random\nJITTER = random.Random()\n",
    ],
)
def test_the_check_finds_a_token_made_once(code: str) -> None:
    assert entropy_uses(ast.parse(code))


def test_the_check_lets_a_token_made_per_call_pass() -> None:
    code = "import secrets\ndef new_token():\n    return secrets.token_urlsafe(32)\n"
    assert entropy_uses(ast.parse(code)) == []


# ---------------------------------------------------------------- the snapshot's memory

PROBE = r"""
import gc, json, os, secrets, socket, sys, traceback, uuid

def probe(functions, own):
    made, connected = [], []

    def recorded(module, name):
        original = getattr(module, name)
        def wrapper(*args, **kwargs):
            stack = [f.filename for f in traceback.extract_stack()[:-1]]
            if any(path.startswith(own) for path in stack):
                made.append("/".join(stack[-1].split("/")[-2:]))  # the file that asked
            return original(*args, **kwargs)
        setattr(module, name, wrapper)

    for name in ("token_bytes", "token_hex", "token_urlsafe", "randbelow", "randbits", "choice"):
        recorded(secrets, name)
    recorded(os, "urandom")
    recorded(uuid, "uuid4")
    recorded(uuid, "uuid1")

    def refuse(self, address):
        connected.append(repr(address))
        raise OSError("no network before the snapshot")
    socket.socket.connect = refuse

    from infra import template
    for function in functions:
        env = json.loads(os.environ["PROBE_ENV_" + function])
        saved = dict(os.environ)
        os.environ.update(env)
        handler_file, _ = template.function_module(function)
        template.load_module(handler_file, f"probe_{function}")
        os.environ.clear()
        os.environ.update(saved)
    from shared import snapstart
    snapstart.run_before_snapshot()

    sentinels = [os.environ[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")]
    sentinels += [s.encode() for s in sentinels]
    environment = {id(os.environ), id(os.environ._data), id(os.environb), id(getattr(os, "_environ", None))}
    posix = sys.modules.get("posix")
    if posix is not None:
        environment.add(id(posix.environ))
    seen, found = set(environment), []
    frontier = [m for name, m in list(sys.modules.items()) if m is not None and name != "__main__"]
    walked = 0
    while frontier:
        nxt = []
        for obj in frontier:
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            walked += 1
            if isinstance(obj, (str, bytes)):
                if any(s in obj for s in sentinels if type(s) is type(obj)):
                    found.append(type(obj).__name__)
                continue
            nxt.extend(gc.get_referents(obj))
        frontier = nxt
    print(json.dumps({"made": made, "connected": connected, "found": len(found), "walked": walked}))

probe(sys.argv[1].split(","), tuple(sys.argv[2].split(",")))
"""


def _function_environment(function: str) -> dict[str, str]:
    refs = {name: f"placeholder-{name.lower()}" for name in template.load()["Resources"]}
    resolver = template.Resolver(refs=refs, attributes={"DataKey.Arn": "arn:aws:kms:us-east-1:123456789012:key/x"})
    return template.function_environment(function, resolver)


def run_probe(functions: tuple[str, ...] = API_FUNCTIONS, extra: dict[str, str] | None = None) -> dict[str, Any]:
    import secrets

    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))}
    env.update(
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ACCESS_KEY_ID=f"ASIA{secrets.token_hex(8).upper()}",
        AWS_SECRET_ACCESS_KEY=secrets.token_urlsafe(30),
        AWS_SESSION_TOKEN=secrets.token_urlsafe(60),
        POWERTOOLS_TRACE_DISABLED="1",
        PYTHONPATH=str(ROOT),
        **{f"PROBE_ENV_{f}": json.dumps(_function_environment(f)) for f in functions},
        **(extra or {}),
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(functions), f"{ROOT / 'shared'}/,{ROOT / 'functions'}/"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return out


@pytest.fixture(scope="module")
def primed() -> dict[str, Any]:
    return run_probe()


# Entropy drawn while importing or priming, by the file that drew it, and what the after-restore hook does
# about it. A new source fails the test until it is handled here and in shared/snapstart.py.
RENEWED_AFTER_RESTORE = {
    "multiprocessing/process.py": "its authentication key, drawn at import (boto3 imports multiprocessing)",
}


def test_import_and_priming_make_no_token_or_id_that_a_restore_does_not_renew(primed: dict[str, Any]) -> None:
    assert set(primed["made"]) <= set(RENEWED_AFTER_RESTORE), primed["made"]


def test_each_restore_renews_the_multiprocessing_authentication_key() -> None:
    import multiprocessing

    from shared import snapstart

    process = multiprocessing.current_process()
    saved = process.authkey
    try:
        snapstart.renew()
        assert process.authkey != saved
    finally:
        process.authkey = saved


def test_import_and_priming_open_no_connection(primed: dict[str, Any]) -> None:
    assert primed["connected"] == []


def test_after_priming_no_module_holds_the_environment_credentials(primed: dict[str, Any]) -> None:
    assert primed["walked"] > 100_000  # the whole graph of modules was walked, AWS service models included
    assert primed["found"] == 0


# ---------------------------------------------------------------- after a restore


def test_each_restore_reseeds_random_so_environments_restored_from_one_snapshot_differ() -> None:
    from shared import snapstart

    saved = random.getstate()
    try:
        draws = []
        for _ in range(2):
            random.seed(17)  # the state captured in the snapshot
            snapstart.renew()
            draws.append([random.random() for _ in range(4)])
        assert draws[0] != draws[1]
    finally:
        random.setstate(saved)


def test_each_restore_makes_the_first_request_a_cold_start_again() -> None:
    from aws_lambda_powertools.logging import logger
    from aws_lambda_powertools.metrics.provider import cold_start

    from shared import snapstart

    logger.is_cold_start = cold_start.is_cold_start = False  # the publishing environment served a request
    snapstart.renew()
    assert logger._is_cold_start() is True
    assert cold_start.is_cold_start is True


def test_every_api_function_registers_its_priming_and_renewal(monkeypatch: pytest.MonkeyPatch) -> None:
    from shared import snapstart

    for function in API_FUNCTIONS:
        before = len(snapstart.get_before_snapshot())
        for key, value in _function_environment(function).items():
            monkeypatch.setenv(key, value)
        handler_file, _ = template.function_module(function)
        module = template.load_module(handler_file, f"registration_{function}")
        added = snapstart.get_before_snapshot()[before:]
        assert [(func, args[0]()) for func, args, _ in added] == [(snapstart.prime, module.app)], function
        renewals = [func for func, _, _ in snapstart.get_after_restore()]
        assert renewals.count(snapstart.renew) == 1, function  # once, however many functions a process imports


def test_the_registry_keeps_no_imported_function_alive(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from shared import snapstart

    for key, value in _function_environment("PublicApiFunction").items():
        monkeypatch.setenv(key, value)
    handler_file, _ = template.function_module("PublicApiFunction")
    template.load_module(handler_file, "registration_dropped")
    sys.modules.pop("registration_dropped", None)
    gc.collect()
    _, args, _ = snapstart.get_before_snapshot()[-1]
    assert args[0]() is None
    snapstart.prime(*args)  # a hook whose function is gone does nothing


def test_hooks_run_in_the_runtimes_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from shared import snapstart

    order: list[str] = []
    monkeypatch.setattr(snapstart, "get_before_snapshot", lambda: [(order.append, ("b1",), {}),
                                                                  (order.append, ("b2",), {})])  # fmt: skip
    monkeypatch.setattr(snapstart, "get_after_restore", lambda: [(order.append, ("a1",), {}),
                                                                (order.append, ("a2",), {})])  # fmt: skip
    snapstart.run_before_snapshot()
    snapstart.run_after_restore()
    assert order == ["b2", "b1", "a1", "a2"]
