"""Numbers in sentences that claim a bound: rounded towards the side that keeps the claim true.

"The error can never fall below 0.0556" is false for a floor of 0.0555556, though 0.0556 is the nearest 4-decimal
number: a floor is shown rounded down (0.0555). The rounding is done on the number's exact binary value
(``Decimal(float)``), so the text is never on the wrong side of it, not even in the last digit.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

BOUND_DECIMALS = 4


def floor_text(value: float, decimals: int = BOUND_DECIMALS) -> str:
    """A lower bound ("never below …") as text: at most ``value``."""
    shown = Decimal(float(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_FLOOR)
    return f"{shown + 0:.{decimals}f}"  # + 0: never "-0.0000"
