"""Money and rates as people read them, one rule for pages, slides, workbooks and commands.

Amounts are USD floats. Pages show whole dollars ($3,971,023); slides, where space is
short, show the compact form ($3.97M, $50k); files and JSON carry amounts rounded to the
cent, and the roadmap compares whole cents so that its optimum is exact.
"""

from __future__ import annotations

MINUS = "−"  # a real minus sign: a hyphen reads as a dash beside a dollar sign


def usd(amount: float | None, *, compact: bool = False) -> str:
    """$3,971,023 (or $3.97M, $50k, $950 when `compact`); "" for no amount."""
    if amount is None:
        return ""
    sign = MINUS if amount < 0 else ""
    value = abs(float(amount))
    if not compact:
        return f"{sign}${round(value):,}"
    if value >= 100_000:
        text = f"{value / 1_000_000:.2f}".rstrip("0").rstrip(".")
        return f"{sign}${text}M"
    if value >= 1_000:
        return f"{sign}${value / 1_000:.0f}k"
    return f"{sign}${value:.0f}"


def usd_band(low: float, high: float, *, compact: bool = False) -> str:
    """$500,000–$1,200,000 (or $0.5M–$1.2M when `compact`)."""
    return f"{usd(low, compact=compact)}–{usd(high, compact=compact)}"


def percent(rate: float | None) -> str:
    """A yearly rate stored as a fraction (0.1) as a percent (10 %), up to four decimals."""
    if rate is None:
        return ""
    return f"{float(rate) * 100:.4f}".rstrip("0").rstrip(".") + " %"


def cents(amount: float) -> int:
    """Whole cents, for exact comparisons of money."""
    return int(round(amount * 100))


def to_the_cent(amount: float) -> int | float:
    """USD rounded to the cent; whole dollars without decimals (500000, not 500000.0)."""
    whole = cents(amount)
    return whole // 100 if whole % 100 == 0 else whole / 100
