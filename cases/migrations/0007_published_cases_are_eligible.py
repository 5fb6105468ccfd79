"""Only eligible entries can be published in the library (a database constraint).

The library reads published cases only; until now that rested on ``is_published`` alone, and
staff could tick it on a draft, ineligible or withdrawn entry in the admin. Rows that already
break the rule are taken out of the library first (they never belonged there), so that the
constraint can be added on any existing database. Demo, synthetic and imported cases are all
created eligible and are not touched.
"""

from django.db import migrations, models


def unpublish_ineligible_cases(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Case.objects.filter(is_published=True).exclude(status="eligible").update(is_published=False)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_edition_version"),
    ]

    operations = [
        migrations.RunPython(unpublish_ineligible_cases, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("is_published", False), ("status", "eligible"), _connector="OR"
                ),
                name="case_published_is_eligible",
                violation_error_message="Only an eligible entry can be published in the library.",
            ),
        ),
    ]
