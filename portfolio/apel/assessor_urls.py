"""APEL submission and assessor pages (included by portfolio/apel/urls.py).

The learner submits a claim and manages who assesses it under /apel/claims/<id>/. The
assessor's pages come twice, with the same views: signed in, under the claim's public
id (/apel/assess/claims/<id>/...), and through an emailed link, under its token
(/apel/assess/<token>/...). Route names end alike, so Route.url("file") finds either.
"""

from django.urls import URLPattern, path

from portfolio.apel import assessor_views, submit_views


def _assessor_pages(prefix: str, name: str) -> list[URLPattern]:
    return [
        path(f"{prefix}/", assessor_views.claim_page, name=name),
        path(f"{prefix}/judge/", assessor_views.judge, name=f"{name}_judge"),
        path(f"{prefix}/recommend/", assessor_views.recommend, name=f"{name}_recommend"),
        path(f"{prefix}/files/<uuid:item>/", assessor_views.artefact_file, name=f"{name}_file"),
        path(
            f"{prefix}/files/<uuid:item>/thumbnail/",
            assessor_views.artefact_thumbnail,
            name=f"{name}_thumbnail",
        ),
        path(f"{prefix}/badges/<uuid:item>/", assessor_views.badge_page, name=f"{name}_badge"),
        path(
            f"{prefix}/badges/<uuid:item>/image/",
            assessor_views.badge_image,
            name=f"{name}_badge_image",
        ),
        path(
            f"{prefix}/badges/<uuid:item>/report.json",
            assessor_views.badge_report,
            name=f"{name}_badge_report",
        ),
    ]


urlpatterns = [
    path("claims/<uuid:public_id>/submit/", submit_views.claim_submit, name="claim_submit"),
    path(
        "claims/<uuid:public_id>/assessors/<uuid:assessor_id>/revoke/",
        submit_views.assessor_revoke,
        name="assessor_revoke",
    ),
    path(
        "claims/<uuid:public_id>/assessors/<uuid:assessor_id>/resend/",
        submit_views.assessor_resend,
        name="assessor_resend",
    ),
    path("assess/", assessor_views.claims_list, name="assess_list"),
    *_assessor_pages("assess/claims/<uuid:public_id>", "assess_claim"),
    *_assessor_pages("assess/<str:token>", "assess_link"),
]
