from django.urls import path

from portfolio.archive import leap2a_views as views

app_name = "leap2a"

urlpatterns = [
    path("", views.leap2a_home, name="home"),
    path("export/", views.leap2a_export, name="export"),
    path("import/<uuid:public_id>/", views.leap2a_import_detail, name="import_detail"),
    path(
        "import/<uuid:public_id>/progress.json",
        views.leap2a_import_progress,
        name="import_progress",
    ),
    path("import/<uuid:public_id>/delete/", views.leap2a_import_delete, name="import_delete"),
]
