"""Stopping the local stack ends its background work first: event delivery and the schedules."""

import os
from typing import Any

import pytest

from infra.local import stack as local_stack
from infra.local.lambda_runtime import FunctionPool


def test_stopping_the_stack_lets_the_schedules_finish_before_the_functions_and_tables_go(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LOCAL_SWEEP_SECONDS", "0.01")  # the schedules run back to back
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    lines: list[str] = []
    running = local_stack.start(port=0, seed=False, log=lines.append, prefix="lifecycle", workers_per_function=1)
    assert len(running._background) == 2 and all(t.is_alive() for t in running._background)
    still_running: list[list[str]] = []
    stop_pool = FunctionPool.stop

    def stop_after_the_background(pool: FunctionPool, *args: Any) -> None:
        still_running.append([t.name for t in running._background if t.is_alive()])
        stop_pool(pool, *args)

    monkeypatch.setattr(FunctionPool, "stop", stop_after_the_background)
    running.stop()
    assert still_running and not any(still_running), still_running  # no function went while work was going on
    assert not [line for line in lines if "failed" in line], lines
    # and the process's AWS clients no longer point at the endpoint that went (later tests in it use their own)
    assert "AWS_ENDPOINT_URL" not in os.environ
