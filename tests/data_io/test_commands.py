"""The command-line tools: template, export (with filters), import (all or nothing)."""
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from citysafe.registry.models import Enterprise, Place
from tests.data_io.conftest import ledger_rows, workbook_with_rows
from tests.data_io.test_import_errors import bad_uscc, good_row, valid_uscc


def test_make_import_template_writes_a_workbook(world, tmp_path):
    target = tmp_path / "persons.xlsx"
    call_command("make_import_template", "persons", str(target))
    assert load_workbook(target).sheetnames == ["人员", "说明", "代码表"]


def test_export_registry_applies_user_scope_and_filters(world, tmp_path):
    target = tmp_path / "places.xlsx"
    call_command("export_registry", "places", str(target), "--user", world.township_officer.username,
                 "--filter", "place_type=market", verbosity=0)
    rows = ledger_rows(target.read_bytes())
    expected = Place.objects.filter(township=world.township_a, place_type="market").count()
    assert len(rows) - 1 == expected
    geo = tmp_path / "areas.geojson"
    call_command("export_registry", "areas", str(geo), "--user", "admin", verbosity=0)
    assert json.loads(geo.read_text())["features"][0]["properties"]["level"] == "county"


def test_import_registry_stores_a_good_file_and_refuses_a_bad_one(world, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook_with_rows("enterprises", [good_row(world)]))
    call_command("import_registry", "enterprises", str(good), "--user", "admin", verbosity=0)
    assert Enterprise.objects.filter(uscc=valid_uscc(1)).exists()

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_with_rows("enterprises", [good_row(world, uscc=valid_uscc(7)),
                                                      good_row(world, uscc=bad_uscc(8))]))
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_registry", "enterprises", str(bad), "--user", "admin", verbosity=0)
    assert not Enterprise.objects.filter(uscc=valid_uscc(7)).exists()
    assert (tmp_path / "bad.errors.xlsx").exists()


def test_import_registry_needs_a_real_user(world, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(workbook_with_rows("enterprises", [good_row(world)]))
    with pytest.raises(CommandError, match="no active user"):
        call_command("import_registry", "enterprises", str(path), "--user", "nobody", verbosity=0)
