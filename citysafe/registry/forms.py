"""Page forms for registry records. Field names are the service's dict keys, so a
service ValidationError maps straight back onto the field it names. The forms only parse
input; every rule lives in the services (registry.services), which the views call."""
from django import forms
from django.utils.translation import gettext_lazy as _

from citysafe.accounts.models import Organisation
from citysafe.core.kinds.forms import RecordForm
from citysafe.core.kinds.location import GeometryField, MapPicker, point_of
from citysafe.registry.models import (
    Area,
    Enterprise,
    Industry,
    Person,
    Place,
    PlaceType,
)


def _label(model, name: str):
    return model._meta.get_field(name).verbose_name


def _areas(level):
    return forms.ModelChoiceField(queryset=Area.objects.filter(level=level, archived_at__isnull=True), required=False)


def _village():
    """A helper that narrows the grids to one village; the service derives the record's
    village from its grid, so it is never saved."""
    return forms.ModelChoiceField(
        label=_("所属村（社区）"), required=False, help_text=_("选择后，网格只列该村（社区）的网格"),
        queryset=Area.objects.filter(level=Area.Level.VILLAGE, archived_at__isnull=True))


# Grid follows village follows township (core.kinds.forms: FOLLOWS).
AREA_FOLLOWS = {"village_id": {"township_id": "township"},
                "grid_id": {"township_id": "township", "village_id": "parent"}}


class EnterpriseForm(RecordForm):
    model = Enterprise
    map_picker = MapPicker(lon="lon", lat="lat", draw=("point",))
    name = forms.CharField(label=_label(Enterprise, "name"), max_length=200)
    uscc = forms.CharField(label=_label(Enterprise, "uscc"), max_length=18)
    industry_id = forms.ModelChoiceField(label=_("行业"), queryset=Industry.objects.filter(archived_at__isnull=True))
    scale = forms.ChoiceField(label=_label(Enterprise, "scale"), choices=Enterprise.Scale.choices)
    address = forms.CharField(label=_label(Enterprise, "address"), max_length=255, required=False)
    lon = forms.FloatField(label=_label(Enterprise, "lon"))
    lat = forms.FloatField(label=_label(Enterprise, "lat"))
    township_id = forms.ModelChoiceField(
        label=_("所属乡镇"), required=False, help_text=_("可留空：按坐标自动确定"),
        queryset=Area.objects.filter(level=Area.Level.TOWNSHIP, archived_at__isnull=True))
    village_id = _village()
    grid_id = forms.ModelChoiceField(
        label=_("所属网格"), required=False, queryset=Area.objects.filter(level=Area.Level.GRID, archived_at__isnull=True))
    supervising_department_id = forms.ModelChoiceField(
        label=_("行业主管部门"), required=False, help_text=_("可留空：按行业自动确定"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, archived_at__isnull=True))
    legal_representative = forms.CharField(label=_label(Enterprise, "legal_representative"), max_length=50,
                                           required=False)
    standardisation_grade = forms.ChoiceField(label=_label(Enterprise, "standardisation_grade"),
                                              choices=Enterprise.StandardisationGrade.choices)

    FOLLOWS = AREA_FOLLOWS
    CHOICE_HELPERS = frozenset({"village_id"})
    FORM_ONLY = {"village_id": "grid_id"}


