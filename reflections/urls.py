from django.urls import path

from reflections import views

app_name = "reflections"

urlpatterns = [
    path("new/", views.create, name="create"),
    path("preview/", views.preview, name="preview"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/edit/", views.edit, name="edit"),
    path("<uuid:public_id>/delete/", views.delete, name="delete"),
]
