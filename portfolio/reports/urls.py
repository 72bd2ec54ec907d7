from django.urls import path

from portfolio.reports import views

app_name = "reports"

urlpatterns = [
    path("<slug:slug>/cohorts/<uuid:public_id>/report/", views.report, name="cohort"),
    path("<slug:slug>/cohorts/<uuid:public_id>/report.csv", views.report_csv, name="cohort_csv"),
]
