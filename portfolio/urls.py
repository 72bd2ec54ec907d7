from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as account_views
from accounts.sso.urls import oidc_callback_urlpatterns
from core import views as core_views
from portfolio.attestations.urls import link_urlpatterns as attest_urlpatterns
from portfolio.exports import verify_views
from portfolio.showcases.urls import share_urlpatterns

# Admin sign-in goes through allauth's login, so it shares its rate limits and MFA.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = _("Learner Portfolio administration")
admin.site.site_title = _("Learner Portfolio")

urlpatterns = [
    # Shared pages first: the busiest URLs, which Django reached after trying all the
    # includes below in order. No other pattern starts with "s/" or with a converter,
    # so the order changes no answer.
    path("s/<str:token>/pdf/", verify_views.shared_pdf, name="share_pdf"),
    path("s/", include(share_urlpatterns)),
    path("", account_views.home, name="home"),
    path("", include("accounts.urls")),
    *oidc_callback_urlpatterns,
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.sso.urls")),
    path("", include("portfolio.app_urls")),
    path("artefacts/", include("artefacts.urls")),
    path("reflections/", include("reflections.urls")),
    path("badges/", include("badges.urls")),
    path("showcases/", include("portfolio.showcases.urls")),
    path("review/", include("portfolio.review.learner_urls")),
    path("review/tutor/", include("portfolio.review.tutor_urls")),
    path("exports/", include("portfolio.exports.urls")),
    path("archive/leap2a/", include("portfolio.archive.leap2a_urls")),
    path("archive/", include("portfolio.archive.urls")),
    path("attestations/", include("portfolio.attestations.urls")),
    path("apel/", include("portfolio.apel.urls")),
    path("attest/", include(attest_urlpatterns)),
    path("verify/<str:code>/", verify_views.verify, name="verify"),
    path("verify/<str:code>/data/", verify_views.verify_data, name="verify_data"),
    path("staff/", include("accounts.institutions.urls")),
    path("staff/", include("portfolio.reports.urls")),
    path("staff/", include("badges.institution_stack_urls")),
    path("staff/", include("portfolio.apel.staff_urls")),
    path("admin/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
]
