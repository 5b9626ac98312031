"""Loading the demo content of the seed page into both languages, idempotently."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils.html import escape
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site

from portal.archives.services import document_from_file
from portal.core.models import PortalSettings, Sector, StandardPage
from portal.home.models import HomePage
from portal.partners.models import Partner
from portal.programmes.models import ProgrammePage, ProgrammeQuestion
from portal.programmes.selectors import ApplicationState, seoul_today

SEED_DATA_DIR = Path(__file__).resolve().parent / "seed_data"
LANGUAGES = ("ko", "en")
# Translation keys derive from the items' keys, so a page and its translation are found
# again on every run whatever editors did to titles or slugs.
_KEY_NAMESPACE = uuid.UUID("5b1f2c4e-9d7a-4e8b-b0c3-3a6f1e2d9c10")


@dataclass
class SeedReport:
    """What a run created and updated, by model label."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def record(self, outcome: str, label: str) -> None:
        getattr(self, outcome)[label] += 1


def _read(data_dir: Path, name: str) -> Any:
    with open(data_dir / name, encoding="utf-8") as handle:
        return json.load(handle)


def _paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _comparable(model_field: models.Field, value: Any) -> Any:
    """A value comparable across runs: stream blocks without their random ids."""
    if isinstance(model_field, StreamField):
        raw = model_field.get_prep_value(model_field.to_python(value))
        raw = json.loads(raw) if isinstance(raw, str) else raw
        return _strip_ids(raw)
    if isinstance(model_field, models.ForeignKey):
        return getattr(value, "pk", value)
    return value


def _strip_ids(data: Any) -> Any:
    if isinstance(data, list):
        return [_strip_ids(item) for item in data]
    if isinstance(data, dict):
        return {key: _strip_ids(item) for key, item in data.items() if key != "id"}
    return data


def _assign(instance: models.Model, values: dict[str, Any]) -> bool:
    """Set ``values`` on ``instance``; whether anything changed."""
    changed = False
    for name, value in values.items():
        model_field = instance._meta.get_field(name)
        attname = name
        if isinstance(model_field, models.ForeignKey):
            attname = model_field.attname
            value = getattr(value, "pk", value)
        current = getattr(instance, attname)
        if _comparable(model_field, current) != _comparable(model_field, value):
            setattr(instance, attname, value)
            changed = True
    return changed


