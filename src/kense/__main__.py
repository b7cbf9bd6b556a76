import os
import sys


def main() -> None:
    """`kense <command>`: Django's manage.py for the installed package."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kense.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
