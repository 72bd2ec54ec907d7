"""What every browser journey does on every page it visits, and the people who visit them.

A journey is one user's job done in a real Chromium against the live test server. Each
person in it has their own browser context (cookies, downloads), so an employer opening a
link never shares a session with the learner who made it. Tests call `person.check(name)`
on each page they reach; that runs axe-core, checks the page at 360 px wide, and writes
screenshots. When the journey ends, `Journey.finish` fails the test if a page was loaded
and never checked, so adding a step without its checks cannot go unnoticed.

Later capabilities add journeys in the same style: take the `journey` fixture, make
people with `journey.person(...)`, and call `check` on each page they land on.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Locator, Page

VENDOR = Path(__file__).parent / "vendor" / "axe-core"
AXE_SOURCE = (VENDOR / "axe.min.js").read_text()
AXE_VERSION = re.search(r"axe v([\d.]+)", AXE_SOURCE[:200]).group(1)  # type: ignore[union-attr]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING_IMPACTS = {"serious", "critical"}

# What Chromium's console says when a policy header blocks something or is malformed.
POLICY_CONSOLE_MARKERS = ("Content Security Policy", "Permissions-Policy", "Permissions Policy")

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 360, "height": 780}

# axe's full result is large; bring back only what the report needs.
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return {
    passes: result.passes.length,
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.map(n => n.target.join(" ")).slice(0, 10),
    })),
  };
}"""

