"""factory_boy factories shared by every app's tests."""

from typing import Any

import factory
from allauth.account.models import EmailAddress

from accounts.institutions.services import institution_default
from accounts.models import Cohort, Institution, Membership, Role, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    role = Role.LEARNER
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)

    @factory.post_generation
    def institution(self: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Everyone is a member of the default institution with their role, unless
        `institution=` names another or `institution=False` none."""
        if create and extracted is not False:
            Membership.objects.create(
                user=self, institution=extracted or institution_default(), role=self.role
            )


class LearnerFactory(UserFactory):
    role = Role.LEARNER


class TutorFactory(UserFactory):
    role = Role.TUTOR


class InstitutionAdminFactory(UserFactory):
    role = Role.ADMIN


class InstitutionFactory(factory.django.DjangoModelFactory[Institution]):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institution {n}")
    slug = factory.Sequence(lambda n: f"institution-{n}")


class CohortFactory(factory.django.DjangoModelFactory[Cohort]):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cohort {n}")
    institution = factory.LazyFunction(institution_default)

    @factory.post_generation
    def tutors(self: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.tutors.add(*extracted)

    @factory.post_generation
    def learners(self: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.learners.add(*extracted)
