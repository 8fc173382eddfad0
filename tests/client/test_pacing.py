"""Waits that a stop ends at once: the write window's and a retry's pause."""

from __future__ import annotations

import asyncio

import pytest

from omni_sync.client.pacing import Interrupted, WriteWindow, pause


async def _stop_soon(stop: asyncio.Event) -> None:
    await asyncio.sleep(0.05)
    stop.set()


def test_a_full_window_tells_its_wait_and_a_stop_ends_it_at_once() -> None:
    told: list[float] = []

    async def run() -> None:
        window = WriteWindow(1, 600.0)
        window.on_wait = told.append
        stop = asyncio.Event()
        async with window.slot(stop):
            pass
        stopper = asyncio.create_task(_stop_soon(stop))
        with pytest.raises(Interrupted) as caught:
            await window.acquire(stop)
        await stopper
        assert caught.value.after is None

    asyncio.run(asyncio.wait_for(run(), 5))  # a stop that did not end the wait fails here
    assert told
    assert 599 < told[0] <= 600


def test_a_pause_ends_when_stopped_and_names_what_came_before() -> None:
    async def run() -> Interrupted:
        stop = asyncio.Event()
        stopper = asyncio.create_task(_stop_soon(stop))
        try:
            await pause(300, stop, after=ValueError("PUT answered 429"))
        except Interrupted as stopped:
            return stopped
        finally:
            await stopper
        raise AssertionError("not interrupted")

    stopped = asyncio.run(asyncio.wait_for(run(), 5))
    assert str(stopped.after) == "PUT answered 429"


def test_a_pause_with_no_stop_asked_just_sleeps() -> None:
    asyncio.run(pause(0.01, asyncio.Event()))
    asyncio.run(pause(0.01, None))