class SeedLoader:
    """Creates or updates every seed item in Korean and English, linked as translations."""

    def __init__(self, data_dir: Path = SEED_DATA_DIR) -> None:
        self.data_dir = data_dir
        self.report = SeedReport()
        self.locales: dict[str, Locale] = {}
        self.sectors: dict[str, Sector] = {}

    # -- pages -------------------------------------------------------------------------

    def upsert_page(
        self, *, model: type[Page], key: str, language: str, parent: Page, values: dict
    ) -> Page:
        locale = self.locales[language]
        translation_key = uuid.uuid5(_KEY_NAMESPACE, key)
        page = model.objects.filter(translation_key=translation_key, locale=locale).first()
        label = model._meta.label
        if page is None:
            page = model(translation_key=translation_key, locale=locale, **values)
            parent.add_child(instance=page)
            page.save_revision().publish()
            self.report.record("created", label)
        elif _assign(page, values) or not page.live:
            page.save_revision().publish()
            self.report.record("updated", label)
        else:
            self.report.record("unchanged", label)
        return page

    def upsert_pair(
        self, *, model, key: str, parents: dict[str, Page], values_for
    ) -> dict[str, Page]:
        return {
            language: self.upsert_page(
                model=model,
                key=key,
                language=language,
                parent=parents[language],
                values=values_for(language),
            )
            for language in LANGUAGES
        }

    def seed_document(self, item: dict, language: str) -> dict[str, Any]:
        """``{"document": ...}``, the PDF of a seed archive item in ``language`` (from
        ``documents/``), or nothing when the item has none."""
        name = (item.get("document") or {}).get(language)
        if not name:
            return {}
        data = (self.data_dir / "documents" / name).read_bytes()
        title = item["title"][language]
        return {"document": document_from_file(title=title, name=name, data=data)}

    # -- steps -------------------------------------------------------------------------

    def load_locales(self) -> None:
        for language in LANGUAGES:
            self.locales[language], _created = Locale.objects.get_or_create(language_code=language)

    def load_sectors(self) -> None:
        for position, item in enumerate(_read(self.data_dir, "sectors.json")):
            values = {
                "name_ko": item["name"]["ko"],
                "name_en": item["name"]["en"],
                "sort_order": position * 10,
            }
            self.sectors[item["slug"]] = self._upsert_row(Sector, {"slug": item["slug"]}, values)

    def load_partners(self) -> None:
        for position, item in enumerate(_read(self.data_dir, "partners.json")):
            values = {
                "name_ko": item["name"]["ko"],
                "name_en": item["name"]["en"],
                "kind": item["kind"],
                "url": item["url"],
                "sort_order": position * 10,
            }
            self._upsert_row(Partner, {"slug": item["key"]}, values)

    def _upsert_row(self, model, lookup: dict, values: dict):
        instance = model.objects.filter(**lookup).first()
        label = model._meta.label
        if instance is None:
            instance = model.objects.create(**lookup, **values)
            self.report.record("created", label)
        elif _assign(instance, values):
            instance.save()
            self.report.record("updated", label)
        else:
            self.report.record("unchanged", label)
        return instance

    def load_home(self, site_data: dict) -> dict[str, HomePage]:
        root = Page.get_first_root_node()
        home = site_data["home"]
        if not HomePage.objects.exists():
            self._remove_install_placeholder()
        homes = self.upsert_pair(
            model=HomePage,
            key="home",
            parents={language: root for language in LANGUAGES},
            values_for=lambda lang: {
                "title": home["title"][lang],
                "slug": home["slug"][lang],
                "intro": home["intro"][lang],
            },
        )
        self._point_site_at(homes["ko"])
        return homes

    @staticmethod
    def _remove_install_placeholder() -> None:
        """Delete the page Wagtail creates on install ("Welcome to your new Wagtail site!"):
        a bare Page under the root with no children. Nothing of ours is a bare Page."""
        for page in Page.objects.filter(depth=2):
            if page.specific_class is Page and page.numchild == 0:
                Site.objects.filter(root_page=page).delete()
                page.delete()

    def _point_site_at(self, home: HomePage) -> None:
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name="Seoul Solution",
            )
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save()

    def load_boards(
        self, site_data: dict, homes: dict[str, HomePage]
    ) -> dict[str, dict[str, Page]]:
        boards = {}
        for board in site_data["boards"]:
            model = apps.get_model(board["model"])
            boards[board["key"]] = self.upsert_pair(
                model=model,
                key=f"board:{board['key']}",
                parents=homes,
                values_for=lambda lang, board=board: {
                    "title": board["title"][lang],
                    "slug": board["slug"][lang],
                    "show_in_menus": True,
                },
            )
        return boards

    def load_items(
        self, *, file: str, model_label: str, parents: dict[str, Page], values_for
    ) -> None:
        model = apps.get_model(model_label)
        for item in _read(self.data_dir, file):
            self.upsert_pair(
                model=model,
                key=f"{model_label}:{item['key']}",
                parents=parents,
                values_for=lambda lang, item=item: {
                    "title": item["title"][lang],
                    "slug": item["slug"][lang],
                    "sector": self.sectors.get(item.get("sector")),
                    **values_for(item, lang),
                },
            )

    def load_programmes(self, parents: dict[str, Page]) -> None:
        """Programmes with their dates and the extra questions of their application form."""
        for item in _read(self.data_dir, "programmes.json"):
            dates = self._programme_dates(item)
            pages = self.upsert_pair(
                model=ProgrammePage,
                key=f"programmes.ProgrammePage:{item['key']}",
                parents=parents,
                values_for=lambda lang, item=item, dates=dates: {
                    "title": item["title"][lang],
                    "slug": item["slug"][lang],
                    "sector": self.sectors.get(item.get("sector")),
                    "summary": item["summary"][lang],
                    "description": _paragraphs(item["description"][lang]),
                    "organiser": item["organiser"][lang],
                    "contact_email": item["contact_email"],
                    "capacity": item["capacity"],
                    **dates,
                },
            )
            for lang, page in pages.items():
                self._sync_questions(page, item, lang)

    def _programme_dates(self, item: dict) -> dict[str, dt.date]:
        """The item's dates; an item with a relative ``window`` (the demo's open programme)
        opens some days before today and closes some days after, on Seoul's calendar. Its
        dates move only once the stored window is no longer open, so running the loader
        again every day does not add a revision every day."""
        if "window" not in item:
            return {
                name: _date(item[name])
                for name in (
                    "recruitment_start",
                    "recruitment_end",
                    "application_opens",
                    "application_closes",
                )
            }
        stored = ProgrammePage.objects.filter(
            translation_key=uuid.uuid5(_KEY_NAMESPACE, f"programmes.ProgrammePage:{item['key']}"),
            locale=self.locales[LANGUAGES[0]],
        ).first()
        if stored is not None and stored.state() is ApplicationState.OPEN:
            return {
                "recruitment_start": stored.recruitment_start,
                "recruitment_end": stored.recruitment_end,
                "application_opens": stored.application_opens,
                "application_closes": stored.application_closes,
            }
        window = item["window"]
        today = seoul_today()
        opens = today - dt.timedelta(days=window["opened_days_ago"])
        closes = today + dt.timedelta(days=window["closes_in_days"])
        return {
            "recruitment_start": opens - dt.timedelta(days=window["recruitment_days_before"]),
            "recruitment_end": closes,
            "application_opens": opens,
            "application_closes": closes,
        }

    def _sync_questions(self, page: ProgrammePage, item: dict, lang: str) -> None:
        wanted = [
            {
                "label": question["label"][lang],
                "help_text": question["help_text"][lang],
                "required": question["required"],
                "max_length": question["max_length"],
            }
            for question in item.get("questions", [])
        ]
        fields = ("label", "help_text", "required", "max_length")
        stored = [
            {name: getattr(question, name) for name in fields}
            for question in page.questions.order_by("sort_order")
        ]
        if stored == wanted:
            return
        page.questions = [
            ProgrammeQuestion(
                translation_key=uuid.uuid5(_KEY_NAMESPACE, f"question:{item['key']}:{position}"),
                locale=page.locale,
                sort_order=position,
                **values,
            )
            for position, values in enumerate(wanted)
        ]
        page.save_revision().publish()
        self.report.record("updated", ProgrammePage._meta.label)

    def load_standard_pages(self, homes: dict[str, HomePage]) -> dict[str, dict[str, Page]]:
        pages = {}
        for key, item in _read(self.data_dir, "pages.json").items():
            pages[key] = self.upsert_pair(
                model=StandardPage,
                key=f"page:{key}",
                parents=homes,
                values_for=lambda lang, item=item: {
                    "title": item["title"][lang],
                    "slug": item["slug"][lang],
                    "intro": item["intro"][lang],
                    "show_in_menus": item.get("show_in_menus", True),
                    "body": [self._standard_block(block, lang) for block in item["blocks"]],
                },
            )
        return pages

    @staticmethod
    def _standard_block(block: dict, lang: str) -> dict:
        if block["type"] == "faq":
            return {
                "type": "faq",
                "value": {
                    "question": block["question"][lang],
                    "answer": _paragraphs(block["answer"][lang]),
                },
            }
        if block["type"] == "paragraph":
            return {"type": "paragraph", "value": _paragraphs([block["text"][lang]])}
        return {"type": block["type"], "value": block["text"][lang]}

    def link_home(self, site_data, homes, boards, pages) -> None:
        for lang, stale in homes.items():
            # Re-read: boards were added under it, and publishing a stale copy would write
            # its old tree fields (the child count) back.
            home = HomePage.objects.get(pk=stale.pk)
            values = {
                "news_index": boards["news"][lang],
                "archive_index": boards["archives"][lang],
                "partner_index": boards["partners"][lang],
                "features": [
                    {
                        "type": "feature",
                        "value": {
                            "page": pages[feature["page"]][lang].pk,
                            "heading": "",
                            "text": feature["text"][lang],
                            "link_label": "",
                        },
                    }
                    for feature in site_data["features"]
                ],
            }
            if _assign(home, values):
                home.save_revision().publish()
                self.report.record("updated", HomePage._meta.label)

    def load_settings(self, site_data: dict) -> None:
        data = site_data["settings"]
        portal_settings = PortalSettings.load()
        values = {
            "organisation_ko": data["organisation"]["ko"],
            "organisation_en": data["organisation"]["en"],
            "address_ko": data["address"]["ko"],
            "address_en": data["address"]["en"],
            "phone": data["phone"],
            "email": data["email"],
        }
        if _assign(portal_settings, values):
            portal_settings.save()

    # -- the whole run -----------------------------------------------------------------

    @transaction.atomic
    def run(self) -> SeedReport:
        site_data = _read(self.data_dir, "site.json")
        self.load_locales()
        self.load_sectors()
        self.load_partners()
        homes = self.load_home(site_data)
        boards = self.load_boards(site_data, homes)
        self.load_items(
            file="news.json",
            model_label="news.NewsPage",
            parents=boards["news"],
            values_for=lambda item, lang: {
                "date": _date(item["date"]),
                "author": item["author"],
                "summary": item["summary"][lang],
                "body": _paragraphs(item["body"][lang]),
            },
        )
        self.load_items(
            file="archives.json",
            model_label="archives.ArchivePage",
            parents=boards["archives"],
            values_for=lambda item, lang: {
                "kind": item["kind"],
                "date": _date(item["date"]),
                "author": item["author"],
                "publication_year": item["publication_year"],
                "summary": item["summary"][lang],
                "body": _paragraphs(item["body"][lang]),
                "external_url": item["external_url"],
                "video_url": item["video_url"],
                # Only where the seed has one: an editor's own document stays attached.
                **self.seed_document(item, lang),
            },
        )
        self.load_items(
            file="policies.json",
            model_label="policies.PolicyPage",
            parents=boards["policies"],
            values_for=lambda item, lang: {
                "date": _date(item.get("date")) or dt.date(2020, 5, 21),
                "summary": item["summary"][lang],
                **{
                    name: _paragraphs(item[name][lang])
                    for name in ("background", "implementation", "obstacles", "results")
                },
                "department": item["department"][lang],
                "department_contact": item["contact"],
            },
        )
        self.load_programmes(boards["programmes"])
        pages = self.load_standard_pages(homes)
        self.link_home(site_data, homes, boards, pages)
        self.load_settings(site_data)
        return self.report


def seed_load(*, data_dir: Path = SEED_DATA_DIR) -> SeedReport:
    """Load the seed page's content; running it again changes nothing that is unchanged."""
    return SeedLoader(data_dir).run()
