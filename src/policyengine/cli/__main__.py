"""`python -m policyengine.cli`: the same command as `policyengine`."""

from .app import main

raise SystemExit(main())
