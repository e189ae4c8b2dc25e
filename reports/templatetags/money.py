"""Filters for the recommendation pages: money, rates and dictionary look-ups."""

from django import template

from reports.domain import money

register = template.Library()


@register.filter
def usd(value) -> str:
    """Whole US dollars with thousands separators, a real minus sign when negative."""
    return "" if value == "" else money.usd(value)


@register.filter
def percent(rate) -> str:
    """A yearly rate stored as a fraction (0.1) shown as a percent (10 %)."""
    return money.percent(rate)


@register.filter
def has_assumed_costs(recommendations) -> bool:
    """Whether any of the upgrades rests on a cost band the framework marks as assumed."""
    return any(r.cost_is_assumption for r in recommendations)


@register.filter
def item(mapping, key):
    """mapping[key], or "" when there is none (templates cannot index by a variable)."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
