from django.urls import path

from artefacts import views

app_name = "artefacts"

urlpatterns = [
    path("new/", views.add, name="add"),
    path("new/files/", views.upload, name="upload"),
    path("new/link/", views.add_link, name="add_link"),
    path("new/text/", views.add_text, name="add_text"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/delete/", views.delete, name="delete"),
    path("<uuid:public_id>/file/", views.file, name="file"),
    path("<uuid:public_id>/thumbnail/", views.thumbnail, name="thumbnail"),
]
