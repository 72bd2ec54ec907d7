"""Bulk data for benchmarks: learners in cohorts, each cohort with one tutor, and
optionally each learner's evidence (artefacts and reflections, some tagged).

`generate` expects an empty database (the harness flushes between data sizes) and
writes with bulk inserts, one precomputed password hash and a handful of Markdown
bodies rendered once, so thousands of people or tens of thousands of items take a
second or two. Later benchmarks extend `generate` with more of each learner's data
(badges, portfolios) as those features arrive.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from math import ceil

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.institutions.services import institution_default
from accounts.models import Cohort, Membership, Role, User
from artefacts.models import Artefact
from core.html import render_markdown
from core.models import Tag, Visibility
from reflections.models import Reflection

EMAIL_DOMAIN = "bench.example"
BATCH_SIZE = 500
PASSWORD = "bench-password-not-secret"  # noqa: S105 (throwaway accounts, throwaway database)


@dataclass(frozen=True)
class Dataset:
    learner_ids: list[int]
    tutor_ids: list[int]
    cohort_ids: list[int]

    @property
    def sample_learner(self) -> User:
        """A learner in the middle of the data, in a full cohort with its tutor."""
        return User.objects.get(pk=self.learner_ids[len(self.learner_ids) // 2])


def _people(*, role: Role, count: int, password_hash: str) -> list[int]:
    users = [
        User(
            email=f"bench-{role}-{number:05d}@{EMAIL_DOMAIN}",
            name=f"Bench {role.label} {number:05d}",
            role=role,
            password=password_hash,
        )
        for number in range(1, count + 1)
    ]
    User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    # Re-read the ids: not every database backend returns them from a bulk insert.
    ids = list(
        User.objects.filter(role=role, email__endswith=f"@{EMAIL_DOMAIN}")
        .order_by("email")
        .values_list("pk", flat=True)
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=user.email, primary=True, verified=True)
            for pk, user in zip(ids, users, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    return ids


@transaction.atomic
def generate(
    *, learners: int, learners_per_cohort: int = 25, items_per_learner: int = 0
) -> Dataset:
    """Create `learners` learners in cohorts of `learners_per_cohort`, one tutor each,
    and give every learner `items_per_learner` evidence items (see `evidence_generate`)."""
    if learners < 1 or learners_per_cohort < 1 or items_per_learner < 0:
        raise ValueError(
            "learners and learners_per_cohort must be at least 1, items_per_learner at least 0."
        )
    cohort_count = ceil(learners / learners_per_cohort)
    password_hash = make_password(PASSWORD)
    learner_ids = _people(role=Role.LEARNER, count=learners, password_hash=password_hash)
    tutor_ids = _people(role=Role.TUTOR, count=cohort_count, password_hash=password_hash)

    institution = institution_default()
    Membership.objects.bulk_create(
        [
            Membership(user_id=pk, institution=institution, role=role)
            for ids, role in ((learner_ids, "learner"), (tutor_ids, "tutor"))
            for pk in ids
        ],
        batch_size=BATCH_SIZE,
    )
    Cohort.objects.bulk_create(
        [
            Cohort(institution=institution, name=f"Bench cohort {number:05d}")
            for number in range(1, cohort_count + 1)
        ]
    )
    cohort_ids = list(
        Cohort.objects.filter(name__startswith="Bench cohort ")
        .order_by("name")
        .values_list("pk", flat=True)
    )

    TutorLink = Cohort.tutors.through
    LearnerLink = Cohort.learners.through
    TutorLink.objects.bulk_create(
        [
            TutorLink(cohort_id=cohort_id, user_id=tutor_id)
            for cohort_id, tutor_id in zip(cohort_ids, tutor_ids, strict=True)
        ]
    )
    LearnerLink.objects.bulk_create(
        [
            LearnerLink(cohort_id=cohort_ids[index // learners_per_cohort], user_id=learner_id)
            for index, learner_id in enumerate(learner_ids)
        ],
        batch_size=BATCH_SIZE,
    )
    if items_per_learner:
        evidence_generate(owner_ids=learner_ids, items_each=items_per_learner)
    return Dataset(learner_ids=learner_ids, tutor_ids=tutor_ids, cohort_ids=cohort_ids)


# --- Evidence ---------------------------------------------------------------------------

SEARCH_WORD = "kiln"
"""In the title of every fifth item and nowhere else in the evidence (text, links, tags)."""
TAG_NAMES = ("teamwork", "communication", "numeracy", "safety", "leadership", "digital skills")
TOPICS = (
    "Team retrospective",
    "Customer call notes",
    "Budget spreadsheet",
    "Safety briefing",
    "Lab write-up",
    "Presentation to the cohort",
    "Code review",
)
SPAN_DAYS = 3 * 365
_TEXT_BODIES = (
    "## What I did\n\nI planned the week with my team and **kept notes** of each decision.",
    "A short piece on *why* the second attempt worked:\n\n- clearer goal\n- smaller steps",
    "I wrote up the method, the results and what I would change next time.",
)
_REFLECTION_BODIES = (
    "**What happened?** The demo ran late.\n\n**So what?** I under-planned.\n\n"
    "**Now what?** Rehearse with a timer.",
    "I noticed that asking one question early saves an hour later. I will keep doing it.",
    "Feedback from my tutor: explain the *why* first. I tried it today and it helped.",
)


def _title(number: int) -> str:
    if number % 5 == 0:
        return f"{SEARCH_WORD.capitalize()} firing log {number + 1}"
    return f"{TOPICS[number % len(TOPICS)]} {number + 1}"


def _tag_names(number: int) -> list[str]:
    """Half the items have a tag, a sixth of them a second one."""
    if number % 2:
        return []
    first = (number // 2) % len(TAG_NAMES)
    if number % 6:
        return [TAG_NAMES[first]]
    return [TAG_NAMES[first], TAG_NAMES[(first + 3) % len(TAG_NAMES)]]


def _pks_by_public_id(
    model: type[Artefact] | type[Reflection], owner_ids: list[int]
) -> dict[uuid.UUID, int]:
    # Re-read the ids: not every database backend returns them from a bulk insert.
    return dict(model.objects.filter(owner_id__in=owner_ids).values_list("public_id", "pk"))


def evidence_generate(*, owner_ids: list[int], items_each: int) -> None:
    """Give each owner `items_each` items, numbered oldest first and dated evenly over
    SPAN_DAYS up to today: two in three are artefacts (links and written pieces in
    turn), one in three reflections. Every fourth item is private, every fifth has
    SEARCH_WORD in its title, half are tagged with the owner's tags (TAG_NAMES), and
    every second reflection links the artefact just before it. Expects owners with no
    evidence or tags yet."""
    texts = [(body, render_markdown(body)) for body in _TEXT_BODIES]
    reflection_texts = [(body, render_markdown(body)) for body in _REFLECTION_BODIES]
    today = timezone.localdate()
    Tag.objects.bulk_create(
        [Tag(owner_id=owner_id, name=name) for owner_id in owner_ids for name in TAG_NAMES],
        batch_size=BATCH_SIZE,
    )
    tag_ids = {
        (owner_id, name): pk
        for owner_id, name, pk in Tag.objects.filter(owner_id__in=owner_ids).values_list(
            "owner_id", "name", "pk"
        )
    }

    artefacts: list[Artefact] = []
    reflections: list[Reflection] = []
    artefact_tags: list[tuple[uuid.UUID, int]] = []
    reflection_tags: list[tuple[uuid.UUID, int]] = []
    reflection_links: list[tuple[uuid.UUID, uuid.UUID]] = []
    for owner_id in owner_ids:
        previous_artefact: Artefact | None = None
        for number in range(items_each):
            day = today - timedelta(days=(items_each - 1 - number) * SPAN_DAYS // items_each)
            visibility = Visibility.PRIVATE if number % 4 == 3 else Visibility.TUTORS
            tags = [tag_ids[(owner_id, name)] for name in _tag_names(number)]
            if number % 3 == 2:
                markdown, html = reflection_texts[number % len(reflection_texts)]
                reflection = Reflection(
                    owner_id=owner_id,
                    title=_title(number),
                    body_markdown=markdown,
                    body_html=html,
                    written_on=day,
                    visibility=visibility,
                )
                reflections.append(reflection)
                reflection_tags += [(reflection.public_id, tag_id) for tag_id in tags]
                if number % 6 == 5 and previous_artefact is not None:
                    reflection_links.append((reflection.public_id, previous_artefact.public_id))
                continue
            artefact = Artefact(
                owner_id=owner_id, title=_title(number), learned_on=day, visibility=visibility
            )
            if number % 3 == 0:
                artefact.kind = Artefact.Kind.LINK
                artefact.url = f"https://example.org/evidence/{owner_id}/{number + 1}"
            else:
                artefact.kind = Artefact.Kind.TEXT
                artefact.body_markdown, artefact.body_html = texts[number % len(texts)]
            artefacts.append(artefact)
            artefact_tags += [(artefact.public_id, tag_id) for tag_id in tags]
            previous_artefact = artefact

    Artefact.objects.bulk_create(artefacts, batch_size=BATCH_SIZE)
    Reflection.objects.bulk_create(reflections, batch_size=BATCH_SIZE)
    artefact_pks = _pks_by_public_id(Artefact, owner_ids)
    reflection_pks = _pks_by_public_id(Reflection, owner_ids)
    ArtefactTag = Artefact.tags.through
    ReflectionTag = Reflection.tags.through
    ReflectionArtefact = Reflection.artefacts.through
    ArtefactTag.objects.bulk_create(
        [ArtefactTag(artefact_id=artefact_pks[a], tag_id=t) for a, t in artefact_tags],
        batch_size=BATCH_SIZE,
    )
    ReflectionTag.objects.bulk_create(
        [ReflectionTag(reflection_id=reflection_pks[r], tag_id=t) for r, t in reflection_tags],
        batch_size=BATCH_SIZE,
    )
    ReflectionArtefact.objects.bulk_create(
        [
            ReflectionArtefact(reflection_id=reflection_pks[r], artefact_id=artefact_pks[a])
            for r, a in reflection_links
        ],
        batch_size=BATCH_SIZE,
    )
