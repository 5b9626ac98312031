"""One counter for every series of reference numbers."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReferenceCounter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('series', models.CharField(max_length=8, verbose_name='series')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('last_number', models.PositiveIntegerField(default=0, verbose_name='last number')),
            ],
            options={
                'verbose_name': 'reference counter',
                'verbose_name_plural': 'reference counters',
                'constraints': [models.UniqueConstraint(fields=('series', 'year'), name='unique_reference_series_year')],
            },
        ),
    ]
