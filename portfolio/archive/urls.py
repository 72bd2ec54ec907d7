from django.urls import path

from portfolio.archive import views

app_name = "archive"

urlpatterns = [
    path("export/", views.archive_export, name="export"),
    path("import/", views.import_start, name="import"),
    path("import/<uuid:public_id>/", views.import_detail, name="import_detail"),
    path("import/<uuid:public_id>/progress.json", views.import_progress, name="import_progress"),
    path("import/<uuid:public_id>/delete/", views.import_delete, name="import_delete"),
]
