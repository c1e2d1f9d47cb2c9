"""The English catalogue is complete, compiled and in step with the source.

When one of these fails after adding or changing a user-facing string: run `make messages`,
fill every new empty msgstr in locale/en/LC_MESSAGES/django.po (and clear any `fuzzy` flag),
run `make messages` again so django.mo is rebuilt, and commit both files.
"""
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
HINT = "run `make messages`, translate the new entries in locale/en/LC_MESSAGES/django.po, run it again"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[-+ #0-9.]*[sdfr]|\{[a-z_]+\}")
# What `make messages` leaves out; everything else in the tree is scanned, as there.
NOT_SCANNED = shutil.ignore_patterns(".git", ".venv", "var", "vendor", "node_modules", "locale", "__pycache__", "*.pyc",
                                     "*.sqlite3")


def catalogue():
    return polib.pofile(str(CATALOGUE))


def test_every_entry_is_translated_and_none_is_fuzzy():
    po = catalogue()
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated (first: {untranslated[:5]}); {HINT}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy (first: {fuzzy[:5]}); {HINT}"
    assert not po.obsolete_entries(), f"obsolete entries left in the catalogue; {HINT}"


def test_translations_keep_every_placeholder():
    broken = [(e.msgid, e.msgstr) for e in catalogue()
              if sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(e.msgstr))]
    assert not broken, f"placeholders differ between msgid and msgstr: {broken[:5]}"


def test_compiled_catalogue_matches_the_source_catalogue():
    # Machines without gettext (a fresh `make demo`) use the committed .mo as it is.
    assert COMPILED.exists(), f"locale/en/LC_MESSAGES/django.mo is missing; {HINT}"
    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(COMPILED)) if e.msgid}
    source = {e.msgid: e.msgstr for e in catalogue() if e.translated()}
    assert compiled == source, f"django.mo is out of date with django.po; {HINT}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext) to extract strings")
def test_catalogue_holds_exactly_the_strings_marked_in_the_source(tmp_path, monkeypatch):
    # Extract from a copy of the tree so the real catalogue is never touched by the test.
    tree = tmp_path / "tree"
    shutil.copytree(settings.BASE_DIR, tree, ignore=NOT_SCANNED)
    (tree / "locale").mkdir()
    monkeypatch.chdir(tree)
    with override_settings(LOCALE_PATHS=[]):
        call_command("makemessages", locale=["en"], verbosity=0)
    extracted = {e.msgid for e in polib.pofile(str(tree / "locale/en/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in catalogue()}
    missing, stale = sorted(extracted - committed), sorted(committed - extracted)
    assert not missing, f"{len(missing)} strings are not in the English catalogue (first: {missing[:5]}); {HINT}"
    assert not stale, f"{len(stale)} catalogue entries are no longer in the source (first: {stale[:5]}); {HINT}"
