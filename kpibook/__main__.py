"""`python -m kpibook ...` is the same as the `kpibook` command."""

from kpibook.cli import main

raise SystemExit(main())
