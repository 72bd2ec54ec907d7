"""The learner's and the assessor's APEL pages, under /apel/. Staff programme pages are
under /staff/<slug>/programmes/ (portfolio/apel/staff_urls.py)."""

from portfolio.apel.assessor_urls import urlpatterns as assessor_urlpatterns
from portfolio.apel.claim_urls import urlpatterns as claim_urlpatterns
from portfolio.apel.programme_urls import urlpatterns as programme_urlpatterns

app_name = "apel"

urlpatterns = [*programme_urlpatterns, *claim_urlpatterns, *assessor_urlpatterns]
