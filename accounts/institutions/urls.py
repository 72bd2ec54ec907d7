from django.urls import path

from accounts.institutions import (
    branding_views,
    cohort_views,
    onboarding_views,
    views,
)

app_name = "institutions"

urlpatterns = [
    path("", views.staff_home, name="home"),
    path("<slug:slug>/people/", views.people, name="people"),
    path("<slug:slug>/people/invite/", views.invite, name="invite"),
    path("<slug:slug>/people/<uuid:public_id>/role/", views.person_role, name="person_role"),
    path("<slug:slug>/people/<uuid:public_id>/state/", views.person_state, name="person_state"),
    path("<slug:slug>/cohorts/", cohort_views.cohort_list, name="cohorts"),
    path("<slug:slug>/cohorts/<uuid:public_id>/", cohort_views.cohort_detail, name="cohort"),
    path("<slug:slug>/cohorts/<uuid:public_id>/add/", cohort_views.cohort_add, name="cohort_add"),
    path(
        "<slug:slug>/cohorts/<uuid:public_id>/remove/<uuid:person>/",
        cohort_views.cohort_remove,
        name="cohort_remove",
    ),
    path(
        "<slug:slug>/cohorts/<uuid:public_id>/archive/",
        cohort_views.cohort_archive,
        name="cohort_archive",
    ),
    path("<slug:slug>/onboarding/", onboarding_views.upload, name="onboarding"),
    path(
        "<slug:slug>/onboarding/<uuid:public_id>/",
        onboarding_views.batch_detail,
        name="onboarding_batch",
    ),
    path(
        "<slug:slug>/onboarding/<uuid:public_id>/confirm/",
        onboarding_views.batch_confirm,
        name="onboarding_confirm",
    ),
    path("<slug:slug>/branding/", branding_views.branding, name="branding"),
]
