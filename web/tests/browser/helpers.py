"""Helpers for browser tests: screenshots under var/test-artifacts/, sign-in through the
development identity provider, the chromium to drive."""

from __future__ import annotations

import os
import pathlib

CHROMIUM = os.environ.get("EKM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = pathlib.Path(__file__).resolve().parents[3] / "var" / "test-artifacts"
COMMUNITY = "UA80000000000093317"


def shot(page, name: str) -> pathlib.Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, key: str) -> None:
    """Through the development identity provider's page, as a person would."""
    page.goto("/signin")
    page.check(f"#user-{key}")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
