"""Model families: one module each, found through the reelgen.backends entry points."""
