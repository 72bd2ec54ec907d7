"""An institution's programme pages, under /staff/<slug>/programmes/."""

from django.urls import URLPattern

app_name = "apel_staff"

urlpatterns: list[URLPattern] = []
