"""/healthz says whether the site can serve; staff also see what is down and why. The
"down" services are real clients aimed at a closed port on loopback, not mocks."""

import socket

import pytest
from django.test import Client

from tests.conftest import People


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def staff_client(client: Client, db: None) -> Client:
    """The site's operators (superusers). An institution admin runs one institution on a
    shared site, so the site's hosts and ports are not theirs to see."""
    from accounts.models import User

    client.force_login(User.objects.create_superuser("root@example.com", "x"))
    return client


def test_healthy_reports_each_service_to_staff(staff_client: Client) -> None:
    response = staff_client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert response["Cache-Control"].startswith("max-age=0")


def _dead_cache(settings, port: int) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }


def test_anonymous_callers_get_only_the_overall_state(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_anonymous_callers_learn_no_hosts_ports_or_components_when_down(
    client: Client, db: None, settings, closed_port: int
) -> None:
    _dead_cache(settings, closed_port)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    text = response.content.decode()
    assert str(closed_port) not in text and "127.0.0.1" not in text and "cache" not in text


@pytest.mark.parametrize("role", ["learner", "tutor", "admin"])
def test_learners_tutors_and_institution_admins_get_only_the_overall_state(
    client: Client, people: People, settings, closed_port: int, role: str
) -> None:
    client.force_login(getattr(people, role))
    _dead_cache(settings, closed_port)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_cache_down_is_named_with_503_for_staff(
    staff_client: Client, settings, closed_port: int
) -> None:
    _dead_cache(settings, closed_port)
    response = staff_client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["down"] == ["cache"]
    assert "unreachable" in body["checks"]["cache"]["detail"]


def test_broker_down_is_named_with_503_for_staff(
    staff_client: Client, settings, closed_port: int
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    response = staff_client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]


def test_without_a_broker_tasks_run_in_process_and_that_is_healthy(
    staff_client: Client, settings
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    body = staff_client.get("/healthz").json()
    assert body["checks"]["broker"] == {
        "ok": True,
        "detail": "none configured: tasks run in-process",
        "required": False,
    }
