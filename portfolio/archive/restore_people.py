"""Recreating what other people said about the learner's work: attestations (kept as
records of what was attested, marked as imported, with no link to withdraw them here)
and their tutors' review meetings, goals and feedback. The people are not accounts
here: their names stay in the archive, and the rows made here name no author."""

from django.utils import timezone

from core.html import render_markdown
from portfolio.archive.fields import Record
from portfolio.archive.restore import Restore, keep_dates
from portfolio.models import (
    GOAL_TITLE_MAX,
    Attestation,
    FeedbackComment,
    FeedbackThread,
    Goal,
    ReviewMeeting,
)


def restore_attestations(run: Restore) -> None:
    records = run.reader.records("attestations")
    found = run.already_here(
        "attestations",
        [r.required_id() for r in records],
        Attestation.objects.filter(learner=run.owner),
    )
    now = timezone.now()
    for record in records:
        source_id = record.required_id()
        target = run.target(record.ref())
        if source_id in found:
            run.remember("attestations", source_id, found[source_id], existing=True)
        elif target is not None:
            attestation = Attestation(
                learner=run.owner,
                **{type(target).__name__.lower(): target},
                via=record.choice("via", Attestation.Via.values),
                name=record.text("name", max_length=150, required=True),
                role=record.text("role", max_length=100),
                organisation=record.text("organisation", max_length=150),
                email_domain=record.text("email_domain", max_length=255),
                statement=record.text("statement", max_length=100_000, required=True),
                comment_markdown=(comment := record.text("comment_markdown", max_length=100_000)),
                comment_html=render_markdown(comment),
                item_title=record.text("item_title", max_length=200),
                fingerprint=record.text("fingerprint", max_length=64),
                withdrawn_at=record.moment("withdrawn_at"),
                imported_at=now,
            )
            attestation.save()
            keep_dates(attestation, created_at=record.moment("given_at"))
            run.remember("attestations", source_id, attestation)
        else:
            run.report.skip(
                "attestations",
                record.text("item_title", max_length=200),
                "The evidence it attests was not imported.",
            )
        run.tick()


def restore_review(run: Restore) -> None:
    _meetings(run)
    _goals(run)
    _threads(run)


def _meetings(run: Restore) -> None:
    records = run.reader.records("meetings")
    found = run.already_here(
        "meetings",
        [r.required_id() for r in records],
        ReviewMeeting.objects.filter(learner=run.owner),
    )
    for record in records:
        source_id = record.required_id()
        if source_id in found:
            run.remember("meetings", source_id, found[source_id], existing=True)
            continue
        summary = record.text("summary_markdown", max_length=100_000)
        meeting = ReviewMeeting.objects.create(
            learner=run.owner,
            held_on=record.day("held_on") or timezone.localdate(),
            summary_markdown=summary,
            summary_html=render_markdown(summary),
        )
        keep_dates(meeting, created_at=record.moment("created_at"))
        run.remember("meetings", source_id, meeting)


def _goals(run: Restore) -> None:
    records = run.reader.records("goals")
    found = run.already_here(
        "goals", [r.required_id() for r in records], Goal.objects.filter(learner=run.owner)
    )
    for record in records:
        source_id = record.required_id()
        if source_id in found:
            run.remember("goals", source_id, found[source_id], existing=True)
            continue
        meeting_id = record.ident("meeting", optional=True) or ""
        goal = Goal.objects.create(
            learner=run.owner,
            title=record.text("title", max_length=GOAL_TITLE_MAX, required=True),
            due_on=record.day("due_on"),
            status=record.choice("status", Goal.Status.values),
            meeting=run.made.get("meetings", {}).get(meeting_id),
            done_at=record.moment("done_at"),
        )
        evidence = [run.made.get("artefacts", {}).get(a) for a in record.strings("evidence")]
        goal.evidence.set([a for a in evidence if a is not None])
        keep_dates(goal, created_at=record.moment("created_at"))
        run.remember("goals", source_id, goal)


def _threads(run: Restore) -> None:
    records = run.reader.records("feedback")
    found = run.already_here(
        "feedback",
        [r.required_id() for r in records],
        FeedbackThread.objects.filter(learner=run.owner),
    )
    for record in records:
        source_id = record.required_id()
        if source_id in found:
            run.remember("feedback", source_id, found[source_id], existing=True)
            continue
        reference = record.ref()
        target = run.target(reference)
        if reference is not None and target is None:
            run.report.skip("feedback", "", "What it was about was not imported.")
            continue
        thread = FeedbackThread.objects.create(
            learner=run.owner,
            **({type(target).__name__.lower(): target} if target is not None else {}),
            status=record.choice("status", FeedbackThread.Status.values),
            addressed_at=record.moment("addressed_at"),
        )
        keep_dates(thread, created_at=record.moment("created_at"))
        for comment in record.records("comments"):
            _comment(run, thread, comment)
        run.remember("feedback", source_id, thread)


def _comment(run: Restore, thread: FeedbackThread, record: Record) -> None:
    body = record.text("body_markdown", max_length=100_000, required=True)
    goal_id = record.ident("goal", optional=True) or ""
    comment = FeedbackComment.objects.create(
        thread=thread,
        body_markdown=body,
        body_html=render_markdown(body),
        is_next_step=record.boolean("is_next_step"),
        goal=run.made.get("goals", {}).get(goal_id),
    )
    keep_dates(comment, created_at=record.moment("created_at"))
