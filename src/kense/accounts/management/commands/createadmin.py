"""Create (or reset) an administrator: `kense createadmin --username admin --email a@b.kz`.

The password comes from --password or the KENSE_ADMIN_PASSWORD environment variable, or is
asked for interactively; it is checked by the password validators.
"""

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kense.accounts.models import User
from kense.core.permissions import Role


class Command(BaseCommand):
    help = "Create or update an administrator account."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--password", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or os.environ.get("KENSE_ADMIN_PASSWORD")
        if not password:
            password = getpass.getpass("Password: ")
        user = User.objects.filter(username=options["username"]).first() or User(
            username=options["username"]
        )
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        user.email = options["email"] or user.email
        user.role = Role.ADMINISTRATOR
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(self.style.SUCCESS(f"Administrator {user.username} is ready."))
