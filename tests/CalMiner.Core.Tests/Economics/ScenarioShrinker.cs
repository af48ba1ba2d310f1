using CalMiner.Scenarios;

namespace CalMiner.Core.Tests.Economics;

/// <summary>
/// Smaller scenarios than a generated one, for FsCheck to try when a property fails: fewer trailing periods, the first
/// period dropped (the rest move one earlier), then the document without one of its items (schedule rows, products, consumables, equipment, capital, royalties, parameters).
/// Each is valid and keeps a period that processes ore, as every generated scenario has.
/// </summary>
internal static class ScenarioShrinker
{
    public static IEnumerable<ScenarioDocument> Shrink(ScenarioDocument d) =>
        Candidates(d).Where(c => c.Schedule.Any(r => r.OreProcessed > 0) && c.Validate().Count == 0);

    // Largest steps first: FsCheck takes the first candidate that still fails and shrinks that.
    private static IEnumerable<ScenarioDocument> Candidates(ScenarioDocument d)
    {
        foreach (var periods in new[] { 1, d.Periods / 2, d.Periods - 1 }.Where(p => p >= 1 && p < d.Periods).Distinct())
        {
            yield return WithPeriods(d, periods);
        }

        if (d.Periods > 1)
        {
            yield return WithoutFirstPeriod(d);
        }

        foreach (var consumables in Without(d.Consumables))
        {
            yield return d with { Consumables = consumables };
        }

        foreach (var equipment in Without(d.Equipment))
        {
            yield return d with { Equipment = equipment };
        }

        foreach (var capital in Without(d.Capital))
        {
            yield return d with { Capital = capital };
        }

        foreach (var royalties in Without(d.Royalties))
        {
            yield return d with { Royalties = royalties };
        }

        foreach (var schedule in Without(d.Schedule))
        {
            yield return d with { Schedule = schedule };
        }

        foreach (var product in d.Products.Where(p => !p.Primary))
        {
            yield return WithoutProduct(d, product.Name);
        }

        if (d.Parameters.Count > 0)
        {
            yield return Unbound(d);
        }
    }

    // The list without all its items, then without each one.
    private static IEnumerable<T[]> Without<T>(IReadOnlyList<T> items)
    {
        if (items.Count > 1)
        {
            yield return [];
        }

        for (var i = 0; i < items.Count; i++)
        {
            yield return items.Where((_, j) => j != i).ToArray();
        }
    }

    // Drops the trailing periods and what happens in them.
    private static ScenarioDocument WithPeriods(ScenarioDocument d, int periods) => d with
    {
        Periods = periods,
        Schedule = d.Schedule.Where(r => r.Period < periods).ToArray(),
        Equipment = d.Equipment.Where(e => e.PurchasePeriod < periods).ToArray(),
        Capital = d.Capital.Where(c => c.Period < periods).ToArray(),
    };

    // Drops the first period and what happens in it; the rest happens one period earlier.
    private static ScenarioDocument WithoutFirstPeriod(ScenarioDocument d) => d with
    {
        Periods = d.Periods - 1,
        Schedule = d.Schedule.Where(r => r.Period > 0).Select(r => r with { Period = r.Period - 1 }).ToArray(),
        Equipment = d.Equipment.Where(e => e.PurchasePeriod > 0).Select(e => e with { PurchasePeriod = e.PurchasePeriod - 1 }).ToArray(),
        Capital = d.Capital.Where(c => c.Period > 0).Select(c => c with { Period = c.Period - 1 }).ToArray(),
    };

    private static ScenarioDocument WithoutProduct(ScenarioDocument d, string name) => d with
    {
        Products = d.Products.Where(p => p.Name != name).ToArray(),
        Schedule = d.Schedule.Select(r => r with { Grades = r.Grades.Where(g => g.Key != name).ToDictionary() }).ToArray(),
    };

    // Every input bound to a parameter takes the parameter's base-case value, and the parameters go.
    private static ScenarioDocument Unbound(ScenarioDocument d) => d with
    {
        Products = d.Products.Select(p => p with { Price = d.Resolve(p.Price) }).ToArray(),
        Factors = d.Factors with { Grade = d.Resolve(d.Factors.Grade) },
        Parameters = new Dictionary<string, Parameter>(),
    };
}
