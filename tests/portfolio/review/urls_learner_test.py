from django.urls import include, path

from portfolio.urls import urlpatterns as root_urlpatterns

urlpatterns = [
    *root_urlpatterns,
    path("review/", include("portfolio.review.learner_urls")),
]
