"""`python -m policyengine`: the same command as `policyengine`."""

import sys

from .cli.app import main

sys.exit(main())
