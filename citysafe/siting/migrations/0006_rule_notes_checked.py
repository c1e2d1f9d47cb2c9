"""Issue 14 part 6: the seeded rules' notes say which values STANDARDS.md holds and which come
from memory (待核实). Rows whose note is still the one first seeded get the new note; a note the
county has edited is left alone."""
from django.db import migrations

OLD_NOTES = {
    ("gas_station", "school"): "学校属重要公共建筑物",
    ("gas_station", "hospital"): "医院属重要公共建筑物",
    ("gas_station", "market"): "一级站油罐；二、三级站可按原表减小",
    ("gas_station", "crowded_place"): "一级站油罐",
    ("gas_station", "residential"): "一级站油罐",
    **{("hazchem_warehouse", s): "" for s in ("school", "hospital", "market", "crowded_place", "residential")},
    **{(f"major_hazard_{g}", s): "筛查距离（common practice）；外部安全防护距离以GB 36894个人风险计算为准"
       for g in (1, 2, 3, 4) for s in ("school", "hospital", "market", "crowded_place", "residential")},
}


def update_notes(apps, schema_editor):
    from citysafe.siting.migrations import _rule_notes

    Rule = apps.get_model("siting", "SafetyDistanceRule")
    for (hazardous, sensitive), note in _rule_notes.current_notes().items():
        Rule.objects.filter(hazardous_kind=hazardous, sensitive_kind=sensitive,
                            note=OLD_NOTES.get((hazardous, sensitive), note)).update(note=note)


class Migration(migrations.Migration):
    dependencies = [("siting", "0005_underground")]
    operations = [migrations.RunPython(update_notes, migrations.RunPython.noop)]
