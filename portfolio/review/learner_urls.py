from django.urls import path

from portfolio.review import learner_views as views

app_name = "review"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("notifications/", views.inbox, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("threads/<uuid:thread_public_id>/reply/", views.thread_reply, name="reply"),
    path("threads/<uuid:thread_public_id>/addressed/", views.thread_addressed, name="addressed"),
    path("ask/", views.ask, name="ask"),
    path("plan/", views.plan, name="plan"),
    path("plan/goals/", views.goal_add, name="goal_add"),
    path("plan/goals/<uuid:goal_public_id>/status/", views.goal_status, name="goal_status"),
    path("plan/goals/<uuid:goal_public_id>/evidence/", views.goal_evidence, name="goal_evidence"),
    path("preferences/", views.preferences, name="preferences"),
]
