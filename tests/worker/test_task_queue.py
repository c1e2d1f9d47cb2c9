"""The task queue on both backends (database and a real redis-server): several workers take
each job once, and a job whose worker is killed -9 in the middle is reclaimed and run again
to completion, once."""
import time

import pytest

from citysafe.core.scheduler import enqueue_scheduled, schedules
from citysafe.core.taskqueue import ABANDONED, uses_redis
from tests.worker.queues import running_job_ids
from tests.worker.support import kill_hard, record_run, run_log, start_worker, stop, wait_until

# Short heartbeats so that a dead worker is noticed within seconds, not a minute.
FAST_HEARTBEAT = {"TASK_HEARTBEAT_SECONDS": 1, "TASK_HEARTBEAT_TIMEOUT_SECONDS": 4}


@pytest.mark.slow
def test_two_workers_on_one_queue_take_each_job_exactly_once(task_backend, transactional_db, tmp_path):
    path = tmp_path / "runs.log"
    keys = [f"job{i}" for i in range(40)]
    for key in keys:
        record_run.enqueue(str(path), key, 0.05)
    log = tmp_path / "workers.log"
    workers = []
    try:
        workers = [start_worker(log) for _ in range(2)]
        wait_until(lambda: sum(1 for line in run_log(path) if line[0] == "done") >= len(keys), timeout=180,
                   what="every job run", process=workers[0], log_path=log)
        time.sleep(1)  # a duplicate would show up now
    finally:
        for worker in workers:
            stop(worker)
    runs = run_log(path)
    started = sorted(key for event, key, _ in runs if event == "start")
    done = sorted(key for event, key, _ in runs if event == "done")
    assert started == done == sorted(keys), "each job started and finished exactly once"
    pids = {pid for _, _, pid in runs}
    print(f"\n{task_backend}: 40 jobs over two workers: {[sum(1 for r in runs if r[2] == p) // 2 for p in pids]}")
    assert len(pids) == 2, "both workers took jobs"


@pytest.mark.slow
def test_a_job_whose_worker_is_killed_is_reclaimed_and_completes_once(task_backend, transactional_db, tmp_path):
    path = tmp_path / "runs.log"
    result = record_run.enqueue(str(path), "long", 6)
    reclaim = next(s for s in schedules() if s.name == "reclaim abandoned jobs")
    log = tmp_path / "worker.log"
    first = second = None
    try:
        first = start_worker(log, **FAST_HEARTBEAT)
        wait_until(lambda: run_log(path), timeout=120, what="the job to start", process=first, log_path=log)
        kill_hard(first)  # kill -9, work horse and all: the machine died mid-job
        assert str(result.id) in running_job_ids(), "the job is left RUNNING"
        assert [event for event, *_ in run_log(path)] == ["start"]

        second = start_worker(log, **FAST_HEARTBEAT)

        def finished():
            enqueue_scheduled(reclaim)  # the scheduler's minute tick, sped up
            return any(event == "done" for event, *_ in run_log(path))

        wait_until(finished, timeout=180, interval=1, what="the reclaimed job to finish", process=second, log_path=log)
        time.sleep(3)  # further reclaim runs must not run it a third time
        for _ in range(3):
            enqueue_scheduled(reclaim)
        time.sleep(3)
    finally:
        stop(first)
        stop(second)
    runs = run_log(path)
    assert [event for event, *_ in runs] == ["start", "start", "done"], runs
    assert runs[0][2] != runs[1][2] == runs[2][2], "run again by the second worker"
    assert not running_job_ids()
    if uses_redis():
        final = record_run.get_backend().get_result(result.id)
        # One rq job, two attempts: the abandoned one (rq's AbandonedJobError) and the successful one.
        assert final.status == "SUCCESSFUL" and len(final.worker_ids) == 2
        assert any("AbandonedJobError" in (error.traceback or "") for error in final.errors)
    else:
        from django_tasks_db.models import DBTaskResult

        jobs = DBTaskResult.objects.filter(task_path=record_run.module_path)
        assert sorted(jobs.values_list("status", flat=True)) == ["FAILED", "SUCCESSFUL"]
        assert jobs.get(status="FAILED").exception_class_path == ABANDONED
        assert jobs.get(status="SUCCESSFUL").return_value == "long"
