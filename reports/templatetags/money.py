"""Filters for the recommendation pages: money, rates and dictionary look-ups."""

from django import template

register = template.Library()


@register.filter
def usd(value) -> str:
    """Whole US dollars with thousands separators, a real minus sign when negative."""
    if value is None or value == "":
        return ""
    amount = round(float(value))
    return f"−${-amount:,}" if amount < 0 else f"${amount:,}"


@register.filter
def percent(rate) -> str:
    """A yearly rate stored as a fraction (0.1) shown as a percent (10 %)."""
    return "" if rate is None else f"{float(rate) * 100:.4g} %"


@register.filter
def item(mapping, key):
    """mapping[key], or "" when there is none (templates cannot index by a variable)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
