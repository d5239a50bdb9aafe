"""`python -m pos_app` runs the command line (and, with no command, the desktop app)."""

from pos_app.cli.main import main

raise SystemExit(main())
