using CalMiner.Scenarios;
using CalMiner.Simulation.Sampling;

namespace CalMiner.Tests.Simulation.Sampling;

/// <summary>Draws and statistics shared by the sampling tests.</summary>
internal static class SamplingTestSupport
{
    public const long Seed = 20_240_601;

    /// <summary>n uniforms of one parameter from a plan with a fixed seed.</summary>
    public static double[] Uniforms(int n, SamplingMethod method = SamplingMethod.MonteCarlo, long seed = Seed, string name = "x")
    {
        var plan = new SamplingPlan(seed, method, n, [name]);
        var u = new double[n];
        plan.Uniforms(0, 0, u);
        return u;
    }

    public static double[] Draw(ParameterSampler sampler, int n, SamplingMethod method = SamplingMethod.MonteCarlo, long seed = Seed)
    {
        var x = Uniforms(n, method, seed);
        sampler.Quantiles(x, x);
        return x;
    }

    /// <summary>The Kolmogorov–Smirnov statistic sup |F_n(x) - F(x)| of the samples against a continuous CDF.</summary>
    public static double KolmogorovSmirnov(double[] samples, Func<double, double> cdf)
    {
        var sorted = (double[])samples.Clone();
        Array.Sort(sorted);
        var n = (double)sorted.Length;
        var d = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            var f = cdf(sorted[i]);
            d = Math.Max(d, Math.Max(f - i / n, (i + 1) / n - f));
        }

        return d;
    }

    /// <summary>Critical value of the KS statistic at significance 0.001 for large n: 1.95 / √n.</summary>
    public static double KsCritical(int n) => 1.95 / Math.Sqrt(n);

    public static (double Mean, double Sd) Moments(double[] x)
    {
        var mean = x.Average();
        var variance = x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1);
        return (mean, Math.Sqrt(variance));
    }

    /// <summary>
    /// Mean within 5 standard errors of the true mean, sd within <paramref name="sdTolerance"/> (relative),
    /// and the KS statistic below its 0.1 % critical value.
    /// </summary>
    public static void AssertMatches(double[] x, double mean, double sd, double sdTolerance, Func<double, double> cdf)
    {
        var (m, s) = Moments(x);
        var meanTolerance = 5 * sd / Math.Sqrt(x.Length);
        Assert.True(Math.Abs(m - mean) < meanTolerance, $"mean {m} differs from {mean} by more than {meanTolerance}");
        Assert.True(Math.Abs(s / sd - 1) < sdTolerance, $"sd {s} differs from {sd} by more than {sdTolerance:P1}");
        var ks = KolmogorovSmirnov(x, cdf);
        Assert.True(ks < KsCritical(x.Length), $"KS statistic {ks} exceeds the critical value {KsCritical(x.Length)}");
    }

    public static void AssertBitwiseEqual(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                Assert.Fail($"{context}: element {i} is {actual[i]:R}, expected {expected[i]:R}");
            }
        }
    }

    /// <summary>The distance in units in the last place between two finite doubles of the same sign.</summary>
    public static long Ulps(double a, double b) => Math.Abs(BitConverter.DoubleToInt64Bits(a) - BitConverter.DoubleToInt64Bits(b));
}
