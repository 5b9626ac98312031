"""Requests take their numbers from the portal's one reference counter (series ``SS``)."""

from django.db import migrations


def copy_counters(apps, schema_editor):
    old = apps.get_model("inquiries", "ReferenceCounter")
    new = apps.get_model("core", "ReferenceCounter")
    for row in old.objects.all():
        new.objects.update_or_create(
            series="SS", year=row.year, defaults={"last_number": row.last_number}
        )


def copy_back(apps, schema_editor):
    old = apps.get_model("inquiries", "ReferenceCounter")
    new = apps.get_model("core", "ReferenceCounter")
    for row in new.objects.filter(series="SS"):
        old.objects.update_or_create(year=row.year, defaults={"last_number": row.last_number})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_referencecounter"),
        ("inquiries", "0002_cooperation_staff_group"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(name="ReferenceCounter"),
    ]
