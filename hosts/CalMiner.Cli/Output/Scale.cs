using System.Globalization;
using CalMiner.Scenarios;

namespace CalMiner.Cli.Output;

/// <summary>
/// How a group of numbers is shown: divided by a power of a thousand, with the unit that says so
/// (<c>USD M</c>, <c>Mt</c>, <c>koz</c>), and enough decimals for about four significant digits on
/// the largest of them.
/// </summary>
internal sealed record Scale(double Divisor, string Unit, int Decimals)
{
    /// <summary>Amounts in <paramref name="currency"/>: units, thousands, millions or billions.</summary>
    public static Scale ForAmounts(string currency, double largest) =>
        Choose(largest, limit: 1e5, (1, currency), (1e3, $"{currency} k"), (1e6, $"{currency} M"), (1e9, $"{currency} B"));

    /// <summary>Tonnages: t, kt or Mt.</summary>
    public static Scale ForTonnes(double largest) => Choose(largest, limit: 1e4, (1, "t"), (1e3, "kt"), (1e6, "Mt"));

    /// <summary>Quantities of a product in its payable unit, e.g. oz, koz, Moz.</summary>
    public static Scale ForQuantity(PayableUnit unit, double largest) => unit switch
    {
        PayableUnit.TroyOunce => Choose(largest, limit: 1e4, (1, "oz"), (1e3, "koz"), (1e6, "Moz")),
        PayableUnit.Pound => Choose(largest, limit: 1e4, (1, "lb"), (1e3, "klb"), (1e6, "Mlb")),
        PayableUnit.Gram => Choose(largest, limit: 1e4, (1, "g"), (1e3, "kg"), (1e6, "t")),
        PayableUnit.Kilogram => Choose(largest, limit: 1e4, (1, "kg"), (1e3, "t"), (1e6, "kt")),
        _ => ForTonnes(largest),
    };

    /// <summary>The symbol of a payable unit, as in the scenario document.</summary>
    public static string Symbol(PayableUnit unit) => unit switch
    {
        PayableUnit.TroyOunce => "oz",
        PayableUnit.Gram => "g",
        PayableUnit.Kilogram => "kg",
        PayableUnit.Tonne => "t",
        _ => "lb",
    };

    /// <summary>The largest absolute value of <paramref name="values"/>, ignoring non-finite ones; 0 for none.</summary>
    public static double Largest(IEnumerable<double> values) =>
        values.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();

    /// <summary>The value in this scale: <c>-</c> for exactly zero, and never <c>-0.0</c>.</summary>
    public string Format(double value)
    {
        if (value == 0)
        {
            return "-";
        }

        var scaled = Math.Round(value / Divisor, Decimals, MidpointRounding.AwayFromZero);
        return (scaled == 0 ? 0 : scaled).ToString($"N{Decimals}", CultureInfo.InvariantCulture);
    }

    /// <summary>The first step of <paramref name="ladder"/> at which <paramref name="largest"/> is below <paramref name="limit"/>, or the last.</summary>
    private static Scale Choose(double largest, double limit, params ReadOnlySpan<(double Divisor, string Unit)> ladder)
    {
        var step = ladder[^1];
        foreach (var candidate in ladder)
        {
            if (largest / candidate.Divisor < limit)
            {
                step = candidate;
                break;
            }
        }

        var scaled = largest / step.Divisor;
        var decimals = scaled < 100 ? 2 : scaled < 1e4 ? 1 : 0;
        return new Scale(step.Divisor, step.Unit, decimals);
    }
}
