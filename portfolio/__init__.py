"""The project package: settings, root URLs, the Celery app, and (later) the portfolio app."""

from portfolio.celery import app as celery_app

__all__ = ["celery_app"]
