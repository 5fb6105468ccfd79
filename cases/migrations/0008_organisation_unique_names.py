"""Organisation names are unique per country once case, spacing and punctuation are ignored;
same-country conflicts of interest cover every country an entry involves; the decision log
records revisions of published cases.

Existing rows get their normalised name; should two of one country already share it, the later
ones keep their name but get a normalised name marked with their id, so that the constraint can
be added; the award team then merges them in the admin.
"""

import unicodedata

from django.db import migrations, models


def _normalise(name):
    # A copy of cases.models.organisations.normalise_name as it is today: a migration must not
    # change when the model's function does.
    text = unicodedata.normalize("NFKC", name or "").casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text).split())


def fill_normalised_names(apps, schema_editor):
    Organisation = apps.get_model("cases", "Organisation")
    taken = set()
    for organisation in Organisation.objects.order_by("pk").only("pk", "name", "country"):
        normalised = _normalise(organisation.name)
        if (organisation.country, normalised) in taken:
            normalised = f"{normalised} #{organisation.pk}"
        taken.add((organisation.country, normalised))
        Organisation.objects.filter(pk=organisation.pk).update(normalised_name=normalised)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_library_search_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="normalised_name",
            field=models.CharField(
                default="", editable=False, max_length=300, verbose_name="normalised name"
            ),
        ),
        migrations.RunPython(fill_normalised_names, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="organisation",
            constraint=models.UniqueConstraint(
                fields=("country", "normalised_name"),
                name="organisation_unique_name_per_country",
            ),
        ),
        migrations.AlterField(
            model_name="edition",
            name="same_country_conflicts",
            field=models.BooleanField(
                default=True,
                help_text=(
                    "An evaluator from a country the entry involves (the lead organisation's, "
                    "the project's or a partner's) has a conflict of interest."
                ),
                verbose_name="same-country conflicts",
            ),
        ),
        migrations.AlterField(
            model_name="decisionlog",
            name="action",
            field=models.CharField(
                choices=[
                    ("screened", "Eligibility decided"),
                    ("conflict-declared", "Conflict declared"),
                    ("conflict-overridden", "Conflict overridden"),
                    ("assigned", "Evaluator assigned"),
                    ("unassigned", "Evaluator removed"),
                    ("auto-assigned", "Automatic assignment run"),
                    ("outcome", "Outcome changed"),
                    ("phase", "Phase changed"),
                    ("results-published", "Results published"),
                    ("case-published", "Case published in the library"),
                    ("published-outcome-revised", "Published case's outcome revised"),
                    ("case-unpublished", "Case withdrawn from the library"),
                ],
                max_length=30,
                verbose_name="action",
            ),
        ),
    ]
