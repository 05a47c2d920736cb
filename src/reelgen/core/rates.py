"""Frame rates as people write them (60, 59.94, 60000/1001), read as exact fractions."""

from __future__ import annotations

import math
from fractions import Fraction


def parse_rate(text: str) -> Fraction:
    """'60', '59.94' or '60000/1001' as an exact positive rate; decimals of NTSC rates (47.952) snap to N000/1001.

    ``ValueError`` for anything else (text, zero, a negative, NaN or infinity).
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
        ntsc = round(number * 1001 / 1000)
        if not number.is_integer() and abs(number - ntsc * 1000 / 1001) < 5e-4:
            value = Fraction(ntsc * 1000, 1001)
        else:
            value = Fraction(number).limit_denominator(1001)
    if value <= 0:
        raise ValueError(text)
    return value
