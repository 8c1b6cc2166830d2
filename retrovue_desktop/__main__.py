"""`python -m retrovue_desktop` is the same program as `retrovue-desktop`."""

from retrovue_desktop.cli import main

raise SystemExit(main())
