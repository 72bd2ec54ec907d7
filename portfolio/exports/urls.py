from django.urls import path

from portfolio.exports import views

app_name = "exports"

urlpatterns = [
    path("", views.export_list, name="list"),
    path("showcase/<uuid:public_id>/", views.export_showcase, name="showcase"),
    path("claim/<uuid:public_id>/", views.export_claim, name="claim"),
    path("<uuid:public_id>/", views.export_detail, name="detail"),
    path("<uuid:public_id>/progress.json", views.export_progress, name="progress"),
    path("<uuid:public_id>/download/", views.export_download, name="download"),
    path("<uuid:public_id>/withdraw/", views.export_withdraw, name="withdraw"),
    path("<uuid:public_id>/delete/", views.export_delete, name="delete"),
]
