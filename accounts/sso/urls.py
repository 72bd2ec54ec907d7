from django.urls import path

from accounts.sso import views
from accounts.sso.oidc import callback

app_name = "sso"

urlpatterns = [
    path("staff/<slug:slug>/sso/", views.sso_list, name="list"),
    path("staff/<slug:slug>/sso/add/<str:protocol>/", views.sso_create, name="create"),
    path("staff/<slug:slug>/sso/<uuid:public_id>/", views.sso_edit, name="edit"),
    path("staff/<slug:slug>/sso/<uuid:public_id>/toggle/", views.sso_toggle, name="toggle"),
    path("sso/find/", views.sso_find, name="find"),
]

# Takes the place of allauth's callback (same address, listed before allauth's URLs):
# see accounts/sso/oidc.py.
oidc_callback_urlpatterns = [
    path("accounts/oidc/<str:provider_id>/login/callback/", callback),
]
