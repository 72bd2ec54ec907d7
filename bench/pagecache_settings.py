"""The project's settings for the page-cache benchmark's gunicorn: production's static
files (collected with the manifest storage into var/bench/static/, where the bench also
writes the floor files before the server starts, so WhiteNoise indexes them once, as in
production). Nothing else differs; DJANGO_DEBUG=0 and the rest come from the environment.
"""

from bench.environment import BENCH_DIR
from portfolio.settings import *  # noqa: F403

STATIC_ROOT = BENCH_DIR / "static"
