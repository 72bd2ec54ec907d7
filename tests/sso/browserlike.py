"""An HTTP client that signs in the way a browser without JavaScript would: it follows
redirects, keeps cookies per host and port-less (as browsers do), and submits the forms
it finds on a page, including the auto-posting form a SAML identity provider returns."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import ClassVar
from urllib.parse import urljoin

import requests


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    buttons: list[str] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._in_button = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                Form(action=attr.get("action", ""), method=attr.get("method", "get").lower())
            )
        elif self.forms and tag in ("input", "textarea") and attr.get("name"):
            if attr.get("type") in ("checkbox", "radio") and "checked" not in attr:
                return
            self.forms[-1].fields[attr["name"]] = attr.get("value", "")
        elif self.forms and tag == "button":
            self._in_button = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "button":
            self._in_button = False

    def handle_data(self, data: str) -> None:
        if self._in_button and data.strip():
            self.forms[-1].buttons.append(data.strip())


def forms_on(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


class Browser:
    # Every one a test opened, closed by the `browser` fixture: a kept-alive connection
    # would otherwise be closed by the live server's thread after the test database is gone.
    opened: ClassVar[list["Browser"]] = []

    def __init__(self) -> None:
        self.session = requests.Session()
        Browser.opened.append(self)

    @classmethod
    def close_all(cls) -> None:
        while cls.opened:
            cls.opened.pop().session.close()

    def get(self, url: str, **kwargs: object) -> requests.Response:
        return self.session.get(url, timeout=15, **kwargs)  # type: ignore[arg-type]

    def form(self, response: requests.Response, button: str = "", action: str = "") -> Form:
        for form in forms_on(response.text):
            if button and not any(button in b for b in form.buttons):
                continue
            if action and action not in form.action:
                continue
            return form
        raise AssertionError(
            f"No form with {button or action!r} on {response.url}:\n{response.text[:3000]}"
        )

    def submit(
        self, response: requests.Response, button: str = "", action: str = "", **values: str
    ) -> requests.Response:
        form = self.form(response, button=button, action=action)
        url = urljoin(response.url, form.action or response.url)
        data = {**form.fields, **values}
        if form.method == "post":
            return self.session.post(url, data=data, timeout=15, headers={"Referer": response.url})
        return self.session.get(url, params=data, timeout=15)
