from django import template

from reports.domain.levels import format_score, level_css_class

register = template.Library()


@register.filter
def level_class(level) -> str:
    """The CSS class that colours a level (level-none when there is no level)."""
    return level_css_class(level)


@register.filter
def score(value) -> str:
    """A score to two decimals; blank (never 0) when there is none."""
    return format_score(value)


@register.filter
def signed_score(value) -> str:
    """A difference to two decimals with its sign (+0.50, -1.25); blank when there is none."""
    return format_score(value, signed=True)
