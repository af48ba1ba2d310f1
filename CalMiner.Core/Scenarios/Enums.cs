using System.Text.Json.Serialization;

namespace CalMiner.Scenarios;

/// <summary>When in a period its cash flow is taken to occur for discounting.</summary>
public enum Discounting
{
    /// <summary>The flow of period <c>i</c> is discounted over <c>i + 1</c> years.</summary>
    [JsonStringEnumMemberName("endOfPeriod")] EndOfPeriod,

    /// <summary>The flow of period <c>i</c> is discounted over <c>i + 0.5</c> years.</summary>
    [JsonStringEnumMemberName("midPeriod")] MidPeriod,
}

/// <summary>The unit a product's grade is given in.</summary>
public enum GradeUnit
{
    /// <summary>Grams per tonne of ore.</summary>
    [JsonStringEnumMemberName("g/t")] GramsPerTonne,

    /// <summary>Parts per million by mass (equal to grams per tonne).</summary>
    [JsonStringEnumMemberName("ppm")] PartsPerMillion,

    /// <summary>Percent by mass.</summary>
    [JsonStringEnumMemberName("%")] Percent,
}

/// <summary>The unit a product is sold in.</summary>
public enum PayableUnit
{
    /// <summary>Troy ounce, 31.1034768 g.</summary>
    [JsonStringEnumMemberName("oz")] TroyOunce,

    /// <summary>Gram.</summary>
    [JsonStringEnumMemberName("g")] Gram,

    /// <summary>Kilogram.</summary>
    [JsonStringEnumMemberName("kg")] Kilogram,

    /// <summary>Metric tonne.</summary>
    [JsonStringEnumMemberName("t")] Tonne,

    /// <summary>Pound, 1/2204.62262185 t.</summary>
    [JsonStringEnumMemberName("lb")] Pound,
}

/// <summary>What a consumable's quantity is proportional to.</summary>
public enum ConsumableDriver
{
    /// <summary>Tonnes of ore and waste mined.</summary>
    [JsonStringEnumMemberName("tonneMined")] TonneMined,

    /// <summary>Tonnes of ore processed.</summary>
    [JsonStringEnumMemberName("tonneProcessed")] TonneProcessed,

    /// <summary>One unit in every operating period.</summary>
    [JsonStringEnumMemberName("operatingPeriod")] OperatingPeriod,
}

/// <summary>The kind of a capital item, which decides its factor and its tax treatment.</summary>
public enum CapitalCategory
{
    /// <summary>Construction capital; scaled by the initial capital factor and depreciated.</summary>
    [JsonStringEnumMemberName("initial")] Initial,

    /// <summary>Sustaining capital; scaled by the sustaining capital factor and depreciated.</summary>
    [JsonStringEnumMemberName("sustaining")] Sustaining,

    /// <summary>Closure and rehabilitation; not scaled, deductible when incurred.</summary>
    [JsonStringEnumMemberName("closure")] Closure,
}

/// <summary>The amount a royalty rate applies to.</summary>
public enum RoyaltyBasis
{
    /// <summary>Net smelter return: revenue less selling costs.</summary>
    [JsonStringEnumMemberName("nsr")] Nsr,

    /// <summary>Gross revenue.</summary>
    [JsonStringEnumMemberName("grossRevenue")] GrossRevenue,
}

/// <summary>How the uncertain parameters are sampled.</summary>
public enum SamplingMethod
{
    /// <summary>Independent uniform draws.</summary>
    [JsonStringEnumMemberName("monteCarlo")] MonteCarlo,

    /// <summary>Latin Hypercube: one draw in each of N equal-probability strata per parameter.</summary>
    [JsonStringEnumMemberName("latinHypercube")] LatinHypercube,
}

/// <summary>The family of a probability distribution.</summary>
public enum DistributionType
{
    /// <summary>Always <see cref="Distribution.Value"/>.</summary>
    [JsonStringEnumMemberName("constant")] Constant,

    /// <summary>Normal with <see cref="Distribution.Mean"/> and <see cref="Distribution.Sd"/>, or two of P10/P50/P90.</summary>
    [JsonStringEnumMemberName("normal")] Normal,

    /// <summary>Lognormal with the mean and sd of the variable itself, or two of P10/P50/P90.</summary>
    [JsonStringEnumMemberName("lognormal")] Lognormal,

    /// <summary>Uniform between <see cref="Distribution.Min"/> and <see cref="Distribution.Max"/>.</summary>
    [JsonStringEnumMemberName("uniform")] Uniform,

    /// <summary>Triangular with min, mode and max, or mode with P10 and P90.</summary>
    [JsonStringEnumMemberName("triangular")] Triangular,

    /// <summary>PERT (scaled beta) with min, mode, max and lambda, or mode with P10 and P90.</summary>
    [JsonStringEnumMemberName("pert")] Pert,

    /// <summary>One of <see cref="Distribution.Values"/> with probabilities proportional to <see cref="Distribution.Weights"/>.</summary>
    [JsonStringEnumMemberName("discrete")] Discrete,

    /// <summary>A resample of the observed <see cref="Distribution.Values"/>, each equally likely.</summary>
    [JsonStringEnumMemberName("empirical")] Empirical,
}
