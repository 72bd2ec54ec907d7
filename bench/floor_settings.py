"""The project's settings plus one static files folder, for servers the bench starts:
var/bench/floor/, whose files WhiteNoise serves under /static/ (in debug mode it looks
each file up through the finders on every request, so files written after the server
started are found). The bench process itself adds the same folder with override_settings
(see bench/showcase.py). Nothing else differs.
"""

from bench.environment import BENCH_FLOOR
from portfolio.settings import *  # noqa: F403
from portfolio.settings import STATICFILES_DIRS as PROJECT_STATICFILES_DIRS

STATICFILES_DIRS = [*PROJECT_STATICFILES_DIRS, BENCH_FLOOR]
