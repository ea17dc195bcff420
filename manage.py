#!/usr/bin/env python
"""Django's command-line utility for the portal."""

import sys

from portal.startup import check_database_or_exit, load_settings_or_exit

# Commands that need no database connection to be useful.
OFFLINE_COMMANDS = {
    "help",
    "version",
    "check",
    "collectstatic",
    "compilemessages",
    "makemessages",
    "makemigrations",
    "shell",
}


def main() -> None:
    load_settings_or_exit()
    from django.core.management import execute_from_command_line

    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command not in OFFLINE_COMMANDS and not command.startswith("-"):
        import django

        django.setup()
        check_database_or_exit()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
