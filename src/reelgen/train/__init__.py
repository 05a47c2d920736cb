"""Training scripts for the models reelgen ships (``python -m reelgen.train.micro``); importable without a GPU."""
