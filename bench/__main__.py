"""`make bench`: set up a throwaway database, run every benchmark, print one table."""

import sys
import time

from bench import environment


def main() -> int:
    started = time.perf_counter()
    database_url = environment.configure()
    # Imported after configure(): these modules import models, which need django.setup().
    from bench import dashboard
    from bench.harness import format_table

    print(f"Database: {database_url} (flushed between data sizes)")
    rows = dashboard.run()
    print(format_table(rows))
    print(f"{dashboard.PAGE}: queries flat: {'yes' if dashboard.queries_flat(rows) else 'no'}")
    print(f"Done in {time.perf_counter() - started:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
