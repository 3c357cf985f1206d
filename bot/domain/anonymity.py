"""Statistical disclosure control: which aggregate cells may be published, and how rounded.

The rules, in order (README, "Anonymous statistics"):

1. Threshold: a cell is published only if it counts at least `k` distinct workers
   (default 10, never below 5).
2. Coarsening: a country whose months are not all large enough is reported by quarter
   instead (its whole series, so months and quarters of one country never sit side by side
   to be subtracted); a tag is reported only at its country's granularity.
3. Complementary suppression: where a total is the sum of its parts (all countries = the
   sum of the countries; a worker has one country), a total is hidden when it would give
   away hidden parts: exactly one part hidden, or hidden parts that together count fewer
   than `k`. A tag (a subset of its country) is hidden when the workers outside it, found
   by subtracting it from the country, would be fewer than `k`.
4. Rounding: counts to a multiple of 5, shares to whole percent, hours to the half hour,
   money to three significant digits. A money total is hidden when one worker makes up
   more than half of it (dominance).
5. Optional noise: with `epsilon` set, Laplace noise of scale 1/epsilon is added to every
   published count before rounding (differential privacy for counts; see the README).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MIN_K = 5
DEFAULT_K = 10
COUNT_BASE = 5
DOMINANCE = 0.5


@dataclass(frozen=True)
class Policy:
    k: int = DEFAULT_K
    epsilon: float | None = None  # None: no noise
    seed: int | None = None  # only for reproducible tests and benchmarks

    def __post_init__(self) -> None:
        if self.k < MIN_K:
            raise ValueError(f"k must be at least {MIN_K}")
        if self.epsilon is not None and self.epsilon <= 0:
            raise ValueError("epsilon must be positive")

    def rng(self) -> random.Random:
        return random.Random(self.seed) if self.seed is not None else random.SystemRandom()


def quarter_of(month: str) -> str:
    """'2026-05' -> '2026-Q2'."""
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def period_start(period: str) -> dt.date:
    """The first day of a month ('2026-05') or a quarter ('2026-Q2')."""
    if "Q" in period:
        return dt.date(int(period[:4]), (int(period[-1]) - 1) * 3 + 1, 1)
    return dt.date.fromisoformat(f"{period}-01")


def choose_granularity(month_counts: Mapping[str, int], k: int) -> str:
    """'month' if every month with anyone in it is large enough, else 'quarter'."""
    return "month" if all(n >= k for n in month_counts.values() if n > 0) else "quarter"


def hidden_total(parts: Iterable[tuple[int, bool]], k: int) -> bool:
    """Whether a total must be hidden, given its parts as (distinct workers, published).

    Publishing it is safe when no non-empty part is hidden, or when at least two are and
    together they count at least `k` workers (then subtracting gives only their sum).
    """
    hidden = [n for n, published in parts if n > 0 and not published]
    if not hidden:
        return False
    return len(hidden) == 1 or sum(hidden) < k


def subset_publishable(n_subset: int, n_parent: int, parent_published: bool, k: int) -> bool:
    """A subset (a tag within a country) of a published parent: itself and the rest large
    enough. The rest may also be empty (the tag is the whole country)."""
    rest = n_parent - n_subset
    return parent_published and n_subset >= k and (rest == 0 or rest >= k)


class Rounder:
    """Rounds published figures, adding calibrated noise to counts when asked."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._rng = policy.rng()

    def _noise(self) -> float:
        if self.policy.epsilon is None:
            return 0.0
        # Laplace(0, 1/epsilon) as the difference of two exponentials.
        rate = self.policy.epsilon
        return self._rng.expovariate(rate) - self._rng.expovariate(rate)

    def count(self, n: int) -> int:
        noisy = max(0.0, n + self._noise())
        return int(COUNT_BASE * math.floor(noisy / COUNT_BASE + 0.5))

    def share(self, part: int, whole: int) -> int | None:
        """Whole percent of `part` in `whole` (both noised if noise is on)."""
        if whole <= 0:
            return None
        noisy_part = max(0.0, part + self._noise())
        noisy_whole = max(1.0, whole + self._noise())
        return int(
            Decimal(min(1.0, noisy_part / noisy_whole) * 100).quantize(Decimal(1), ROUND_HALF_UP)
        )

    @staticmethod
    def hours(value: float | None) -> float | None:
        return None if value is None else math.floor(value * 2 + 0.5) / 2

    @staticmethod
    def money(value: float | None, digits: int = 3) -> float | None:
        """Three significant digits: 45.27 -> 45.3, 123456 -> 123000."""
        if value is None:
            return None
        if value == 0:
            return 0.0
        scale = digits - 1 - math.floor(math.log10(abs(value)))
        return float(round(Decimal(str(value)), scale))

    @staticmethod
    def dominated(values: Iterable[float]) -> bool:
        """One contribution makes up more than half of the total."""
        positive = [v for v in values if v > 0]
        total = sum(positive)
        return bool(positive) and max(positive) > DOMINANCE * total
