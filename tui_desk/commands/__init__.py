"""The sub-commands of ``tui-desk``, one function each; ``tui_desk.cli`` parses the command
line and calls them."""
