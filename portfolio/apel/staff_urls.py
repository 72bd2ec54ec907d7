"""An institution's programme pages, under /staff/<slug>/programmes/."""

from django.urls import path

from portfolio.apel import staff_views as views
from portfolio.apel.programme_editing import editing_urlpatterns

app_name = "apel_staff"

BASE = "<slug:slug>/programmes/"
ONE = f"{BASE}<uuid:public_id>/"

urlpatterns = [
    path(BASE, views.programme_list, name="programme_list"),
    path(f"{BASE}new/", views.programme_new, name="programme_new"),
    path(ONE, views.programme_manage, name="programme_manage"),
    path(f"{ONE}publish/", views.programme_publish, name="programme_publish"),
    path(f"{ONE}outcomes.csv", views.outcomes_csv, name="programme_outcomes_csv"),
    *editing_urlpatterns(wrap=views.editing_view, one=ONE),
]
