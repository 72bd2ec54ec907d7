"""URLs of the portfolio app itself (the root URLconf is portfolio/urls.py)."""

from django.urls import path

from portfolio import views

app_name = "portfolio"

urlpatterns = [
    path("learner/", views.learner_dashboard, name="learner_dashboard"),
    path("library/", views.library, name="library"),
]
