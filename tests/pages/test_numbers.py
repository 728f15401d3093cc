"""How the page writes a weight (views/numbers.weight_text): never a zero that is not one, never "-0.0000"."""

import math
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from playground.views.numbers import fixed_text, weight_text

FINITE = st.floats(allow_nan=False, allow_infinity=False)


@given(FINITE, st.sampled_from([3, 4]))
def test_a_weight_reads_as_zero_only_when_it_is_zero(value, decimals):
    text = weight_text(value, decimals)
    assert not text.startswith("-0." + "0" * decimals)
    assert (float(text) == 0) == (value == 0), text


@given(FINITE, st.sampled_from([3, 4]))
def test_a_weight_is_its_value_to_the_digits_shown(value, decimals):
    text = weight_text(value, decimals)
    if abs(value) >= 1e21:  # as JavaScript writes it: the shortest text that reads back as the value
        assert float(text) == value, text
    elif "e" in text:  # two significant digits
        assert math.isclose(float(text), value, rel_tol=0.051), text
        assert abs(value) < 10.0**-decimals
    else:  # (exactly: a tie such as 1.59375 is half a last digit away, which a float subtraction overstates)
        assert abs(Decimal(text) - Decimal(value)) <= Decimal(5).scaleb(-decimals - 1), text


def test_examples():
    assert [weight_text(v) for v in (10.08834, -5.39797, -0.0, 0.0, -3.19e-16, 4e-5, -4.9e-5, -0.00051)] == [
        "10.0883", "-5.3980", "0.0000", "0.0000", "-3.2e-16", "4.0e-5", "-4.9e-5", "-0.0005"]


def test_a_loss_is_written_as_live_js_writes_it():
    """toFixed: a tie of the exact binary value away from zero (1/128 to 6 decimals), infinities as words."""
    assert [fixed_text(v, 6) for v in (1 / 128, -3 / 128, 0.25, float("inf"), float("nan"), 1e21)] == [
        "0.007813", "-0.023438", "0.250000", "Infinity", "NaN", "1e+21"]
