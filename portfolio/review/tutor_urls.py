"""The tutor's review pages; the root urlconf mounts these at "review/tutor/"."""

from django.urls import path

from portfolio.review import tutor_views

app_name = "review_tutor"

urlpatterns = [
    path("", tutor_views.dashboard, name="dashboard"),
    path("feedback/", tutor_views.item_feedback, name="item_feedback"),
    path("learners/<uuid:learner_public_id>/", tutor_views.learner_review, name="learner"),
    path(
        "learners/<uuid:learner_public_id>/feedback/",
        tutor_views.feedback_start,
        name="feedback_start",
    ),
    path(
        "learners/<uuid:learner_public_id>/reviewed/",
        tutor_views.review_mark,
        name="review_mark",
    ),
    path("learners/<uuid:learner_public_id>/meetings/", tutor_views.meeting, name="meeting"),
    path("threads/<uuid:thread_public_id>/reply/", tutor_views.thread_reply, name="reply"),
    path(
        "threads/<uuid:thread_public_id>/addressed/",
        tutor_views.thread_addressed,
        name="addressed",
    ),
    path(
        "comments/<uuid:comment_public_id>/next-step/",
        tutor_views.comment_next_step,
        name="next_step",
    ),
]
