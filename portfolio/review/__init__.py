"""Tutor review: the domain layer (services, selectors, notifications, tasks)."""
