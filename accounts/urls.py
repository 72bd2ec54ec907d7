from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("tutor/", views.tutor_dashboard, name="tutor_dashboard"),
    path("tutor/cohorts/<uuid:public_id>/", views.cohort_detail, name="cohort_detail"),
    path("institution/", views.institution_dashboard, name="institution_dashboard"),
    path("profile/", views.profile, name="profile"),
    path(
        "accounts/verification/resend/",
        views.verification_resend,
        name="verification_resend",
    ),
]
