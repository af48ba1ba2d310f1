namespace CalMiner.Core.Tests.Simulation.Statistics;

/// <summary>Straightforward sort-based versions of the statistics, written from their definitions.</summary>
internal static class Reference
{
    public static double[] SortedPresent(IEnumerable<double> values)
    {
        var present = values.Where(x => !double.IsNaN(x)).ToArray();
        Array.Sort(present);
        return present;
    }

    /// <summary>Excel PERCENTILE.INC: h = (n − 1)p, linear interpolation between x[⌊h⌋] and x[⌊h⌋ + 1].</summary>
    public static double PercentileInc(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var lower = (int)Math.Floor(h);
        var fraction = h - lower;
        return fraction == 0 ? sorted[lower] : sorted[lower] + (fraction * (sorted[lower + 1] - sorted[lower]));
    }

    public static double SampleStandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / (values.Length - 1));
    }

    /// <summary>Average ranks (0-based) with ties sharing the mean rank.</summary>
    public static double[] MidRanks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && values[order[end]] == values[order[start]])
            {
                end++;
            }

            for (var p = start; p < end; p++)
            {
                ranks[order[p]] = (start + end - 1) / 2.0;
            }

            start = end;
        }

        return ranks;
    }

    public static double Pearson(double[] x, double[] y)
    {
        var mx = x.Average();
        var my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }

    public static double Spearman(double[] x, double[] y) => Pearson(MidRanks(x), MidRanks(y));

    /// <summary>Random data of several shapes: normal-ish, skewed with outliers, ties, negative and positive.</summary>
    public static double[] Data(int n, int seed, int shape)
    {
        var random = new Random(seed);
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = shape switch
            {
                0 => random.NextDouble() * 200 - 50,
                1 => Math.Exp(3 * Normal(random)) * (random.NextDouble() < 0.001 ? 1e6 : 1),
                2 => random.Next(7) - 3,
                _ => 1e8 * Normal(random) + 2e7,
            };
        }

        return values;
    }

    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
