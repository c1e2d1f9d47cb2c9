"""Import templates offered for download: the data sheet with Chinese headers, a 说明 sheet
describing every column and its rule, and a 代码表 sheet whose lists feed the drop-downs
(data validation) of coded columns. Code lists come from the database at download time, so
the drop-downs hold this county's townships, grids, industries and organisations."""
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from citysafe.accounts.models import Organisation
from citysafe.core import scope
from citysafe.registry.io.kinds import get_kind
from citysafe.registry.io.workbook import max_rows
from citysafe.registry.models import Area, Industry


def template_rows() -> int:
    """Drop-downs and the text format cover every data row an import accepts."""
    return max_rows()


HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def code_tables(user=None) -> dict[str, list[tuple[str, str]]]:
    """The code lists of the template; townships and grids are those of the user's own data
    scope (core.scope: a township's template lists only its township and its grids)."""
    active = {"archived_at__isnull": True}
    areas = Area.objects.filter(**active)
    if user is not None:
        areas = scope.narrow(user, areas)
    return {
        # industries by name first: ledgers and templates name them, the code stands beside
        "industry": list(Industry.objects.filter(**active).order_by("code").values_list("name", "code")),
        "township": list(areas.filter(level=Area.Level.TOWNSHIP).order_by("code").values_list("code", "name")),
        "grid": list(areas.filter(level=Area.Level.GRID).order_by("code").values_list("code", "name")),
        "organisation": list(Organisation.objects.filter(**active).order_by("code").values_list("code", "name")),
        "area": list(Area.objects.filter(**active).exclude(level=Area.Level.GRID).order_by("code")
                     .values_list("code", "name")),
    }


TABLE_TITLES = {"industry": "行业名称", "township": "乡镇代码", "grid": "网格代码", "organisation": "组织编码",
                "area": "区划代码"}


SECOND_TITLES = {"industry": "行业代码"}  # the second column of a table; "名称" otherwise


def build_template(kind_name: str, user=None) -> bytes:
    kind = get_kind(kind_name)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = kind.label
    codes = workbook.create_sheet("代码表")
    guide = workbook.create_sheet("说明")
    columns = kind.import_columns

    # 代码表: for each table used, a code column and a name column; choices get one column.
    ranges: dict[str, str] = {}
    position = 1
    tables = code_tables(user)
    for column in columns:
        values = None
        if column.table and column.table not in ranges:
            values, name_values, key = [c for c, _n in tables[column.table]], [n for _c, n in tables[column.table]], \
                column.table
            title = TABLE_TITLES[column.table]
        elif column.choices:
            values, name_values, key, title = list(column.choices), None, column.header, column.header
        if values is None:
            continue
        letter = get_column_letter(position)
        codes.cell(row=1, column=position, value=title).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            codes.cell(row=row, column=position, value=value).number_format = "@"
            if name_values is not None:
                codes.cell(row=row, column=position + 1, value=name_values[row - 2])
        if name_values is not None:
            second = SECOND_TITLES.get(key) if column.table else None
            codes.cell(row=1, column=position + 1, value=_(second) if second else _("名称")).font = Font(bold=True)
        ranges[key] = f"{quote_sheetname(codes.title)}!${letter}$2:${letter}${max(len(values), 1) + 1}"
        codes.column_dimensions[letter].width = 22
        position += 2 if name_values is not None else 1
        position += 1

    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[letter].width = column.width
        span = f"{letter}2:{letter}{template_rows() + 1}"
        source = ranges.get(column.table) if column.table else ranges.get(column.header) if column.choices else None
        if source:
            validation = DataValidation(type="list", formula1=f"={source}", allow_blank=not column.required,
                                        showErrorMessage=True, errorTitle=_("取值无效"),
                                        error=_("请从下拉列表中选择（见“代码表”）"))
            validation.add(span)
            sheet.add_data_validation(validation)
        if column.text:
            # The whole column is text (the column's default style, which Excel and LibreOffice
            # give every cell typed into it), so an ID number, USCC, phone or code typed on any
            # row stays text instead of becoming a 15-digit float.
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"

    guide.append([_("%(label)s导入模板说明") % {"label": kind.label}])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append([_("1. 在“%(sheet)s”工作表第2行起逐行填写，不要修改表头；橙色表头为必填列。") % {"sheet": kind.label}])
    guide.append([_("2. 导入为“全部成功或全部不导入”：任何一行有误，平台不保存任何数据，并返回标注了错误的工作簿（“错误说明”列）。")])
    guide.append([_("3. 再次导入同一记录（按唯一标识识别）即更新该记录，不会重复登记。")])
    guide.append([_("4. 坐标默认为WGS84/CGCS2000经纬度；若来自国内网络地图（GCJ-02），上传时勾选“GCJ-02坐标”即自动转换。")])
    guide.append([_("5. 导入顺序：①行政区域（GeoJSON/Shapefile）→ ②行业 → ③组织机构（责任人列留空）→ ④企业（安全管理负责人列留空）"
                    "→ ⑤人员 → ⑥场所设施 → ⑦再次导入组织机构、企业，填写责任人列。人员引用组织机构和企业，"
                    "组织机构、企业和场所又引用人员，所以责任人在人员导入后补齐。")])
    guide.append([_("6. 责任人列（安全管理负责人、第一责任人、直接责任人、场所责任人）写作“姓名/身份证号码”或“姓名/电话”，"
                    "与“人员”表识别同一人的规则相同；场所多名责任人用“；”分隔。人员须已登记且在您的数据范围内，否则该单元格报错、"
                    "不导入任何数据。责任人列空白时不改变已有的责任人。")])
    guide.append([])
    guide.append([_("列名"), _("是否必填"), _("填写规则"), _("可选值")])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for column in columns:
        options = "、".join(column.choices) if column.choices else (
            _("见“代码表”中的%(t)s") % {"t": TABLE_TITLES[column.table]} if column.table else "")
        guide.append([column.header, _("必填") if column.required else _("选填"), column.rule, options])
    for letter, width in zip("ABCD", (26, 10, 70, 40), strict=True):
        guide.column_dimensions[letter].width = width
    workbook.move_sheet(guide, offset=-1)  # order: data, 说明, 代码表
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
