"""Queueing a task without letting a broker outage undo the work already saved.

A task queued after a commit describes work the database already records (an artefact
whose preview is pending, an email in the outbox). If the broker cannot take the task,
the request that saved the row must still succeed: the failure is logged and a periodic
sweep over the database (settings.CELERY_BEAT_SCHEDULE) queues the work again later.
"""

import logging
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def task_enqueue(task: Task, *args: Any) -> bool:
    """Publish `task(*args)` now. Returns False, having logged why, when the broker is
    unreachable; a task's own error (tasks run in-process without a broker) propagates.

    The result is never stored: nothing reads it, and subscribing to results would make
    the publish wait on Redis a second time.
    """
    try:
        task.apply_async(args, ignore_result=True)
    except OperationalError as error:
        logger.warning(
            "Could not queue %s%r now (a sweep queues it later): %s", task.name, args, error
        )
        return False
    return True


def task_enqueue_on_commit(task: Task, *args: Any) -> None:
    """Publish `task(*args)` once the current transaction commits (never if it rolls
    back); a broker outage then is logged, not raised into the committed request."""
    transaction.on_commit(lambda: task_enqueue(task, *args))
