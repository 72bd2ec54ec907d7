"""`make bench`: set up a throwaway database, run every benchmark, print the tables.
`python -m bench capacity` runs only the capacity and overload benchmark,
`python -m bench exports` only the showcase PDF export, `python -m bench apel` only the
APEL evidence PDF export, `python -m bench apel_pages` only the APEL claim and assessor
pages, and `python -m bench archive` only the archive of a whole account
(BENCH_ARCHIVE_MB sets its size of files)."""

import os
import sys
import time

from bench import environment


def main() -> int:
    started = time.perf_counter()
    database_url = environment.configure()
    if sys.argv[1:] == ["pagecache"]:  # bench/pagecache.py's child, or on its own
        from bench import pagecache

        if os.environ.get("REDIS_URL") and database_url.startswith("postgres"):
            print(pagecache.run_here())
        else:
            print(pagecache.run())
        return 0
    if sys.argv[1:] == ["capacity"]:
        from bench import capacity

        print(f"Database: {database_url}", flush=True)
        print(capacity.run())
        return 0
    if sys.argv[1:] == ["archive"]:
        from bench import archive

        print(f"Database: {database_url}", flush=True)
        skipped = archive.skip_reason()
        if skipped:
            print(f"Archive: skipped ({skipped}).")
        else:
            print(archive.format_result(archive.run()))
        return 0
    if sys.argv[1:] == ["exports"]:
        from bench import exports

        print(f"Database: {database_url}", flush=True)
        print(exports.format_result(exports.run()))
        return 0
    if sys.argv[1:] == ["apel"]:
        from bench import apel

        print(f"Database: {database_url}", flush=True)
        print(apel.format_result(apel.run()))
        return 0
    if sys.argv[1:] == ["apel_pages"]:
        from bench import apel_pages

        print(f"Database: {database_url}", flush=True)
        print(apel_pages.format_result(apel_pages.run()))
        return 0
    # Imported after configure(): these modules import models, which need django.setup().
    from bench import (
        apel,
        apel_pages,
        archive,
        badge_verification,
        badges,
        capacity,
        dashboard,
        exports,
        library,
        registry_matching,
        review,
        showcase,
        upload,
    )
    from bench.harness import format_table, queries_flat

    print(f"Database: {database_url} (flushed between data sizes)")
    rows = dashboard.run() + library.run() + showcase.run()
    print(format_table(rows))
    for page, flat in queries_flat(rows).items():
        print(f"{page}: queries flat: {'yes' if flat else 'no'}")
    print(showcase.NOTE)

    print()
    print(showcase.format_load(showcase.run_load()))

    print()
    skipped = upload.skip_reason()
    if skipped:
        print(f"Upload memory: skipped ({skipped}).")
    else:
        print(upload.format_result(upload.run()))

    print()
    print(badges.format_result(badges.run()))
    print()
    skipped = badge_verification.skip_reason()
    if skipped:
        print(f"Badge verification: skipped ({skipped}).")
    else:
        print(badge_verification.format_result(badge_verification.run()))
    print()
    print(registry_matching.format_result(registry_matching.run()))
    print()
    print(review.format_result(review.run()))
    print()
    print(exports.format_result(exports.run()))
    print()
    print(apel.format_result(apel.run()))
    print()
    print(apel_pages.format_result(apel_pages.run()))
    print()
    skipped = archive.skip_reason()
    if skipped:
        print(f"Archive: skipped ({skipped}).")
    else:
        print(archive.format_result(archive.run()))
    print()
    print(capacity.run())
    print()
    from bench import pagecache

    print(pagecache.run())
    print(f"Done in {time.perf_counter() - started:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
