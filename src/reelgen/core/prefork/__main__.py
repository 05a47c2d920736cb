"""``python -m reelgen.core.prefork FD``: a template process (see ``reelgen.core.prefork``), on socket FD."""

import sys

from reelgen.core.prefork.template import main

if __name__ == "__main__":
    main(int(sys.argv[1]))
