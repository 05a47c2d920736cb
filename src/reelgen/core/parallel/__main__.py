"""``python -m reelgen.core.parallel FD``: one process of a run over several devices (started by ``launch``)."""

import sys

from reelgen.core.parallel.rank import main

if __name__ == "__main__":
    main(int(sys.argv[1]))
