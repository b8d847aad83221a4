"""The warm parsing pool (``parallel.WarmPool``) under random sequences of what the window, the
command line and the idle timer do to it: starting, leasing, giving back, the idle time running
out (also a stale timer of an earlier pool), a broken pool dropped, shutting down. After every step
it holds exactly the pool a simple model says, leases hand out that pool, a pool let go is shut
down once and never handed out again, and an idle pool always has its timer armed.

The pools are stand-ins (threads, no processes) that report their workers ready at once; the idle
timer is driven by the test (``_expire``), never by the clock."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from qcdesk.core.importers import parallel

pytestmark = pytest.mark.core


class FakePool(ThreadPoolExecutor):
    made: list["FakePool"] = []

    def __init__(self, workers: int, *, started=None):
        super().__init__(workers)
        self.shutdowns = 0
        if started is not None:
            for k in range(workers):  # every worker says it is ready at once
                started.put(10_000 + k)
        FakePool.made.append(self)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.shutdowns += 1
        super().shutdown(wait=wait, cancel_futures=cancel_futures)


class WarmPoolStates(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._saved = (parallel._spawn_pool, parallel.IDLE_SECONDS)
        parallel._spawn_pool = FakePool
        parallel.IDLE_SECONDS = 3600.0  # the test decides when the idle time runs out
        FakePool.made = []
        self.warm = parallel.WarmPool()
        self.current: FakePool | None = None  # the model: the pool it should hold
        self.leases: list[FakePool] = []  # pools handed out and not given back, in order
        self.generations: list[int] = []  # every pool's generation, for stale timers

    def teardown(self):
        self.warm.shut_down()
        for pool in FakePool.made:
            ThreadPoolExecutor.shutdown(pool, wait=True)
        parallel._spawn_pool, parallel.IDLE_SECONDS = self._saved

    def _dropped(self) -> None:
        self.current = None  # imports holding it give it back later: that changes nothing

    @rule()
    def start(self):
        assert self.warm.start(2)
        if self.current is None:
            self.current = FakePool.made[-1]
            self.generations.append(self.warm._generation)
        assert self.warm.wait_ready(30)

    @rule()
    def lease(self):
        pool = self.warm.lease()
        assert pool is self.current
        if pool is not None:
            self.leases.append(pool)

    @precondition(lambda self: self.leases)
    @rule(k=st.integers(0, 10))
    def release(self, k):
        pool = self.leases.pop(k % len(self.leases))
        self.warm.release(pool)

    @rule()
    def idle_time_runs_out(self):
        self.warm._expire(self.warm._generation)
        held = [p for p in self.leases if p is self.current]
        if self.current is not None and not held:
            self._dropped()

    @precondition(lambda self: len(self.generations) > 1)
    @rule()
    def a_stale_timer_fires(self):
        self.warm._expire(self.generations[-2])  # an earlier pool's timer: nothing happens

    @rule()
    def the_pool_breaks(self):
        if self.current is not None:
            self.warm.discard(self.current)
            self._dropped()

    @rule()
    def shut_down(self):
        self.warm.shut_down()
        self._dropped()

    @invariant()
    def holds_the_modelled_pool(self):
        assert self.warm._pool is self.current
        assert self.warm.running() == (self.current is not None)
        assert self.warm.ready() == (self.current is not None)

    @invariant()
    def counts_the_current_pool_s_leases(self):
        if self.current is not None:
            assert self.warm._users == sum(p is self.current for p in self.leases)

    @invariant()
    def an_idle_pool_has_its_timer_armed(self):
        if self.current is not None and not self.warm._users:
            assert self.warm._timer is not None and self.warm._timer.is_alive()

    @invariant()
    def pools_let_go_are_shut_down_once(self):
        for pool in FakePool.made:
            assert pool.shutdowns == (0 if pool is self.current else 1)


WarmPoolStates.TestCase.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)
test_warm_pool_states = WarmPoolStates.TestCase
