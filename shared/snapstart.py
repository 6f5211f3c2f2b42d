"""Lambda SnapStart: what an API function does before its snapshot is taken, and after each restore.

With the template parameter `SnapStart=on`, Lambda runs a function's init once, when a version is published,
snapshots its memory, and starts every new environment of that version from the snapshot. The client then
waits for the restore, the after-restore hooks and the request, never for the import (docs/performance.md).

Before the snapshot (`prime`) a function does the work its first request would otherwise pay, as long as
that work holds nothing secret or unique:

* it imports the modules its routes import lazily;
* it builds every route's request validation (powertools' dependants and body fields) and the pydantic
  validators of the models declared with `defer_build=True`;
* it loads the AWS service models of the clients it will use, through the functions' one botocore session
  (shared/adapters/aws.py), by creating an *unsigned* client and dropping it. An unsigned client resolves no
  credentials, and creating a client opens no connection, so the snapshot holds neither: the real clients are
  created by the first request after a restore (about 5 ms each once their models are loaded, against about
  120 ms cold), with the credentials Lambda gives that environment.

After a restore (`renew`) each environment makes its own what the snapshot shared:

* the `random` module's state, reseeded from os.urandom (botocore's retry jitter draws from it; the
  project's tokens and ids never do: they come from `secrets` at call time, which a test checks);
* powertools' cold-start flags, so the first request of a restored environment is logged and counted as a
  cold start, as it is one;
* the multiprocessing module's authentication key, which it draws from os.urandom when it is imported
  (boto3 imports it, for the idempotency layer, in priming); nothing here uses it, but no secret is shared.

The hooks are registered with the runtime's `snapshot_restore_py`, which the Lambda Python runtimes include
(it is not in the layer: a copy there would shadow the runtime's, whose registry the runtime reads). Where
it is absent (the local stack, the tests, the bench) a registry of the same shape records the hooks, and
`run_before_snapshot` / `run_after_restore` run them in the runtime's order.
"""

import importlib
import os
import random
import sys
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from pydantic import BaseModel

__all__ = [
    "get_after_restore",
    "get_before_snapshot",
    "prime",
    "register",
    "renew",
    "run_after_restore",
    "run_before_snapshot",
]

Hook = tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]

try:
    from snapshot_restore_py import (  # type: ignore[import-not-found, unused-ignore]
        get_after_restore,
        get_before_snapshot,
        register_after_restore,
        register_before_snapshot,
    )
except ImportError:  # outside Lambda: record the hooks the same way
    _before: list[Hook] = []
    _after: list[Hook] = []

    def register_before_snapshot(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[..., Any]:
        _before.append((func, args, kwargs))
        return func

    def register_after_restore(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Callable[..., Any]:
        _after.append((func, args, kwargs))
        return func

    def get_before_snapshot() -> list[Hook]:
        return _before

    def get_after_restore() -> list[Hook]:
        return _after


# The packages whose pydantic models priming builds: the project's own.
_OWN_PACKAGES = ("shared.", "functions.")


def register(app: APIGatewayRestResolver, *, clients: Iterable[str], imports: Iterable[str] = ()) -> None:
    """Registers an API function's priming (before the snapshot) and renewal (after each restore). One call
    per function, at the end of its module, once its routes are declared. The hook holds the resolver weakly:
    the tests and the local stack import each function many times, and the registry must not keep them all."""
    register_before_snapshot(prime, weakref.ref(app), tuple(clients), tuple(imports))
    if not any(func is renew for func, _, _ in get_after_restore()):
        register_after_restore(renew)


def prime(app_ref: "weakref.ref[APIGatewayRestResolver]", clients: tuple[str, ...], imports: tuple[str, ...]) -> None:
    app = app_ref()
    if app is None:  # a module imported again since (tests, the local stack)
        return
    for module in imports:
        importlib.import_module(module)
    for route in _routes(app):
        route.dependant  # noqa: B018  # built on first use otherwise, by the first request of each route
        route.body_field  # noqa: B018
    for model in _deferred_models():
        model.model_rebuild()
    _load_service_models(clients)


def renew() -> None:
    from aws_lambda_powertools.logging import logger
    from aws_lambda_powertools.metrics.provider import cold_start

    random.seed()  # from os.urandom
    if "multiprocessing" in sys.modules:
        sys.modules["multiprocessing"].current_process().authkey = os.urandom(32)
    logger.is_cold_start = True  # the Logger's cold_start key
    cold_start.is_cold_start = True  # the Metrics' ColdStart metric


def run_before_snapshot() -> None:
    """Runs the registered before-snapshot hooks as the runtime does: in the reverse order of registration."""
    for func, args, kwargs in reversed(get_before_snapshot()):
        func(*args, **kwargs)


def run_after_restore() -> None:
    """Runs the registered after-restore hooks as the runtime does: in the order of registration."""
    for func, args, kwargs in get_after_restore():
        func(*args, **kwargs)


def _routes(app: APIGatewayRestResolver) -> list[Any]:
    return [*app._static_routes, *app._dynamic_routes]


def _deferred_models() -> list[type[BaseModel]]:
    """The project's pydantic models whose validators are not built yet (declared with defer_build=True)."""
    found: dict[type[BaseModel], None] = {}
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(_OWN_PACKAGES):
            continue
        for value in list(vars(module).values()):
            if (
                isinstance(value, type)
                and issubclass(value, BaseModel)
                and value.__module__ == name
                and not value.__pydantic_complete__
            ):
                found[value] = None
    return list(found)


def _load_service_models(services: Iterable[str]) -> None:
    from shared.adapters import aws

    for service in services:
        aws.load_service_model(service)  # unsigned: no credentials resolved, no network call
