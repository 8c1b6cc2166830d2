"""The frozen app's entry point: the same program as the `retrovue-desktop` command
(cli.main also starts the sync's worker processes in a frozen build)."""

from retrovue_desktop.cli import main

raise SystemExit(main())
