"""Emergency kinds travel as workbooks through the registry's io machinery: exported in the
user's scope, imported all-or-nothing through the kinds' services (scope, rules, audit)."""
from citysafe.core.audit_models import AuditRecord
from citysafe.emergency.models import Material, Stockpile
from citysafe.registry.io.excel_import import import_workbook
from tests.data_io.conftest import ledger_bytes, ledger_rows, workbook_with_rows


def test_stockpiles_export_in_scope_and_import_through_the_services(world):
    rows = ledger_rows(ledger_bytes(world.township_officer, "stockpiles"))
    assert rows[0][:2] == ("编号", "名称")
    mine = set(Stockpile.objects.filter(township=world.township_a, archived_at__isnull=True)
               .values_list("code", flat=True))
    assert {r[0] for r in rows[1:]} == mine and mine

    data = workbook_with_rows("stockpiles", [
        {"编号": "CBK-IMP-1", "名称": "导入储备库", "所属乡镇代码": world.township_a.code, "储备级别": "村级"},
        {"编号": sorted(mine)[0], "名称": "导入改名", "所属乡镇代码": world.township_a.code},
    ])
    result = import_workbook(world.township_officer, "stockpiles", data)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (1, 1)
    assert Stockpile.objects.get(code="CBK-IMP-1").level == "village"
    assert AuditRecord.objects.filter(object_type="emergency.Stockpile", action="create", channel="import").exists()

    outside = workbook_with_rows("stockpiles", [{"编号": "CBK-IMP-2", "名称": "外乡", "所属乡镇代码": world.township_b.code}])
    assert not import_workbook(world.township_officer, "stockpiles", outside).ok
    assert not Stockpile.objects.filter(code="CBK-IMP-2").exists()


def test_a_material_workbook_with_negative_stock_writes_nothing(world):
    stockpile = Stockpile.objects.filter(township=world.township_a).order_by("id").first()
    data = workbook_with_rows("materials", [
        {"储备库编号": stockpile.code, "编号": "WZ-IMP-1", "物资名称": "救生衣", "单位": "件", "库存数量": 10},
        {"储备库编号": stockpile.code, "编号": "WZ-IMP-2", "物资名称": "沙袋", "单位": "条", "库存数量": -3},
    ])
    result = import_workbook(world.township_officer, "materials", data)
    assert not result.ok
    assert not Material.objects.filter(code__startswith="WZ-IMP").exists()