class PlaceForm(RecordForm):
    model = Place
    map_picker = MapPicker(lon="lon", lat="lat", geometry="geometry", draw=("point", "line", "polygon"))
    name = forms.CharField(label=_("名称"), max_length=200)
    place_type = forms.ChoiceField(label=_("类型"), choices=PlaceType.choices)
    lon = forms.FloatField(label=_("经度（点位）"), required=False)
    lat = forms.FloatField(label=_("纬度（点位）"), required=False)
    geometry = GeometryField(
        label=_("几何（GeoJSON）"), required=False,
        help_text=_("线或面填写GeoJSON几何对象；点位只填经纬度即可"))
    address = forms.CharField(label=_("地址"), max_length=255, required=False)
    capacity = forms.IntegerField(label=_("设计容量（人）"), min_value=0, required=False)
    people_present = forms.IntegerField(label=_("常驻/在场人数"), min_value=0, required=False)
    owner_enterprise_id = forms.ModelChoiceField(
        label=_("产权/使用单位"), required=False, queryset=Enterprise.objects.all())
    industry_id = forms.ModelChoiceField(label=_("行业"), required=False,
                                         queryset=Industry.objects.filter(archived_at__isnull=True))
    township_id = forms.ModelChoiceField(
        label=_("所属乡镇"), required=False, help_text=_("可留空：按位置自动确定"),
        queryset=Area.objects.filter(level=Area.Level.TOWNSHIP, archived_at__isnull=True))
    village_id = _village()
    grid_id = forms.ModelChoiceField(
        label=_("所属网格"), required=False, queryset=Area.objects.filter(level=Area.Level.GRID, archived_at__isnull=True))
    supervising_department_id = forms.ModelChoiceField(
        label=_("行业主管部门"), required=False,
        queryset=Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, archived_at__isnull=True))

    FORM_ONLY = {"lon": "geometry", "lat": "geometry", "village_id": "grid_id"}
    FOLLOWS = AREA_FOLLOWS
    CHOICE_HELPERS = frozenset({"village_id"})
    PICKERS = frozenset({"owner_enterprise_id"})

    @classmethod
    def initial_from(cls, instance) -> dict:
        """A point place is edited as its two numbers, a line or polygon as GeoJSON."""
        initial = {**super().initial_from(instance), "lon": None, "lat": None}
        point = point_of(instance.geometry)
        if point is not None:
            initial.update(lon=point[0], lat=point[1], geometry=None)
        return initial

    def clean(self):
        cleaned = super().clean()
        # The service requires a geometry; the form accepts it as lon/lat too, so say that
        # (under the longitude, where the picker fills it) rather than "required" under GeoJSON.
        if (not self.editing and "geometry" in self.fields and "lon" in self.fields
                and not cleaned.get("geometry") and cleaned.get("lon") is None and cleaned.get("lat") is None
                and not self.has_error("geometry") and not self.has_error("lon") and not self.has_error("lat")):
            self.add_error("lon", _("请填写位置：在地图上点选，或填写经度和纬度；线或面填写GeoJSON"))
        return cleaned

    def to_service_data(self, creating: bool = False) -> dict:
        data = super().to_service_data(creating)
        lon, lat = data.pop("lon", None), data.pop("lat", None)
        # The lon/lat helper is a shorthand for a point geometry.
        if not data.get("geometry") and lon is not None and lat is not None:
            data["geometry"] = {"type": "Point", "coordinates": [lon, lat]}
        if not data.get("geometry"):
            data.pop("geometry", None)
        return data


class PersonForm(RecordForm):
    model = Person
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("电话"), max_length=20)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, required=False)
    title = forms.CharField(label=_("职务"), max_length=100, required=False)
    organisation_id = forms.ModelChoiceField(label=_("所在单位（政府）"), required=False,
                                             queryset=Organisation.objects.filter(archived_at__isnull=True))
    enterprise_id = forms.ModelChoiceField(label=_("所在企业"), required=False, queryset=Enterprise.objects.all())
    township_id = forms.ModelChoiceField(
        label=_("所属乡镇"), required=False,
        queryset=Area.objects.filter(level=Area.Level.TOWNSHIP, archived_at__isnull=True))
    village_id = _village()
    grid_id = forms.ModelChoiceField(
        label=_("所属网格"), required=False, queryset=Area.objects.filter(level=Area.Level.GRID, archived_at__isnull=True))

    FOLLOWS = AREA_FOLLOWS
    CHOICE_HELPERS = frozenset({"village_id"})
    FORM_ONLY = {"village_id": "grid_id"}
    PICKERS = frozenset({"enterprise_id"})


class AreaForm(RecordForm):
    model = Area
    code = forms.CharField(label=_("区划代码"), max_length=32)
    name = forms.CharField(label=_("名称"), max_length=100)
    level = forms.ChoiceField(label=_("层级"), choices=Area.Level.choices)
    parent_id = forms.ModelChoiceField(label=_("上级区域"), required=False,
                                       queryset=Area.objects.exclude(level=Area.Level.GRID))
    population = forms.IntegerField(label=_("常住人口"), min_value=0, required=False)
    geometry = GeometryField(label=_("边界（GeoJSON）"), required=False)
    map_picker = MapPicker(lon=None, lat=None, geometry="geometry", draw=("polygon",))

    def to_service_data(self, creating: bool = False) -> dict:
        data = super().to_service_data(creating)
        if not data.get("geometry"):
            data.pop("geometry", None)
        return data


class OrganisationForm(RecordForm):
    model = Organisation
    kind = forms.ChoiceField(label=_("类型"), choices=Organisation.Kind.choices)
    code = forms.CharField(label=_("编码"), max_length=32)
    name = forms.CharField(label=_("名称"), max_length=100)
    area_id = forms.ModelChoiceField(label=_("所辖区域"), required=False,
                                     queryset=Area.objects.filter(level=Area.Level.TOWNSHIP))
    industry_ids = forms.ModelMultipleChoiceField(
        label=_("监管行业"), required=False, queryset=Industry.objects.filter(archived_at__isnull=True),
        widget=forms.CheckboxSelectMultiple, help_text=_("管行业必须管安全：本部门负责监管的行业"))
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    @classmethod
    def initial_from(cls, instance) -> dict:
        return {**super().initial_from(instance),
                "industry_ids": list(instance.industries.values_list("pk", flat=True))}
