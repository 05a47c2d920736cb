"""The words reelgen-micro's tokenizer knows whole: part of the model, since its token ids are baked into the weights.

The list is every word the procedural scene captions use (``reelgen.train.scenes``
writes captions from these words only). It must not change without retraining:
the shipped text encoder's embedding has one row per token, in this order.
"""

from __future__ import annotations

WORDS: tuple[str, ...] = (
    "a", "against", "an", "and", "around", "as", "away", "background", "big", "bigger", "black",
    "blue", "bounces", "bouncing", "camera", "checkerboard", "checkered", "circle", "cyan", "does",
    "dots", "dotted", "down", "downward", "drifts", "falls", "fast", "floats", "from", "gets",
    "gradient", "gray", "green", "grows", "in", "is", "larger", "left", "move", "moves", "not", "of",
    "on", "orange", "out", "over", "pans", "plain", "purple", "quickly", "red", "rests", "right",
    "rises", "rotates", "shrinks", "sinks", "sits", "slides", "slowly", "small", "smaller", "solid",
    "spins", "square", "star", "stays", "still", "striped", "stripes", "that", "the", "to", "travels",
    "triangle", "turns", "up", "upward", "while", "white", "with", "yellow", "zooms",
)  # fmt: skip


def vocabulary() -> list[str]:
    """Every word a caption can contain, in the tokenizer's order (sorted)."""
    return list(WORDS)
