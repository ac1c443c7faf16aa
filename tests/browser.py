"""One guard for every page the browser tests open: requests outside what the test
allows are blocked and recorded, and console errors, page errors and dialogs are
recorded, so that a test can say the page stayed clean. :data:`CHROMIUM_ARGS` are the
flags Chromium is launched with (by the tests and by ``benchmarks.pictures``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# Debian's Chromium, driven by Playwright: nothing downloads a browser.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


class GuardedPage:
    """A page in a fresh browser context whose requests pass only where ``allowed``
    says so; everything else is aborted and kept in :attr:`blocked`."""

    def __init__(self, browser: Any, allowed: Callable[[str], bool], width: int, height: int):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.allowed = allowed
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.failed: list[str] = []
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("dialog", self._dialog)
        self.page.on("requestfailed", lambda request: self.failed.append(request.url))

    def _guard(self, route: Any) -> None:
        if self.allowed(route.request.url):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def assert_clean(self, failed_loads: bool = False) -> None:
        """Nothing logged as an error, no request blocked, no dialog opened, no request
        failed (unless ``failed_loads``: a page that moves on cancels a frame's load),
        and no injected script ran (the XSS payloads in the test data set
        ``window.__xss``)."""
        assert self.errors == [], self.errors
        assert self.blocked == [], f"the page asked for something it may not: {self.blocked}"
        assert self.dialogs == [], self.dialogs
        assert failed_loads or self.failed == [], self.failed
        assert self.js("() => window.__xss") is None

    def close(self) -> None:
        self.context.close()
