"""`python -m policyengine`: the same command as `policyengine`."""

import sys

from .cli import main

sys.exit(main())
