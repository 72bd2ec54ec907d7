"""/healthz names what is down. The "down" services are real clients aimed at a closed
port on loopback, not mocks."""

import socket

import pytest
from django.test import Client


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_healthy_reports_each_service(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_cache_down_is_named_with_503(client: Client, db: None, settings, closed_port: int) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["cache"]
    assert "unreachable" in body["checks"]["cache"]["detail"]


def test_broker_down_is_named_with_503(
    client: Client, db: None, settings, closed_port: int
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]


def test_without_a_broker_tasks_run_in_process_and_that_is_healthy(
    client: Client, db: None, settings
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    body = client.get("/healthz").json()
    assert body["checks"]["broker"] == {
        "ok": True,
        "detail": "none configured: tasks run in-process",
        "required": False,
    }
