"""The evidence library, whole and searched, for a learner with few and with many items.

The library is paginated, so neither its time nor its query count should follow the
size of the learner's library; the search may take longer as it scans more items, but
must not run more queries. Three learners get the same amount of evidence, so the page
also has to leave other people's items out. BENCH_SCALE multiplies both data sizes.
"""

from urllib.parse import urlencode

from django.test import Client
from django.urls import reverse
from django.utils.formats import number_format

from accounts.models import User
from artefacts.models import Artefact
from bench import datagen
from bench.environment import reset_database
from bench.harness import BenchmarkError, Row, measure, measure_floor, scaled
from portfolio.selectors import LIBRARY_PAGE_SIZE
from reflections.models import Reflection

PAGE = "evidence library"
SEARCH = "library search"
SIZES = (100, 10_000)
LEARNERS = 3
REPEAT = 100
CARD = b'class="evidence-card card"'


def _titles_containing(learner: User, word: str) -> int:
    """What the search should find, counted without the library's own code: the bench
    data puts the search word in titles only."""
    artefacts = Artefact.objects.filter(owner=learner, title__icontains=word)
    reflections = Reflection.objects.filter(owner=learner, title__icontains=word)
    return artefacts.count() + reflections.count()


def _check_lists(client: Client, url: str, *, expected: int) -> None:
    """Time a full page of the right items, not an empty state or an error page."""
    response = client.get(url)
    if response.status_code != 200:
        raise BenchmarkError(f"GET {url} answered {response.status_code}, not 200.")
    cards = response.content.count(CARD)
    if cards != min(expected, LIBRARY_PAGE_SIZE):
        raise BenchmarkError(f"{url} shows {cards} items, not {min(expected, LIBRARY_PAGE_SIZE)}.")
    total = f"{number_format(expected)} item".encode()
    if total not in response.content:
        raise BenchmarkError(f"{url} does not say it holds {expected} items in all.")


def run() -> list[Row]:
    library_url = reverse("portfolio:library")
    search_url = f"{library_url}?{urlencode({'q': datagen.SEARCH_WORD})}"
    rows = []
    for size in scaled(SIZES):
        reset_database()
        dataset = datagen.generate(learners=LEARNERS, items_per_learner=size)
        learner = dataset.sample_learner
        client = Client()
        client.force_login(learner)
        matches = _titles_containing(learner, datagen.SEARCH_WORD)
        for page, url, expected in (
            (PAGE, library_url, size),
            (SEARCH, search_url, matches),
        ):
            _check_lists(client, url, expected=expected)
            rows.append(
                Row(
                    page=f"{page} {url}",
                    data_size=f"{size} items",
                    measurement=measure(client, url, repeat=REPEAT),
                    floor=measure_floor(client, repeat=REPEAT),
                )
            )
    return rows
