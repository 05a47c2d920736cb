"""``python -m reelgen.core.parallel``: one process of a run over several devices (started by ``launch``)."""

from reelgen.core.parallel.rank import main

if __name__ == "__main__":
    main()
