"""Training support for the models reelgen ships: procedural scenes, their renderer, the adherence evaluator, and ``python -m reelgen.train.micro``.

It may use :mod:`reelgen.core`, never jobs, api or cli, and core never imports it
(import-linter contracts in pyproject). Importing it needs no GPU.
"""
