"""Health checks for /healthz: each names itself and says what is wrong when it fails."""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from kombu import Connection


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return Check("database", False, f"unreachable: {exc.__class__.__name__}: {exc}")
    return Check("database", True, connection.vendor)


def check_cache() -> Check:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=5)
        value = cache.get(key)
        cache.delete(key)
    except Exception as exc:
        return Check("cache", False, f"unreachable: {exc.__class__.__name__}: {exc}")
    if value != "1":
        return Check("cache", False, "wrote a value and could not read it back")
    return Check("cache", True, str(settings.CACHES["default"]["BACKEND"]).rsplit(".", 1)[-1])


def check_broker() -> Check:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return Check("broker", True, "none configured: tasks run in-process", required=False)
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return Check("broker", False, f"unreachable: {exc.__class__.__name__}: {exc}")
    return Check("broker", True, settings.CELERY_BROKER_URL.split("://", 1)[0])


def run_checks() -> list[Check]:
    return [check_database(), check_cache(), check_broker()]
