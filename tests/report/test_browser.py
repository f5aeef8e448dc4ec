"""The report in a real browser: Debian's chromium, headless, driven by Selenium over file://.

Skipped only when chromium or chromedriver are not installed (CI installs both, see
``.ci/report-deps.txt``). Nothing is downloaded: the driver path is given explicitly and
selenium-manager is told to stay offline.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crawler.report import build_report
from tests.report.sample import HOSTILE_SUMMARY, HOSTILE_TITLE, SEED_TITLES, write_sample

CHROMIUM = Path(os.environ.get("POLICYWIRE_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("POLICYWIRE_CHROMEDRIVER", "/usr/bin/chromedriver"))
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,1000")
# Runs before the page's own script: records any alert()/confirm()/prompt() an injection fires.
TRAP = """window.__dialogs = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (message) => { window.__dialogs.push(name + ":" + message); };
}"""

MISSING = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"{' and '.join(MISSING)} not installed (apt-get install -y chromium chromium-driver)",
)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    write_sample(root / "output")
    target = root / "report.html"
    build_report(root / "output", target)
    return target


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "1")  # selenium-manager must never fetch a browser or driver
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
        try:
            driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": TRAP})
            yield driver
        finally:
            driver.quit()


@pytest.fixture
def page(browser: Any, report: Path) -> Any:
    browser.get(report.as_uri())
    return browser


def visible_titles(driver: Any) -> list[str]:
    titles: list[str] = driver.execute_script(
        "return Array.from(document.querySelectorAll('article.story:not([hidden]) h3'))"
        ".map((h) => h.textContent);")
    return titles


def shown_count(driver: Any) -> int:
    return int(driver.find_element("id", "shown").text)


def test_every_story_is_a_card_newest_first(page: Any) -> None:
    cards = page.find_elements("css selector", "article.story")
    assert len(cards) == shown_count(page) == 12
    days = [c.find_element("css selector", ".meta").text[:10] for c in cards]
    assert days == sorted(days, reverse=True)


def test_seed_story_shows_canonical_and_its_duplicate_with_evidence(page: Any) -> None:
    card = page.find_element("css selector", 'article.story[id="story-st-nato-putin"]')
    rows = card.find_elements("css selector", "table.members tbody tr")
    assert [r.get_attribute("class") for r in rows] == ["canonical", "duplicate"]
    assert [r.find_elements("css selector", "td")[1].text for r in rows] == [
        "welt-politik", "krone-ausland"]
    assert [r.find_elements("css selector", "td")[2].get_attribute("title") for r in rows] == list(
        SEED_TITLES)
    evidence = rows[1].find_element("css selector", "td.evidence").text
    assert "title+body" in evidence and "title 0.74" in evidence and "body 0.88" in evidence
    links = [a.get_attribute("href") for a in card.find_elements("css selector", "a")]
    assert links == ["https://www.welt.de/politik/ausland/article250401/nato-putin-scheitert.html",
                     "https://www.krone.at/3301234"]


@pytest.mark.parametrize(("control", "value", "expected"), [
    ("f-source", "krone-ausland", 1),
    ("f-source", "nato-news", 7),
    ("f-language", "de", 2),
    ("f-topic", "sanctions", 1),
    ("f-topic", "russia-ukraine", 2),
    ("f-search", "putin", 2),
    ("f-search", "WLADIMIR scheitert", 1),
    ("f-search", "no such words", 0),
])
def test_filters_and_search_change_visible_count(
    page: Any, control: str, value: str, expected: int,
) -> None:
    from selenium.webdriver.support.ui import Select

    element = page.find_element("id", control)
    if control == "f-search":
        element.send_keys(value)
    else:
        Select(element).select_by_value(value)
    assert shown_count(page) == len(visible_titles(page)) == expected
    page.find_element("id", "f-reset").click()
    assert len(visible_titles(page)) == 12


def test_filters_combine(page: Any) -> None:
    from selenium.webdriver.support.ui import Select

    Select(page.find_element("id", "f-source")).select_by_value("reuters-world")
    assert shown_count(page) == 2
    Select(page.find_element("id", "f-topic")).select_by_value("cyber")
    assert visible_titles(page) == ["CISA warns of state-backed intrusions into water utilities"]


def test_hostile_title_and_summary_render_as_text(page: Any) -> None:
    assert page.execute_script("return window.__dialogs") == []
    assert HOSTILE_TITLE in visible_titles(page)
    card = page.find_element("css selector", "article.story[data-sources*='shady-blog']")
    assert card.find_element("css selector", ".summary").text == HOSTILE_SUMMARY
    assert page.execute_script("return document.images.length") == 0
    assert page.execute_script("return document.scripts.length") == 1
    hrefs = page.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map((a) => a.href)")
    assert all(h.startswith(("https://", "http://", "file://")) for h in hrefs)
    assert "javascript:alert(document.domain)" in card.text  # shown as text, not linked
    assert page.execute_script("return performance.getEntriesByType('resource').length") == 0
    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []  # no CSP violation: the page's own script ran, nothing else tried


def test_screenshot_of_the_page(
    page: Any, report: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    height = page.execute_script("return document.documentElement.scrollHeight")
    page.set_window_size(1400, min(int(height) + 200, 8000))
    shot = report.with_name("report.png")
    assert page.save_screenshot(str(shot))
    assert shot.stat().st_size > 20_000
    with capsys.disabled():
        print(f"\nreport screenshot: {shot}")
