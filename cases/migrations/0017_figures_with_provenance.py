"""The figures table now counts the provenance facet too: empty it, so that the next read
counts the whole library again (``cases.domain.derived.library_figures``) and stores the new
rows, instead of the unfiltered library showing 0 for every provenance until its next change."""

from django.db import migrations


def forget_figures(apps, schema_editor):
    apps.get_model("cases", "LibraryFigure").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0016_similarity_words_and_tags"),
    ]

    operations = [migrations.RunPython(forget_figures, migrations.RunPython.noop)]
