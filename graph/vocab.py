"""The groupkg vocabulary as a Python namespace.

Generated from ``ontology/groupkg.ttl`` (the only place terms are defined); a test fails
when the two drift apart. A misspelt term raises ``AttributeError`` instead of minting
a new IRI.
"""

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

from groupkg.graph.model import NAMESPACE

__all__ = ["GK", "ORG", "PROV", "DCTERMS", "NAMESPACE"]

ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")


class GK(DefinedNamespace):
    """Terms of the groupkg ontology."""

    _fail = True
    _NS = Namespace(NAMESPACE)

    AbsorptionMerger: URIRef
    Actual: URIRef
    AmendedProvision: URIRef
    ArticlesAmendment: URIRef
    Assumed: URIRef
    Assumption: URIRef
    AuthorisedShares: URIRef
    BasicNetIncomePerShare: URIRef
    Basis: URIRef
    BranchRelation: URIRef
    Capital: URIRef
    Consolidated: URIRef
    Derived: URIRef
    DirectConsolidation: URIRef
    Employees: URIRef
    Entity: URIRef
    Event: URIRef
    Fact: URIRef
    FactStatus: URIRef
    FeederRelation: URIRef
    FigureKind: URIRef
    FinancialObservation: URIRef
    Fund: URIRef
    FundManagementRelation: URIRef
    GranteeClass: URIRef
    Holding: URIRef
    Identifier: URIRef
    IdentityJudgement: URIRef
    IncomeBeforeIncomeTax: URIRef
    IndirectInterest: URIRef
    IssuedShares: URIRef
    LegalEntity: URIRef
    Listing: URIRef
    LockUpAgreement: URIRef
    Measure: URIRef
    Merger: URIRef
    NaturalPerson: URIRef
    NetIncome: URIRef
    NetIncomeAttributableToParent: URIRef
    NonConsolidated: URIRef
    Observation: URIRef
    OperatingIncome: URIRef
    PublicOffering: URIRef
    ReportedPeriod: URIRef
    ReportedRelation: URIRef
    Revenue: URIRef
    RuleSet: URIRef
    SecondaryOffering: URIRef
    ShareCapitalObservation: URIRef
    ShareIssuance: URIRef
    ShareUnit: URIRef
    ShareholdersEquity: URIRef
    ShareholdersEquityIncrease: URIRef
    ShareholdersEquityPerShare: URIRef
    Source: URIRef
    SourceSection: URIRef
    Stated: URIRef
    StockOptionGrant: URIRef
    StockSplit: URIRef
    SubFundRelation: URIRef
    Target: URIRef
    ThirdPartyAllotment: URIRef
    TotalAssets: URIRef
    TreasuryShares: URIRef
    TreasuryStockDelivery: URIRef
    Trust: URIRef
    UltimateConsolidation: URIRef
    UnnamedHolders: URIRef
    absorbed: URIRef
    address: URIRef
    aggregation: URIRef
    alias: URIRef
    allotmentRatio: URIRef
    allottee: URIRef
    amountPerRight: URIRef
    amountPerShare: URIRef
    announcementDate: URIRef
    article: URIRef
    asOf: URIRef
    assumedProperty: URIRef
    assumptionReason: URIRef
    basis: URIRef
    businessDescription: URIRef
    ceilingInclusive: URIRef
    ceilingPercent: URIRef
    child: URIRef
    controlByOtherMeans: URIRef
    counterparty: URIRef
    countsInterest: URIRef
    currency: URIRef
    derivation: URIRef
    dissolutionDate: URIRef
    effectiveDate: URIRef
    endDate: URIRef
    entityStatus: URIRef
    exchange: URIRef
    factStatus: URIRef
    figureKind: URIRef
    fileName: URIRef
    fiscalYearEnd: URIRef
    granteeCount: URIRef
    hasAmendedProvision: URIRef
    hasAssumption: URIRef
    hasGranteeClass: URIRef
    hasIdentifier: URIRef
    hasListing: URIRef
    identifierScheme: URIRef
    identifierValue: URIRef
    incorporationDate: URIRef
    interestType: URIRef
    issuer: URIRef
    judgedBy: URIRef
    judgedOn: URIRef
    judgedRecord: URIRef
    jurisdiction: URIRef
    legalForm: URIRef
    legalName: URIRef
    knownFrom: URIRef
    lei: URIRef
    listedSince: URIRef
    locator: URIRef
    measure: URIRef
    measurementMethod: URIRef
    newSharesIssued: URIRef
    note: URIRef
    owned: URIRef
    owner: URIRef
    parent: URIRef
    participant: URIRef
    party: URIRef
    paymentDate: URIRef
    percent: URIRef
    percentMax: URIRef
    percentMaxExclusive: URIRef
    percentMin: URIRef
    percentMinExclusive: URIRef
    periodDescription: URIRef
    periodEnd: URIRef
    periodStart: URIRef
    periodType: URIRef
    pricingDate: URIRef
    pricingWindowEnd: URIRef
    pricingWindowStart: URIRef
    qualifyingHolders: URIRef
    registrationStatus: URIRef
    relationshipStatus: URIRef
    reportedPeriod: URIRef
    reportingException: URIRef
    representative: URIRef
    representativesAsOf: URIRef
    rightsAllotted: URIRef
    rightsGranted: URIRef
    ruleSetName: URIRef
    sameEntity: URIRef
    seller: URIRef
    shareClass: URIRef
    shares: URIRef
    sharesOffered: URIRef
    sharesPerRight: URIRef
    shortFormMerger: URIRef
    simplifiedMerger: URIRef
    splitRatio: URIRef
    startDate: URIRef
    subject: URIRef
    supersedes: URIRef
    survivor: URIRef
    thresholdInclusive: URIRef
    thresholdPercent: URIRef
    ticker: URIRef
    treasurySharesDelivered: URIRef
    underlyingShares: URIRef
    unit: URIRef
    validFrom: URIRef
    validTo: URIRef
    validationSource: URIRef
    value: URIRef
