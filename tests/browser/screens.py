"""The screenshots under docs/screenshots/ that the README shows, taken by the browser tests."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# A smaller file is a blank or half-drawn page.
SMALLEST_BYTES = 10_000


async def save_screenshot(page: Page, name: str) -> None:
    """The whole page as docs/screenshots/<name>; a page that scrolls sideways is a layout bug,
    not a picture for the README."""
    fits = await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert fits, f"{name}: {page.url} scrolls sideways"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    await page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > SMALLEST_BYTES, f"{name} is {path.stat().st_size} bytes"
