"""Capability groups and their rolled-up scores (docs/frameworks.md, "Capability groups").
Pure Python.

A published model groups its capabilities (SAMM: business function → practice; NIST CSF:
function → category; DSOMM: dimension → sub-dimension). A group's score is the mean of the
scores of the capabilities in it, at any depth, that have one — as SAMM scores a business
function by the mean of its practices — and its level is the lowest of their levels: a group
is as mature as its weakest capability, as a capability is as its weakest dimension.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class GroupScore:
    path: tuple[str, ...]  # outermost first: ("Design",), ("GOVERN", "Risk Management")
    score: float | None  # the mean of its scored capabilities' scores; None when none is
    level: int | None  # the lowest of their levels
    capabilities: int  # how many it holds, at any depth
    scored: int  # how many of them have a score

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def depth(self) -> int:
        return len(self.path) - 1


def group_scores(
    capabilities: Iterable[tuple[tuple[str, ...], float | None, int | None]],
) -> list[GroupScore]:
    """Every group of the (groups, score, level) capabilities, each after the group that
    holds it, in the order they first appear; [] when no capability is grouped."""
    members: dict[tuple[str, ...], list[tuple[float | None, int | None]]] = {}
    for groups, score, level in capabilities:
        for depth in range(1, len(groups) + 1):
            members.setdefault(tuple(groups[:depth]), []).append((score, level))
    result = []
    for path, held in members.items():
        scored = [(score, level) for score, level in held if score is not None]
        levels = [level for _, level in scored if level is not None]
        result.append(
            GroupScore(
                path=path,
                score=sum(score for score, _ in scored) / len(scored) if scored else None,
                level=min(levels) if levels else None,
                capabilities=len(held),
                scored=len(scored),
            )
        )
    return result
