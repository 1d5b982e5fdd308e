from tui_desk.cli import main

raise SystemExit(main())
