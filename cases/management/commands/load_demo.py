"""``manage.py load_demo``: the demo library, idempotently."""

from django.core.management.base import BaseCommand

from cases.demo.loader import load_demo
from cases.models import Case, Edition, Provenance


class Command(BaseCommand):
    help = (
        "Load the demo library: the EPSA 2019, 2021 and 2023-24 editions with their real "
        "results, synthetic cases, an open demo edition and (in development only) demo "
        "users: an applicant, four evaluators from four countries, a coordinator and an "
        "administrator. Running it again changes nothing."
    )

    def handle(self, *args, **options):
        report = load_demo()
        if report.created_anything:
            self.stdout.write(
                self.style.SUCCESS(
                    "Demo data loaded: "
                    f"{report.editions} editions, {report.categories} categories, "
                    f"{report.criteria} criteria, {report.organisations} organisations, "
                    f"{report.real_cases} real cases, {report.synthetic_cases} synthetic cases, "
                    f"{report.users} users created."
                )
            )
        else:
            self.stdout.write("Demo data is already loaded: nothing changed.")
        published = Case.objects.filter(is_published=True)
        self.stdout.write(
            f"The library holds {published.count()} published cases "
            f"({published.filter(provenance=Provenance.IMPORTED).count()} real results, "
            f"{published.filter(provenance=Provenance.SYNTHETIC).count()} synthetic) "
            f"in {Edition.objects.count()} editions."
        )
        if not report.users_allowed:
            self.stdout.write(
                self.style.WARNING(
                    "No demo users were created: they have published passwords and exist only "
                    "when DEBUG is on (settings.DEMO_USERS_ALLOWED)."
                )
            )
            return
        self.stdout.write("")
        self.stdout.write("Demo logins (development only):")
        width = max(len(user.email) for user in report.credentials)
        for user in report.credentials:
            self.stdout.write(f"  {user.email:<{width}}  {user.password:<22}  {user.description}")
        self.stdout.write(
            "Passwords are shown as load_demo created them; a changed password is not reset."
        )
