"""Demo data for `make run`. Safe to run again: it only adds what is missing."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.institutions.services import institution_default
from accounts.models import Membership, MembershipRole, Role
from accounts.services import cohort_ensure, user_ensure
from core.links import absolute_url
from portfolio.demo import seed_evidence, seed_showcase
from portfolio.demo_apel import seed_claim, seed_programme
from portfolio.demo_attestations import seed_attestation
from portfolio.demo_badges import seed_badges, seed_institution_stack, seed_registry
from portfolio.demo_review import seed_review

DEMO_PASSWORD = "portfolio-demo-2026"  # noqa: S105 - published on purpose, local demo only

PEOPLE = [
    ("admin@demo.example", "Ada Admin", Role.ADMIN),
    ("tutor@demo.example", "Tom Tutor", Role.TUTOR),
    ("learner1@demo.example", "Lena Learner", Role.LEARNER),
    ("learner2@demo.example", "Leo Learner", Role.LEARNER),
    ("tutor2@demo.example", "Tess Tutor", Role.TUTOR),
    ("learner3@demo.example", "Lou Learner", Role.LEARNER),
]
# Assessors are tutors by role, with the assessor role in the institution.
ASSESSOR = ("assessor@demo.example", "Asha Assessor")


class Command(BaseCommand):
    help = "Add the demo institution with its admin, tutors, learners and cohorts (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")
        parser.add_argument(
            "--base-url",
            default="",
            help="Where the site is served, for the printed share link (default: SITE_URL).",
        )

    def handle(self, *args: Any, quiet: bool = False, base_url: str = "", **options: Any) -> None:
        created, evidence, badges, token = self.seed()
        if quiet:
            return
        self.stdout.write(
            f"Demo data ready ({created} people, {evidence} evidence items, {badges} badges added)."
        )
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        for email, name, role in PEOPLE:
            self.stdout.write(f"  {role.label:<18} {name:<14} {email}")
        self.stdout.write(f"  {'APEL assessor':<18} {ASSESSOR[1]:<14} {ASSESSOR[0]}")
        if token:
            self.stdout.write(
                "Lena's showcase as an employer sees it (shown only now): "
                + (
                    f"{base_url.rstrip('/')}{reverse('share:showcase', args=[token])}"
                    if base_url
                    else absolute_url(reverse("share:showcase", args=[token]))
                )
            )

    @transaction.atomic
    def seed(self) -> tuple[int, int, int, str]:
        """Everything or nothing; printing happens after the commit."""
        people = {}
        created = 0
        institution = institution_default()
        if not institution.contact_email:
            institution.short_name = "Demo"
            institution.contact_email = "admin@demo.example"
            institution.email_domains = ["demo.example"]
            institution.save()
        for email, name, role in PEOPLE:
            user, was_created = user_ensure(
                email=email, name=name, role=role, password=DEMO_PASSWORD, institution=institution
            )
            people[email] = user
            created += was_created
        cohort_ensure(
            name="Web Development 2026",
            institution=institution,
            tutors=[people["tutor@demo.example"]],
            learners=[people["learner1@demo.example"], people["learner2@demo.example"]],
        )
        cohort_ensure(
            name="Data Analysis 2026",
            institution=institution,
            tutors=[people["tutor2@demo.example"]],
            learners=[people["learner3@demo.example"]],
        )
        today = timezone.localdate()
        learners = [people["learner1@demo.example"], people["learner2@demo.example"]]
        evidence = sum(seed_evidence(learner, today=today) for learner in learners)
        seed_registry(now=timezone.now())
        badges = sum(
            seed_badges(learner, today=today, self_issued=learner == learners[0])
            for learner in learners
        )
        seed_institution_stack()
        seed_programme(institution=institution)
        assessor, was_created = user_ensure(
            email=ASSESSOR[0],
            name=ASSESSOR[1],
            role=Role.TUTOR,
            password=DEMO_PASSWORD,
            institution=institution,
        )
        Membership.objects.filter(user=assessor, institution=institution).update(
            role=MembershipRole.ASSESSOR
        )
        created += was_created
        seed_claim(learner=people["learner1@demo.example"])
        token = seed_showcase(people["learner1@demo.example"])
        seed_attestation(people["learner1@demo.example"])
        seed_review(tutor=people["tutor@demo.example"], learners=learners, today=today)
        return created, evidence, badges, token
