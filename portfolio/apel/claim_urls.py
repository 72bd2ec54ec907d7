"""APEL claim pages (included by portfolio/apel/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
