from django import template

register = template.Library()


@register.filter
def level_class(level) -> str:
    """The CSS class that colours a level (blank when there is no level)."""
    return f"level-{int(level)}" if level is not None else "level-none"


@register.filter
def score(value) -> str:
    """A score to two decimals; blank (never 0) when there is none."""
    return "" if value is None else f"{value:.2f}"
