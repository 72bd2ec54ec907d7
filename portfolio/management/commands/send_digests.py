"""Send the notification digests that are due: once, or every N seconds with --every.

With a broker, Celery beat runs the same sweep; without one, `make run` keeps this
command running beside the web server.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from portfolio.review.digest import digest_sweep


class Command(BaseCommand):
    help = "Email each person the news gathered since their last digest, once it is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            help="Keep running, sweeping every this many seconds (0: sweep once and stop).",
        )

    def handle(self, *args: Any, every: float = 0, **options: Any) -> None:
        while True:
            sent = digest_sweep()
            if options["verbosity"] > 1 or (sent and not every):
                self.stdout.write(f"Queued {sent} digest email(s).")
            if not every:
                return
            time.sleep(every)
