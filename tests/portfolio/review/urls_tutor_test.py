"""The project's urls plus the tutor review pages, until the lead mounts them."""

from django.urls import include, path

from portfolio.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("review/tutor/", include("portfolio.review.tutor_urls")),
]
