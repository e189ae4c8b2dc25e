from django import template

from reports.domain.levels import format_score, level_and_score, level_css_class
from reports.domain.levels import level_label as level_and_name

register = template.Library()


@register.filter
def level_class(level, levels=None) -> str:
    """The CSS class that colours a level among the framework's levels (a {number: name}
    dict; default 1–5); level-none when there is no level."""
    return level_css_class(level, levels or None)


@register.filter
def level_label(level, levels) -> str:
    """'3 Managed', by the framework's level names ({number: name}); blank without a level."""
    return level_and_name(level, levels)


@register.simple_tag
def level_score(level, score) -> str:
    """What a coloured cell says: '2 · 3.04' (* where a weaker dimension holds it)."""
    return level_and_score(level, score)


@register.filter
def score(value) -> str:
    """A score to two decimals; blank (never 0) when there is none."""
    return format_score(value)


@register.filter
def signed_score(value) -> str:
    """A difference to two decimals with its sign (+0.50, -1.25); blank when there is none."""
    return format_score(value, signed=True)
