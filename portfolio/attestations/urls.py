"""Attestation URLs: the signed-in pages ("attestations:") and the attester's link
pages ("attest:"), mounted by the root URLconf."""

from django.urls import path

from portfolio.attestations import link_views, views

app_name = "attestations"

urlpatterns = [
    path(
        "ask/<str:kind>/<uuid:public_id>/",
        views.ask,
        name="ask",
    ),
    path("requests/<uuid:public_id>/cancel/", views.cancel, name="cancel"),
    path("sign-off/", views.sign_off, name="sign_off"),
]

link_urlpatterns = (
    [
        path("withdraw/<str:token>/", link_views.withdraw, name="withdraw"),
        path("<str:token>/", link_views.answer, name="answer"),
        path("<str:token>/file/", link_views.file, name="file"),
        path("<str:token>/thumbnail/", link_views.thumbnail, name="thumbnail"),
    ],
    "attest",
)
