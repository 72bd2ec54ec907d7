"""APEL claim pages (included by portfolio/apel/urls.py): the learner's own claims."""

from django.urls import path

from portfolio.apel import claim_edit_views, views

urlpatterns = [
    path("", views.claim_list, name="claim_list"),
    path("claims/new/<uuid:public_id>/", views.claim_new, name="claim_new"),
    path("claims/<uuid:public_id>/", views.claim_detail, name="claim"),
    path("claims/<uuid:public_id>/title/", views.claim_rename, name="claim_rename"),
    path("claims/<uuid:public_id>/delete/", views.claim_delete, name="claim_delete"),
    path(
        "claims/<uuid:public_id>/new-version/",
        views.claim_new_version,
        name="claim_new_version",
    ),
    path("claims/<uuid:public_id>/justify/", claim_edit_views.justify, name="claim_justify"),
    path(
        "claims/<uuid:public_id>/evidence/", claim_edit_views.evidence_pick, name="claim_evidence"
    ),
    path(
        "claims/<uuid:public_id>/evidence/remove/",
        claim_edit_views.mapping_remove,
        name="claim_mapping_remove",
    ),
    path(
        "claims/<uuid:public_id>/evidence/note/",
        claim_edit_views.mapping_note,
        name="claim_mapping_note",
    ),
    path(
        "claims/<uuid:public_id>/suggestions/",
        claim_edit_views.suggestion_accept,
        name="claim_suggestion_accept",
    ),
    path(
        "claims/<uuid:public_id>/credentials/",
        claim_edit_views.credential_note,
        name="claim_credential_note",
    ),
]
