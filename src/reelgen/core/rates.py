"""Frame rates as people write them (60, 59.94, 60000/1001), read as exact fractions."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction

#: The finest rate step kept, ffmpeg's own (``av_parse_video_rate`` reads a decimal to a denominator of
#: at most 1001000): six decimals are kept exactly, and a rational encoders store (32-bit) always fits.
FINEST = 1_001_000


def _as_written(candidate: Fraction, exact: Fraction, decimals: int, number: float) -> bool:
    """Whether ``candidate`` is the rate written: it rounds to the digits given, or is the float given
    (a float's shortest digits, 33.333333333333336 for 100/3, stand for that float)."""
    return abs(candidate - exact) <= Fraction(1, 2 * 10**decimals) or float(candidate) == number


def parse_rate(text: str) -> Fraction:
    """'60', '59.94' or '60000/1001' as an exact positive rate; decimals of NTSC rates (47.952) snap to N000/1001,
    and a decimal that rounds a simple fraction (7.3333) is that fraction.

    ``ValueError`` for anything else (text, zero, a negative, NaN or infinity), and for a decimal finer
    than a rate is kept (12.0000001): it once became 12, as 12.0001 did, without a word.
    """
    if "/" in text:
        try:
            value = Fraction(text)
        except ZeroDivisionError:  # "60/0": no rate, said as one like any other bad text
            raise ValueError(text) from None
    else:
        number = float(text)
        if not math.isfinite(number):  # Fraction() raises OverflowError on inf, not ValueError
            raise ValueError(text)
        try:
            written = Decimal(text.strip())
        except InvalidOperation:
            raise ValueError(text) from None
        exact, decimals = Fraction(written), max(0, -int(written.as_tuple().exponent))
        ntsc = round(number * 1001 / 1000)
        simple = Fraction(number).limit_denominator(1001)
        if not number.is_integer() and abs(number - ntsc * 1000 / 1001) < 5e-4:
            value = Fraction(ntsc * 1000, 1001)
        elif _as_written(simple, exact, decimals, number):
            value = simple
        elif _as_written(fine := exact.limit_denominator(FINEST), exact, decimals, number):
            value = fine
        else:
            raise ValueError(text)
    if value <= 0:
        raise ValueError(text)
    return value
