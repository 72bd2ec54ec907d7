"""URLs of the portfolio app itself (the root URLconf is portfolio/urls.py)."""

from django.urls import path

from portfolio import formative_views, views

app_name = "portfolio"

urlpatterns = [
    path("learner/", views.learner_dashboard, name="learner_dashboard"),
    path("library/", views.library, name="library"),
    path("formative/", formative_views.formative_timeline, name="formative"),
    path(
        "formative/<uuid:learner_public_id>/",
        formative_views.formative_timeline_for_learner,
        name="formative_learner",
    ),
]
