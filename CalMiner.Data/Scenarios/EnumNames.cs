using CalMiner.Scenarios;

namespace CalMiner.Data.Scenarios;

/// <summary>Enums are stored by their names in the scenario document format, e.g. <c>g/t</c> or <c>latinHypercube</c>.</summary>
internal static class EnumNames
{
    public static string Name(Discounting value) => value switch
    {
        Discounting.EndOfPeriod => "endOfPeriod",
        Discounting.MidPeriod => "midPeriod",
        _ => Unknown(value),
    };

    public static string Name(GradeUnit value) => value switch
    {
        GradeUnit.GramsPerTonne => "g/t",
        GradeUnit.PartsPerMillion => "ppm",
        GradeUnit.Percent => "%",
        _ => Unknown(value),
    };

    public static string Name(PayableUnit value) => value switch
    {
        PayableUnit.TroyOunce => "oz",
        PayableUnit.Gram => "g",
        PayableUnit.Kilogram => "kg",
        PayableUnit.Tonne => "t",
        PayableUnit.Pound => "lb",
        _ => Unknown(value),
    };

    public static string Name(ConsumableDriver value) => value switch
    {
        ConsumableDriver.TonneMined => "tonneMined",
        ConsumableDriver.TonneProcessed => "tonneProcessed",
        ConsumableDriver.OperatingPeriod => "operatingPeriod",
        _ => Unknown(value),
    };

    public static string Name(CapitalCategory value) => value switch
    {
        CapitalCategory.Initial => "initial",
        CapitalCategory.Sustaining => "sustaining",
        CapitalCategory.Closure => "closure",
        _ => Unknown(value),
    };

    public static string Name(RoyaltyBasis value) => value switch
    {
        RoyaltyBasis.Nsr => "nsr",
        RoyaltyBasis.GrossRevenue => "grossRevenue",
        _ => Unknown(value),
    };

    public static string Name(SamplingMethod value) => value switch
    {
        SamplingMethod.MonteCarlo => "monteCarlo",
        SamplingMethod.LatinHypercube => "latinHypercube",
        _ => Unknown(value),
    };

    public static string Name(DistributionType value) => value switch
    {
        DistributionType.Constant => "constant",
        DistributionType.Normal => "normal",
        DistributionType.Lognormal => "lognormal",
        DistributionType.Uniform => "uniform",
        DistributionType.Triangular => "triangular",
        DistributionType.Pert => "pert",
        DistributionType.Discrete => "discrete",
        DistributionType.Empirical => "empirical",
        _ => Unknown(value),
    };

    public static T Parse<T>(string name)
        where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(NameOf(value), name, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return ThrowHelper.ThrowInvalidData<T>($"The database holds '{name}', which is not a {typeof(T).Name}.");
    }

    private static string NameOf<T>(T value)
        where T : struct, Enum => value switch
        {
            Discounting v => Name(v),
            GradeUnit v => Name(v),
            PayableUnit v => Name(v),
            ConsumableDriver v => Name(v),
            CapitalCategory v => Name(v),
            RoyaltyBasis v => Name(v),
            SamplingMethod v => Name(v),
            DistributionType v => Name(v),
            _ => Unknown(value),
        };

    private static string Unknown<T>(T value) => ThrowHelper.ThrowInvalidData<string>($"{typeof(T).Name} {value} has no stored name.");
}
