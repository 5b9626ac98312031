"""Factories for the glossary's tests."""

import factory
from factory.django import DjangoModelFactory

from portal.glossary.models import SynonymSet


class SynonymSetFactory(DjangoModelFactory):
    class Meta:
        model = SynonymSet

    name = factory.Sequence(lambda n: f"Concept {n}")
    terms = factory.Sequence(lambda n: f"용어 {n}\nterm {n}")
    enabled = True
