"""APEL programme pages (included by portfolio/apel/urls.py)."""

from django.urls import path

from portfolio.apel import programme_views as views
from portfolio.apel.programme_editing import editing_urlpatterns

ONE = "programmes/<uuid:public_id>/"

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_new, name="programme_new"),
    path("programmes/outcomes-template.csv", views.csv_template, name="programme_csv_template"),
    path(ONE, views.programme_detail, name="programme_detail"),
    path(f"{ONE}manage/", views.programme_manage, name="programme_manage"),
    path(f"{ONE}outcomes.csv", views.outcomes_csv, name="programme_outcomes_csv"),
    *editing_urlpatterns(wrap=views.editing_view, one=ONE),
]
