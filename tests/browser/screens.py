"""The screenshots under docs/screenshots/ that the README shows, taken by the browser tests.

Every run takes and checks them; they replace the README's pictures only when asked
(``make screenshots`` sets ``SIGAP_SCREENSHOTS_DIR``), so that a test run leaves the checkout as
it found it."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from playwright.async_api import Page

SCREENSHOTS = Path(
    os.environ.get("SIGAP_SCREENSHOTS_DIR") or Path(tempfile.gettempdir()) / "sigap-screenshots"
)
# A smaller file is a blank or half-drawn page.
SMALLEST_BYTES = 10_000


async def save_screenshot(page: Page, name: str) -> None:
    """The whole page as <SCREENSHOTS>/<name>; a page that scrolls sideways is a layout bug,
    not a picture for the README."""
    fits = await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert fits, f"{name}: {page.url} scrolls sideways"
    await asyncio.to_thread(SCREENSHOTS.mkdir, parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    await page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > SMALLEST_BYTES, f"{name} is {path.stat().st_size} bytes"
