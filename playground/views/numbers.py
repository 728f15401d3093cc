"""Numbers as the page writes them: weights, and numbers in sentences that claim a bound.

A weight too small for the decimals shown is written in powers of ten: training can leave one at 1e-17, and
"0.0000" (or "-0.0000") would say it is zero. live.js writes weights the same way, to the character.

A bound is rounded towards the side that keeps the claim true.

"The error can never fall below 0.0556" is false for a floor of 0.0555556, though 0.0556 is the nearest 4-decimal
number: a floor is shown rounded down (0.0555). The rounding is done on the number's exact binary value
(``Decimal(float)``), so the text is never on the wrong side of it, not even in the last digit.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

BOUND_DECIMALS = 4


def weight_text(value: float, decimals: int = 4) -> str:
    """A weight with ``decimals`` decimals, or as m.me-k when it is not zero but would show as 0.0000; written as
    JavaScript writes it (toFixed, toExponential), so that live.js shows the very same text."""
    value = float(value) + 0.0  # + 0.0: -0.0 is 0
    if value != 0 and abs(value) < 0.5 * 10.0**-decimals:
        mantissa, exponent = f"{value:.1e}".split("e")
        return f"{mantissa}e{int(exponent)}"  # toExponential(1): 1.5e-7, not 1.5e-07
    return fixed_text(value, decimals)


def fixed_text(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals, as JavaScript's toFixed writes it (live.js writes the numbers of live
    frames so: the server's text and the frame's must be the same characters)."""
    value = float(value)
    if not abs(value) < 1e21:  # toFixed writes these as String(value) does (and inf, nan as words)
        return repr(value).replace("inf", "Infinity").replace("nan", "NaN")
    # toFixed rounds the exact binary value, a tie away from zero (0.03125 → 0.0313), where Python's format rounds
    # a tie to even (0.0312)
    return str(Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def floor_text(value: float, decimals: int = BOUND_DECIMALS) -> str:
    """A lower bound ("never below …") as text: at most ``value``."""
    shown = Decimal(float(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_FLOOR)
    return f"{shown + 0:.{decimals}f}"  # + 0: never "-0.0000"
