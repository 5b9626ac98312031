"""Applications take their numbers from the portal's one reference counter (series ``AP``)."""

from django.db import migrations


def copy_counters(apps, schema_editor):
    old = apps.get_model("programmes", "ApplicationCounter")
    new = apps.get_model("core", "ReferenceCounter")
    for row in old.objects.all():
        new.objects.update_or_create(series="AP", year=row.year, defaults={"last_number": row.last})


def copy_back(apps, schema_editor):
    old = apps.get_model("programmes", "ApplicationCounter")
    new = apps.get_model("core", "ReferenceCounter")
    for row in new.objects.filter(series="AP"):
        old.objects.update_or_create(year=row.year, defaults={"last": row.last_number})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_referencecounter"),
        ("programmes", "0004_programme_staff_group"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(name="ApplicationCounter"),
    ]
