"""Run the command line with ``python -m skdistill``."""

# SPDX-License-Identifier: BSD-3-Clause

import sys

from skdistill.cli import main

sys.exit(main())