# Horizontal scrolling, and which of the page's main actions a person could not reach.
# Content inside a deliberately scrollable box (a wide table) is reachable by scrolling it.
LAYOUT = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (/(auto|scroll)/.test(s.overflowX) && a.scrollWidth > a.clientWidth) return true;
    }
    return false;
  };
  const describe = el => {
    const classes = typeof el.className === "string" ? el.className.trim().split(/\\s+/) : [];
    return [el.tagName.toLowerCase() + (el.id ? "#" + el.id : ""), ...classes].join(".");
  };
  const shown = el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const label = el => (el.getAttribute("aria-label") || el.textContent || el.value || "")
    .trim().replace(/\\s+/g, " ");
  const right = el => Math.round(el.getBoundingClientRect().right);
  const overflow = document.documentElement.scrollWidth - width;
  const culprits = overflow <= 0 ? [] : Array.from(document.body.querySelectorAll("*"))
    .filter(el => shown(el) && right(el) > width + 1 && !scrolls(el))
    .slice(-5).map(el => describe(el) + " (right edge " + right(el) + "px)");
  const actions = Array.from(document.querySelectorAll(
    "main button, main input[type=submit], main a.button, main summary")).filter(shown);
  const outside = actions.filter(el => {
    const r = el.getBoundingClientRect();
    return (r.left < -1 || r.right > width + 1) && !scrolls(el);
  }).map(label);
  return {overflow, culprits, actions: actions.map(label), outside};
}"""

# Is the focused element showing a focus indicator, on screen and not covered by anything?
FOCUS = """(target) => {
  const el = document.activeElement;
  if (!el || el === document.body) {
    return {ok: false, why: "focus is on the page body", is_target: false, what: "body"};
  }
  const is_target = el === target;
  // Date fields have stops of the browser's own (the calendar button) inside the field;
  // the browser draws their focus, and the page's styles cannot reach them.
  if (el.type === "date" && !el.matches(":focus")) {
    return {ok: true, why: "", is_target, what: "date field's calendar button"};
  }
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0)
    || s.boxShadow !== "none";
  const r = el.getBoundingClientRect();
  const onScreen = r.width > 0 && r.height > 0
    && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
  let covered = false;
  if (onScreen) {
    const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(r.top + Math.min(r.height / 2, 10), 0), innerHeight - 1);
    const hit = document.elementFromPoint(x, y);
    covered = !(hit && (hit === el || el.contains(hit) || hit.contains(el) || hit.control === el));
  }
  const name = (el.getAttribute("aria-label") || el.textContent || el.name || "").trim();
  const what = el.tagName.toLowerCase() + " " + JSON.stringify(name.slice(0, 60));
  const why = !ring ? "no focus indicator" : !onScreen ? "off screen"
    : covered ? "covered by another element" : "";
  return {ok: !why, why, is_target, what};
}"""


# Where keyboard focus starts: the focused element or, just after following a link to
# #fragment, the fragment's target. Does `target` come before it in the page?
TARGET_IS_BEHIND = """(target) => {
  const active = document.activeElement;
  const start = active && active !== document.body ? active : document.querySelector(":target");
  return !!start && !!(start.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_PRECEDING);
}"""


@dataclass
class PageCheck:
    journey: str
    number: int
    name: str
    path: str
    passes: int
    violations: list[dict[str, Any]]

    @property
    def blocking(self) -> list[dict[str, Any]]:
        return [v for v in self.violations if v["impact"] in BLOCKING_IMPACTS]

    def describe_violations(self) -> str:
        return "\n".join(
            f"    [{v['impact']}] {v['id']}: {v['help']}\n"
            + "\n".join(f"        at {target}" for target in v["targets"])
            for v in self.violations
        )


@dataclass
class BrowserReport:
    """Every page check of the run, for the summary printed at the end of the tests."""

    screenshots: Path
    checks: list[PageCheck] = field(default_factory=list)


class Person:
    """Someone using the site in their own browser context."""

    def __init__(self, journey: "Journey", role: str, context: BrowserContext) -> None:
        self.journey = journey
        self.role = role
        self.context = context
        self.page: Page = context.new_page()
        self.loaded: list[str] = []
        self.page.on("load", lambda page: self.loaded.append(page.url))
        # Chromium reports what the Content-Security-Policy blocked (and a header it could
        # not read) on the console; check_page fails on any of them.
        self.policy_errors: list[str] = []
        self.page.on("console", self._note_policy_error)

    def _note_policy_error(self, message: ConsoleMessage) -> None:
        if any(marker in message.text for marker in POLICY_CONSOLE_MARKERS):
            self.policy_errors.append(f"{message.text} (on {urlsplit(self.page.url).path})")

    def url(self, path: str) -> str:
        return self.journey.base_url + path

    def open(self, path: str, name: str) -> PageCheck:
        self.page.goto(self.url(path))
        return self.check(name)

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    def check(self, name: str) -> PageCheck:
        """Check the page this person is looking at: axe-core, layout at 360 px, focus on
        nothing broken, screenshots wide and narrow. Fails on serious or critical axe
        violations, horizontal scrolling, or a main action that cannot be reached."""
        return self.journey.check_page(self, name)

    def log_in(self, email: str, password: str) -> None:
        """Sign in through the sign-in page, checking it; lands wherever the site sends."""
        if self.path != "/accounts/login/":
            self.open("/accounts/login/", "sign-in")
        form = self.page.locator("form[action='/accounts/login/']")
        form.get_by_label("Email").fill(email)
        form.get_by_label("Password").fill(password)
        form.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(lambda url: urlsplit(url).path != "/accounts/login/")

    # Keyboard ------------------------------------------------------------------------

    def tab_to(self, target: Locator, *, limit: int = 80) -> int:
        """Press Tab until `target` has focus (Shift+Tab if it comes before where focus
        is, as a person would), failing as soon as focus lands anywhere without a visible
        focus indicator. Focus may pass the end of the page once and come round again,
        as it does through the browser's own toolbar. Returns the number of presses."""
        handle = target.element_handle()
        key = "Shift+Tab" if self.page.evaluate(TARGET_IS_BEHIND, handle) else "Tab"
        wrapped = False
        for presses in range(1, limit + 1):
            self.page.keyboard.press(key)
            state = self.page.evaluate(FOCUS, handle)
            if state["what"] == "body" and not wrapped:
                wrapped = True
                continue
            if not state["ok"]:
                pytest.fail(
                    f"{self.role} on {self.path}: after {presses} presses of {key}, focus on "
                    f"{state['what']} is not visible ({state['why']})."
                )
            if state["is_target"]:
                return presses
        pytest.fail(f"{self.role} on {self.path}: {limit} presses of {key} never reached {target}.")

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def type_date(self, day: date) -> None:
        """Type a date into the focused date field in the order this browser shows it
        (its segments follow the machine's locale, not the page's)."""
        self.page.keyboard.type(day.strftime(self.journey.date_order(self.context)))

    def press_and_load(self, key: str = "Enter") -> None:
        """Press a key that follows a link or submits a form, and wait for the new page."""
        with self.page.expect_navigation():
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def focused(self) -> dict[str, Any]:
        return self.page.evaluate(FOCUS, None)


