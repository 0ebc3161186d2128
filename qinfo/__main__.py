"""Run the command line as ``python -m qinfo``."""

import sys

from qinfo.cli import main

if __name__ == "__main__":
    sys.exit(main())
