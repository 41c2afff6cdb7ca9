"""Pages of the dashboard as a person opens them: a browser context of a given width, and the sign-in."""

from __future__ import annotations

from typing import Any


def open_page(browser: Any, width: int = 1280) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(15_000)
    return context.new_page()


def sign_in(page: Any, base_url: str, email: str) -> None:
    """Signs in with the demo account's one-click button, as a person would."""
    page.goto(f"{base_url}/")
    page.click(f"button[data-email='{email}']")
    page.wait_for_selector("main#main .view")
