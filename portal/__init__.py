"""Seoul Solution: a bilingual portal through which a city shares its urban policies."""
