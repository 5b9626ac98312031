"""How shared objects appear in the pages' API representation."""

from rest_framework import serializers

from portal.core.models.sectors import Sector


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name_ko", "name_en"]
