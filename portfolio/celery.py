"""The Celery app. Without CELERY_BROKER_URL, tasks run eagerly in-process (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

app = Celery("portfolio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task modules inside the portfolio app's sub-packages: autodiscovery looks only at each
# installed app's own tasks.py, and a worker that has not imported a module drops its tasks.
app.autodiscover_tasks(
    [
        "portfolio.review",
        "portfolio.showcases",
        "portfolio.exports",
        "portfolio.archive",
        "badges.registries",
    ]
)
# Leap2A's import task lives beside the archive's (portfolio/archive/leap2a_tasks.py).
app.autodiscover_tasks(["portfolio.archive"], related_name="leap2a_tasks")
