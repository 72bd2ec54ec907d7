from django.urls import path

from accounts import views
from accounts.institutions import branding_views, invitation_views

app_name = "accounts"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("tutor/", views.tutor_dashboard, name="tutor_dashboard"),
    path("tutor/cohorts/<uuid:public_id>/", views.cohort_detail, name="cohort_detail"),
    path("institution/", views.institution_dashboard, name="institution_dashboard"),
    path("profile/", views.profile, name="profile"),
    path("invitations/<str:token>/", invitation_views.accept, name="invitation_accept"),
    path("institutions/<slug:slug>/logo", branding_views.logo, name="institution_logo"),
    path(
        "accounts/verification/resend/",
        views.verification_resend,
        name="verification_resend",
    ),
]
