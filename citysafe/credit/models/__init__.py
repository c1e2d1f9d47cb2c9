from citysafe.credit.models.agencies import AgencyEvaluation, AgencyQualification, AgencyService, ServiceAgency
from citysafe.credit.models.insurance import Claim, IndustryBaseRate, InsurancePolicy, PremiumRule
from citysafe.credit.models.listing import Criterion, ListEntry

__all__ = ["AgencyEvaluation", "AgencyQualification", "AgencyService", "Claim", "Criterion", "IndustryBaseRate",
           "InsurancePolicy", "ListEntry", "PremiumRule", "ServiceAgency"]