class Journey:
    """One user's job, possibly with several people, checked page by page."""

    def __init__(self, name: str, browser: Browser, base_url: str, report: BrowserReport):
        self.name = name
        self.browser = browser
        self.base_url = base_url
        self.report = report
        self.people: list[Person] = []
        self.checked: set[str] = set()
        self.count = 0
        self._date_order: str | None = None
        self.folder = report.screenshots / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()

    def person(self, role: str) -> Person:
        context = self.browser.new_context(
            viewport=WIDE,  # type: ignore[arg-type]
            locale="en-GB",
            timezone_id="Europe/London",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        person = Person(self, role, context)
        self.people.append(person)
        return person

    def date_order(self, context: BrowserContext) -> str:
        """How to type a date into this browser's date fields, found on a scratch page."""
        if self._date_order is None:
            scratch = context.new_page()
            scratch.set_content('<input type="date" aria-label="probe" autofocus>')
            scratch.get_by_label("probe").focus()
            scratch.keyboard.type("01022026")
            typed = scratch.get_by_label("probe").input_value()
            scratch.close()
            self._date_order = {"2026-01-02": "%m%d%Y", "2026-02-01": "%d%m%Y"}[typed]
        return self._date_order

    def check_page(self, person: Person, name: str) -> PageCheck:
        page = person.page
        page.wait_for_load_state("load")
        self.count += 1
        stem = f"{self.count:02d}-{person.role}-{name}"
        path = urlsplit(page.url).path

        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(AXE_SOURCE)  # evaluated by the debugger protocol, so CSP allows it
        axe = page.evaluate(RUN_AXE, AXE_TAGS)
        check = PageCheck(self.name, self.count, f"{person.role}: {name}", path,
                          axe["passes"], axe["violations"])  # fmt: skip
        self.report.checks.append(check)
        if check.violations:
            print(f"axe on {path} ({check.name}):\n{check.describe_violations()}")
        page.screenshot(path=self.folder / f"{stem}-wide.png", full_page=True)
        wide = page.evaluate(LAYOUT)

        page.set_viewport_size(NARROW)  # type: ignore[arg-type]
        narrow = page.evaluate(LAYOUT)
        page.screenshot(path=self.folder / f"{stem}-narrow.png", full_page=True)
        page.set_viewport_size(WIDE)  # type: ignore[arg-type]
        self.checked.add(path)

        problems = []
        if person.policy_errors:
            problems.append("the browser blocked or refused:\n" + "\n".join(person.policy_errors))
            person.policy_errors.clear()
        if check.blocking:
            problems.append(
                f"axe found serious or critical problems:\n{check.describe_violations()}"
            )
        if narrow["overflow"] > 0:
            problems.append(
                f"at 360 px the page scrolls sideways by {narrow['overflow']} px; widest: "
                + "; ".join(narrow["culprits"])
            )
        if narrow["outside"]:
            problems.append(f"at 360 px these actions are off screen: {narrow['outside']}")
        hidden = sorted(set(wide["actions"]) - set(narrow["actions"]))
        if hidden:
            problems.append(f"at 360 px these actions disappear: {hidden}")
        if problems:
            pytest.fail(f"{person.role} on {path} ({name}):\n" + "\n".join(problems))
        return check

    def capture_failure(self) -> None:
        """Screenshot what each person was looking at when the test failed."""
        for person in self.people:
            shot = self.folder / f"failed-{person.role}.png"
            person.page.screenshot(path=shot, full_page=True)
            print(f"{person.role} was on {person.page.url} when the test failed: {shot}")
            person.context.close()

    def finish(self) -> None:
        """Fail if someone loaded a page that was never checked, or the browser blocked
        something after the last check."""
        unchecked = sorted(
            {
                urlsplit(url).path
                for person in self.people
                for url in person.loaded
                if url.startswith(self.base_url)
            }
            - self.checked
        )
        blocked = [error for person in self.people for error in person.policy_errors]
        for person in self.people:
            person.context.close()
        if blocked:
            pytest.fail("The browser blocked or refused:\n" + "\n".join(blocked))
        if unchecked:
            pytest.fail(f"Pages visited but never checked: {unchecked}")
