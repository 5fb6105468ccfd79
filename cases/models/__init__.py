from .cases import (
    NARRATIVE_FIELDS,
    Attachment,
    Case,
    FactorAssessment,
    FactorProfileSource,
    FactorProfileValue,
    Partner,
)
from .choices import (
    CaseStatus,
    EditionPhase,
    GovernmentLevel,
    Licence,
    MembershipStatus,
    Outcome,
    Provenance,
    Role,
    Sector,
)
from .editions import Category, Criterion, Edition
from .organisations import Organisation
from .users import OrganisationMembership, User
from .vocabularies import (
    CollaborationType,
    CoproductionLevel,
    CoproductionPhase,
    EcosystemFactor,
    InnovationStage,
    PolicySector,
)

__all__ = [
    "NARRATIVE_FIELDS",
    "Attachment",
    "Case",
    "CaseStatus",
    "Category",
    "CollaborationType",
    "CoproductionLevel",
    "CoproductionPhase",
    "Criterion",
    "EcosystemFactor",
    "Edition",
    "EditionPhase",
    "FactorAssessment",
    "FactorProfileSource",
    "FactorProfileValue",
    "GovernmentLevel",
    "InnovationStage",
    "Licence",
    "MembershipStatus",
    "Organisation",
    "OrganisationMembership",
    "Outcome",
    "Partner",
    "PolicySector",
    "Provenance",
    "Role",
    "Sector",
    "User",
]
