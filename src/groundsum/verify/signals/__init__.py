"""The verify model's signals: one file each, declaring its name, its direction and how it is measured.

A signal reads one ``Claim`` (verify/features.py: a summary sentence, where it aligns in the source,
and the checks run on it once) and returns a number. The learned model (``combine``) weighs the
signals in the order of their names; its weights keep the sign each signal declares, so no artifact
of the training data can make, say, stronger word overlap count against a sentence.

Adding a signal is adding a file here with a function decorated ``@signal("name", direction)``,
then retraining (``python -m training.train_verify``). Other packages can add signals through the
``groundsum.verify_signals`` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ...registry import Registry

if TYPE_CHECKING:
    from ..features import Claim

Direction = Literal[-1, 0, 1]  # +1: more means better supported; -1: worse; 0: either


@dataclass(frozen=True)
class Signal:
    name: str
    direction: Direction
    measure: Callable[[Claim], float]
    description: str


signal_registry: Registry[Signal] = Registry("verify signal", __name__, "groundsum.verify_signals")


def signal(name: str, direction: Direction) -> Callable[[Callable[[Claim], float]], Callable[[Claim], float]]:
    """Register ``measure`` as the signal ``name``; its docstring's first line describes it."""

    def register(measure: Callable[[Claim], float]) -> Callable[[Claim], float]:
        description = (measure.__doc__ or name).strip().splitlines()[0]
        signal_registry.register(name)(Signal(name, direction, measure, description))
        return measure

    return register
