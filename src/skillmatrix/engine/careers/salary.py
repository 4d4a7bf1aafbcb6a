"""Salary change between roles, compared only like with like (no I/O).

A role's pay has a basis (framework/model.py `SalaryBand`): a base band (min–max), a median base
salary, or a median total cash. Two roles' pay is subtracted only when it is the same kind of
figure in the same currency and period: band midpoint with band midpoint, median base with
median base, median total cash with median total cash (also when both roles give a total cash
beside different base figures). Anything else is reported as "not comparable: band vs median
base", with both figures shown, instead of a difference that means nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from skillmatrix.framework.model import Role, SalaryBand

COMPARED = {
    "band": "band midpoint",
    "median-base": "median base",
    "total-cash": "median total cash",
}
"""What is compared when both roles have the same basis."""


def pay_dict(pay: SalaryBand) -> dict[str, Any]:
    """A role's pay in JSON-ready form, with its basis and its text."""
    return {
        "basis": pay.basis,
        "currency": pay.currency,
        "period": pay.period,
        "min": pay.min,
        "max": pay.max,
        "median": pay.median,
        "total_cash_median": pay.total_cash_median,
        "text": pay.text(),
        "source": pay.source,
    }


@dataclass(frozen=True, slots=True)
class SalaryChange:
    """Two roles' pay side by side, and the change when the figures are of one kind."""

    source: SalaryBand
    target: SalaryBand
    compared: str
    """What is compared ('band midpoint', 'median base', 'median total cash'); '' if nothing."""
    old: float | None = None
    new: float | None = None
    reason: str = ""
    """Why the two are not comparable ('band vs median base'); '' when they are."""

    @property
    def comparable(self) -> bool:
        """True when the change is a difference of like figures."""
        return self.old is not None and self.new is not None

    @property
    def change(self) -> float | None:
        """new − old of the compared figures; None when not comparable."""
        if self.old is None or self.new is None:
            return None
        return self.new - self.old

    @property
    def currency(self) -> str:
        """The currency of the role moved into."""
        return self.target.currency

    def text(self) -> str:
        """'+25,000 USD (band midpoint 55,000 → 80,000)' or 'not comparable: ...'."""
        change = self.change
        if change is not None and self.old is not None and self.new is not None:
            return (
                f"{change:+,.0f} {self.currency} "
                f"({self.compared} {self.old:,.0f} → {self.new:,.0f})"
            )
        return (
            f"not comparable: {self.reason} ({self.source.amount_text()} {self.source.currency}"
            f" → {self.target.amount_text()} {self.target.currency})"
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "comparable": self.comparable,
            "compared": self.compared or None,
            "change": self.change,
            "currency": self.currency,
            "reason": self.reason or None,
            "text": self.text(),
            "from": pay_dict(self.source),
            "to": pay_dict(self.target),
        }


def compare_pay(old: SalaryBand, new: SalaryBand) -> SalaryChange:
    """Compare two roles' pay like with like, or say why they cannot be compared."""
    if old.currency != new.currency:
        return SalaryChange(old, new, "", reason=f"{old.currency} vs {new.currency}")
    if old.period != new.period:
        return SalaryChange(old, new, "", reason=f"per {old.period} vs per {new.period}")
    if old.basis == new.basis and old.figure is not None and new.figure is not None:
        return SalaryChange(old, new, COMPARED.get(old.basis, old.basis), old.figure, new.figure)
    if old.total_cash is not None and new.total_cash is not None:
        # Different base figures, but both give a median total cash: that is like with like.
        return SalaryChange(old, new, "median total cash", old.total_cash, new.total_cash)
    return SalaryChange(old, new, "", reason=f"{old.basis_label} vs {new.basis_label}")


def salary_change(source: Role | None, target: Role) -> SalaryChange | None:
    """The pay change from `source` to `target`; None when either role has no pay figures."""
    if source is None or source.salary is None or target.salary is None:
        return None
    return compare_pay(source.salary, target.salary)


@dataclass(frozen=True, slots=True)
class RouteSalary:
    """The salary change over a whole route: a total only when every step compares alike."""

    total: float | None
    currency: str
    compared: str
    note: str
    """Why there is no total (which step breaks it); '' when there is one."""

    def text(self) -> str:
        """'+45,000 USD in total (band midpoint)' or 'no total: step 1 ...'."""
        if self.total is None:
            return f"no total salary change: {self.note}"
        return f"{self.total:+,.0f} {self.currency} in total ({self.compared})"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "total": self.total,
            "currency": self.currency or None,
            "compared": self.compared or None,
            "note": self.note or None,
            "text": self.text(),
        }


def route_salary(steps: Sequence[tuple[str, str, SalaryChange | None]]) -> RouteSalary:
    """The total over steps (source title, target title, change), or which step breaks it.

    A total is the sum of the steps' changes, and it is given only when every step compares
    the same kind of figure in the same currency: summing a median-base step and a band-midpoint
    step would add unlike numbers.
    """
    total = 0.0
    compared = currency = ""
    for number, (source, target, change) in enumerate(steps, 1):
        where = f"step {number} ({source} → {target})"
        if change is None:
            return RouteSalary(None, "", "", f"{where} has no salary figures on one side")
        if change.change is None:
            return RouteSalary(None, "", "", f"{where} is not comparable: {change.reason}")
        if compared and (change.compared, change.currency) != (compared, currency):
            return RouteSalary(
                None,
                "",
                "",
                f"{where} compares {change.compared} in {change.currency}, earlier steps "
                f"{compared} in {currency}",
            )
        compared, currency = change.compared, change.currency
        total += change.change
    if not steps:
        return RouteSalary(None, "", "", "the route has no steps")
    return RouteSalary(total, currency, compared, "")
