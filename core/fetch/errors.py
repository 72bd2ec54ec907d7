"""What a fetch raises. `str(error)` is plain words a learner or employer can read; the
technical cause is in `detail` (and `__cause__`) for logs."""


class FetchError(Exception):
    """Base class: the document could not be had. Also raised by `FetchResponse.json()`."""

    def __init__(self, message: str, *, url: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class FetchRefused(FetchError):
    """We chose not to fetch: a scheme other than http(s), credentials in the URL, an
    address that is not on the public internet, too many redirects, too much data."""


class FetchFailed(FetchError):
    """The fetch was tried and did not work now (unknown name, no connection, timeout,
    certificate problem, garbled answer): the badge is "not verifiable now", not invalid."""
