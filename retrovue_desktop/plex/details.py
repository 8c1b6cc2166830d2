"""Fetching item detail in parallel, in worker threads or, for big syncs, processes.

Parsing Plex's XML and turning it into row values is CPU work under Python's GIL; the
sync's writer is too. For a large sync, worker processes do fetch, parse and mapping
while the writer's process only writes, so both use a core. A small sync uses threads,
which start instantly. Either way the writer receives plain DetailRecords.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from types import TracebackType

from retrovue_desktop.secrets import register_secret

from .client import PlexClient
from .mapping import DetailRecord, detail_record

# Below this many items the start-up of worker processes costs more than it saves.
DEFAULT_PROCESS_THRESHOLD = 3000

_process_client: PlexClient | None = None


def _init_process(base_url: str, token: str, timeout: float) -> None:
    global _process_client
    register_secret(token)
    _process_client = PlexClient(base_url, token, timeout)


def _fetch_in_process(keys: Sequence[str]) -> list[DetailRecord]:
    assert _process_client is not None, "worker process not initialised"
    client = _process_client
    return [detail_record(elem, client.base_url) for elem in client.details(list(keys))]


class DetailFetcher:
    """A pool of `concurrency` workers turning lists of rating keys into DetailRecords."""

    def __init__(
        self,
        client: PlexClient,
        concurrency: int,
        items: int,
        process_threshold: int = DEFAULT_PROCESS_THRESHOLD,
    ) -> None:
        self._client = client
        self._local = threading.local()
        workers = max(1, concurrency)
        self.uses_processes = items >= process_threshold and (os.cpu_count() or 1) > 1
        self._executor: Executor
        if self.uses_processes:
            self._executor = ProcessPoolExecutor(
                max_workers=min(workers, os.cpu_count() or 1),
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_process,
                initargs=(client.base_url, client.token, client.timeout),
            )
        else:
            self._executor = ThreadPoolExecutor(
                max_workers=workers, thread_name_prefix="plex-detail"
            )

    def _fetch_in_thread(self, keys: Sequence[str]) -> list[DetailRecord]:
        client: PlexClient | None = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = self._client.clone()
        return [detail_record(elem, client.base_url) for elem in client.details(list(keys))]

    def submit(self, keys: Sequence[str]) -> Future[list[DetailRecord]]:
        if self.uses_processes:
            return self._executor.submit(_fetch_in_process, list(keys))
        return self._executor.submit(self._fetch_in_thread, list(keys))

    def __enter__(self) -> DetailFetcher:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
