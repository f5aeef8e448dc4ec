"""The report's inline stylesheet and script: static text, no data is ever put into either.

The script only reads ``data-*`` attributes (JSON lists the page builder escaped) and toggles
``hidden``; it never writes HTML, so filtering cannot turn a title into markup.
"""

from __future__ import annotations

import base64
import hashlib

CSS = """
:root { --ink: #1d232b; --muted: #5d6875; --line: #d9dee4; --bg: #f5f7f9; --card: #fff;
  --accent: #0072B2; --warn: #9a4b00; --warn-bg: #fff3e0; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
  Arial, sans-serif; color: var(--ink); background: var(--bg); }
header.top { background: #16324f; color: #fff; padding: 18px 28px; }
header.top h1 { margin: 0 0 4px; font-size: 22px; }
header.top p { margin: 0; color: #c9d6e3; }
header.top nav a { color: #fff; margin-right: 16px; }
main { max-width: 1280px; margin: 0 auto; padding: 8px 28px 40px; }
h2 { font-size: 18px; margin: 28px 0 10px; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.figure { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 10px 16px; min-width: 130px; }
.figure b { display: block; font-size: 22px; }
.figure span { color: var(--muted); font-size: 13px; }
.alert { background: var(--warn-bg); border: 1px solid #f0b46b; color: var(--warn);
  border-radius: 8px; padding: 10px 14px; margin: 12px 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 12px 16px; }
.panel h3 { margin: 0 0 6px; font-size: 15px; }
svg.chart { width: 100%; height: auto; display: block; }
svg .grid { stroke: #e3e7eb; } svg .track { fill: #eef1f4; }
svg .tick, svg .legend { font-size: 12px; fill: var(--muted); } svg .legend { fill: var(--ink); }
table.members { table-layout: fixed; }
table.members col.role { width: 80px; } table.members col.source { width: 140px; }
table.members col.lang { width: 50px; } table.members col.when { width: 130px; }
table.members col.link { width: 160px; } table.members col.evidence { width: 230px; }
table.members td { overflow-wrap: anywhere; }
.filters { position: sticky; top: 0; z-index: 2; background: var(--bg); padding: 10px 0;
  display: flex; flex-wrap: wrap; gap: 10px; align-items: center;
  border-bottom: 1px solid var(--line); }
.filters label { font-size: 13px; color: var(--muted); }
.filters select, .filters input { font: inherit; padding: 4px 6px; border: 1px solid #b8c1cb;
  border-radius: 6px; background: #fff; }
.filters input[type=search] { min-width: 240px; }
.count { margin-left: auto; color: var(--muted); }
article.story { background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 12px 16px; margin: 12px 0; }
article.story h3 { margin: 0; font-size: 17px; }
.meta { color: var(--muted); font-size: 13px; margin: 2px 0 6px; }
.summary { margin: 4px 0 8px; }
.chip { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 10px;
  background: #e6f0f8; color: #114a75; margin-right: 4px; }
.badge { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 4px;
  background: #eee; color: #444; margin-left: 6px; vertical-align: middle; }
.badge.page-error { background: var(--warn-bg); color: #8a1c00; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 5px 8px; border-top: 1px solid var(--line);
  vertical-align: top; }
th { color: var(--muted); font-weight: 600; background: #fafbfc; }
tr.canonical td { background: #f3f8fc; }
tr.duplicate td:nth-child(3) { padding-left: 22px; }  /* a copy, under its original */
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.low { color: #b3261e; font-weight: 600; }
tr.drift td { background: var(--warn-bg); }
.evidence .rule { font-family: ui-monospace, Menlo, Consolas, monospace; }
.nolink, .muted { color: var(--muted); }
.nolink { word-break: break-all; }
.empty { color: var(--muted); font-style: italic; }
footer { color: var(--muted); font-size: 12px; margin-top: 30px; }
"""

SCRIPT = """
"use strict";
(function () {
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.story"));
  var parsed = cards.map(function (card) {
    return {
      card: card,
      sources: JSON.parse(card.dataset.sources || "[]"),
      languages: JSON.parse(card.dataset.languages || "[]"),
      topics: JSON.parse(card.dataset.topics || "[]"),
      text: card.dataset.text || ""
    };
  });
  var byId = function (id) { return document.getElementById(id); };
  var source = byId("f-source"), language = byId("f-language"), topic = byId("f-topic");
  var search = byId("f-search"), shown = byId("shown");
  function keep(item) {
    if (source.value && item.sources.indexOf(source.value) < 0) { return false; }
    if (language.value && item.languages.indexOf(language.value) < 0) { return false; }
    if (topic.value && item.topics.indexOf(topic.value) < 0) { return false; }
    var words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    return words.every(function (word) { return item.text.indexOf(word) >= 0; });
  }
  function apply() {
    var count = 0;
    parsed.forEach(function (item) {
      var visible = keep(item);
      item.card.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = String(count);
  }
  [source, language, topic].forEach(function (el) { el.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  byId("f-reset").addEventListener("click", function () {
    source.value = ""; language.value = ""; topic.value = ""; search.value = ""; apply();
  });
  apply();
})();
"""


def script_hash(script: str = SCRIPT) -> str:
    """The CSP source expression that allows exactly this inline script and no other."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


# Nothing is fetched: no network, no images; only our own inline style and hashed script run.
def content_security_policy() -> str:
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src {script_hash()}; base-uri 'none'; form-action 'none'"
    )


__all__ = ["CSS", "SCRIPT", "content_security_policy", "script_hash"]
