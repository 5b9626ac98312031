"""The "Programme staff" group: may enter the admin, see and change applications."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Programme staff"
PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("programmes", "programmeapplication", "view_programmeapplication"),
    ("programmes", "programmeapplication", "change_programmeapplication"),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; this group needs them now.
    # (Wagtail's access_admin permission comes from its own migration.)
    app_config = apps.get_app_config("programmes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    for app_label, model, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            )
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0003_applications"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
