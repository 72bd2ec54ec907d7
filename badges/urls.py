from django.urls import path

from badges import views
from badges.registries import views as registry_views

app_name = "badges"

urlpatterns = [
    path("", views.badge_list, name="list"),
    path("import/", views.badge_import, name="import"),
    path("stacks/", views.stack_list, name="stack_list"),
    path("stacks/new/", views.stack_create, name="stack_create"),
    path("stacks/<uuid:public_id>/", views.stack_detail, name="stack_detail"),
    path("stacks/<uuid:public_id>/delete/", views.stack_delete, name="stack_delete"),
    path("registries/", registry_views.registry_list, name="registry_list"),
    path("registries/add/", registry_views.registry_add, name="registry_add"),
    path("registries/<uuid:public_id>/", registry_views.registry_detail, name="registry_detail"),
    path(
        "registries/<uuid:public_id>/refresh/",
        registry_views.registry_refresh,
        name="registry_refresh",
    ),
    path(
        "registries/<uuid:public_id>/delete/",
        registry_views.registry_delete,
        name="registry_delete",
    ),
    path("<uuid:public_id>/", views.badge_detail, name="detail"),
    path("<uuid:public_id>/image/", views.badge_image, name="image"),
    path("<uuid:public_id>/report.json", views.badge_report, name="report"),
    path("<uuid:public_id>/verify/", views.badge_verify, name="verify"),
    path("<uuid:public_id>/edit/", views.badge_edit, name="edit"),
    path("<uuid:public_id>/delete/", views.badge_delete, name="delete"),
]
