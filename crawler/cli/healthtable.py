"""The table ``policywire stats`` prints: one line a source, its figures in fixed columns."""

from __future__ import annotations

from crawler.health import HealthRow


def health_table(rows: list[HealthRow]) -> str:
    """Each source's runs, records, rate, shares, 304s, failed pages, error streak, status."""
    head = (f"{'source':<28} {'runs':>4} {'recs':>5} {'rate':>5} {'date':>5} {'auth':>5} "
            f"{'body':>5} {'chars':>6} {'304':>5} {'pgerr':>5} {'errs':>4}  status")
    lines = [head]
    for r in rows:
        lines.append(
            f"{r.source[:28]:<28} {r.runs:>4} {r.records:>5} {_record_figures(r)} "
            f"{r.not_modified_rate:>5.0%} {_share(r.pages_failed, r):>5} {r.error_streak:>4}"
            f"  {r.status}"
        )
    return "\n".join(lines)


def _record_figures(r: HealthRow) -> str:
    """The rate (:func:`_rate`), the shares with a date, an author and a body, and the body
    length; dashes for a source none of whose records is below the directory (``scrape -o
    FILE`` wrote them elsewhere): its 0% read as an extraction that found nothing, as the
    report's dashes do not."""
    if not r.records_read:
        return f"{'-':>5} {'-':>5} {'-':>5} {'-':>5} {'-':>6}"
    return (f"{_rate(r.per_day):>5} {r.date:>5.0%} {r.author:>5.0%} {r.body:>5.0%} "
            f"{r.body_chars_latest:>6}")


def _rate(per_day: float) -> str:
    """Records a day ("2.5"), else a month ("4/mo"), else a year ("3/yr"): a source whose
    records span years (an archive's sitemap) read "0.0" a day, as a dead one does."""
    if per_day >= 0.95 or per_day == 0:
        return f"{per_day:.1f}"
    if per_day * 30.44 >= 0.95:
        return f"{per_day * 30.44:.0f}/mo"
    return f"{per_day * 365.25:.0f}/yr" if per_day * 365.25 >= 0.5 else "<1/yr"


def _share(value: float, r: HealthRow) -> str:
    return f"{value:.0%}" if r.records_read else "-"
