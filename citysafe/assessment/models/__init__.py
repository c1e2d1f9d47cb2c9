"""Models of the assessment app: policy targets and progress, accident statistics, the annual
responsibility assessment and the demonstration-city self-assessment."""
from citysafe.assessment.models.accidents import Accident, AccidentKind, BaseFigure, Investigation  # noqa: F401
from citysafe.assessment.models.appraisal import (  # noqa: F401
    Indicator,
    IndicatorSystem,
    Interview,
    ItemScore,
    Metric,
    UnitKind,
    UnitResult,
)
from citysafe.assessment.models.city import CityItem, CityItemScore, CitySelfAssessment  # noqa: F401
from citysafe.assessment.models.counties import CountyItemScore, CountyResult  # noqa: F401,E402
from citysafe.assessment.models.targets import PolicyTarget, ProgressReport  # noqa: F401
