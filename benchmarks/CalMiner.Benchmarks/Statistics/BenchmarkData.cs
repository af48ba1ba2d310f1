namespace CalMiner.Benchmarks.Statistics;

/// <summary>Inputs of the statistics benchmarks, from fixed seeds.</summary>
internal static class BenchmarkData
{
    /// <summary>An NPV-like output: a skewed normal mixture in currency units, about 8 % negative.</summary>
    public static double[] Npv(int n, int seed)
    {
        var random = new Random(seed);
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var z = Normal(random);
            values[i] = 2.5e8 + (1.8e8 * z) + (4e7 * z * z);
        }

        return values;
    }

    /// <summary>k independent inputs of different shapes (normal, uniform, lognormal), in random order.</summary>
    public static double[][] Inputs(int n, int k, int seed)
    {
        var random = new Random(seed);
        var columns = new double[k][];
        for (var j = 0; j < k; j++)
        {
            columns[j] = new double[n];
            for (var i = 0; i < n; i++)
            {
                columns[j][i] = (j % 3) switch
                {
                    0 => 100 + (15 * Normal(random)),
                    1 => 0.8 + (0.15 * random.NextDouble()),
                    _ => Math.Exp(0.4 * Normal(random)),
                };
            }
        }

        return columns;
    }

    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
