using CalMiner.Scenarios;
using CalMiner.Simulation.Sampling;
using FsCheck.Xunit;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using static CalMiner.Tests.Simulation.Sampling.SamplingTestSupport;

namespace CalMiner.Tests.Simulation.Sampling;

public class ParameterSamplerTests
{
    private const int N = 100_000;

    [Fact]
    public void Normal_MatchesMomentsAndKsAtFixedSeed()
    {
        var x = Draw(Sampler(new() { Type = DistributionType.Normal, Mean = 100, Sd = 15 }), N);
        AssertMatches(x, 100, 15, 0.012, v => Normal.CDF(100, 15, v));
    }

    [Fact]
    public void Lognormal_TakesTheMeanAndSdOfTheVariableItself_MomentsAndKs()
    {
        const double Mean = 1.2, Sd = 0.36;
        var sigma = Math.Sqrt(Math.Log(1 + Sd * Sd / (Mean * Mean)));
        var mu = Math.Log(Mean) - sigma * sigma / 2;
        var x = Draw(Sampler(new() { Type = DistributionType.Lognormal, Mean = Mean, Sd = Sd }), N);

        // Excess kurtosis ≈ 1.6 here, so the sd's standard error is ~0.3 %; allow 1.5 %.
        AssertMatches(x, Mean, Sd, 0.015, v => LogNormal.CDF(mu, sigma, v));
        Assert.All(x, v => Assert.True(v > 0));
    }

    [Fact]
    public void Uniform_MatchesMomentsAndKsAtFixedSeed()
    {
        var x = Draw(Sampler(new() { Type = DistributionType.Uniform, Min = -2, Max = 5 }), N);
        AssertMatches(x, 1.5, 7 / Math.Sqrt(12), 0.01, v => ContinuousUniform.CDF(-2, 5, v));
        Assert.All(x, v => Assert.InRange(v, -2, 5));
    }

    [Fact]
    public void Triangular_MatchesMomentsAndKsAtFixedSeed()
    {
        const double A = 0.86, C = 0.92, B = 0.94;
        var x = Draw(Sampler(new() { Type = DistributionType.Triangular, Min = A, Mode = C, Max = B }), N);
        var sd = Math.Sqrt((A * A + B * B + C * C - A * B - A * C - B * C) / 18);
        AssertMatches(x, (A + B + C) / 3, sd, 0.01, v => Triangular.CDF(A, B, C, v));
        Assert.All(x, v => Assert.InRange(v, A, B));
    }

    [Theory]
    [InlineData(10.0, 14.0, 25.0, null)]
    [InlineData(10.0, 14.0, 25.0, 2.0)]
    [InlineData(0.0, 0.0, 1.0, 4.0)]
    [InlineData(-5.0, 4.0, 5.0, 12.0)]
    public void Pert_MatchesMomentsAndKsAtFixedSeed(double min, double mode, double max, double? lambda)
    {
        var l = lambda ?? 4;
        var alpha = 1 + l * (mode - min) / (max - min);
        var beta = 1 + l * (max - mode) / (max - min);
        var mean = min + (max - min) * alpha / (alpha + beta);
        var sd = (max - min) * Math.Sqrt(alpha * beta / ((alpha + beta) * (alpha + beta) * (alpha + beta + 1)));
        var x = Draw(Sampler(new() { Type = DistributionType.Pert, Min = min, Mode = mode, Max = max, Lambda = lambda }), N);
        AssertMatches(x, mean, sd, 0.01, v => Beta.CDF(alpha, beta, (v - min) / (max - min)));
        Assert.All(x, v => Assert.InRange(v, min, max));
    }

    [Fact]
    public void Pert_WithDefaultLambda_IsMathNetsPert()
    {
        var pert = BetaScaled.PERT(10, 25, 14);
        var x = Draw(Sampler(new() { Type = DistributionType.Pert, Min = 10, Mode = 14, Max = 25 }), N);
        AssertMatches(x, pert.Mean, pert.StdDev, 0.01, pert.CumulativeDistribution);
    }

    [Fact]
    public void Pert_QuantileHasCdfErrorBelow1e10()
    {
        var sampler = Sampler(new() { Type = DistributionType.Pert, Min = 10, Mode = 14, Max = 25, Lambda = 4 });
        var (alpha, beta) = (1 + 4 * 4.0 / 15, 1 + 4 * 11.0 / 15);
        var u = Uniforms(20_000);
        var x = new double[u.Length];
        sampler.Quantiles(u, x);
        for (var i = 0; i < u.Length; i++)
        {
            var f = SpecialFunctions.BetaRegularized(alpha, beta, (x[i] - 10) / 15);
            Assert.True(Math.Abs(f - u[i]) < 1e-10, $"F(Q({u[i]:R})) = {f:R}");
        }
    }

    [Fact]
    public void Discrete_HitsEachValueWithItsWeight()
    {
        var sampler = Sampler(new() { Type = DistributionType.Discrete, Values = [3, 1, 2], Weights = [2, 5, 3] });
        var x = Draw(sampler, N);
        foreach (var (value, p) in new[] { (1.0, 0.5), (2.0, 0.3), (3.0, 0.2) })
        {
            var frequency = x.Count(v => v == value) / (double)N;
            Assert.True(Math.Abs(frequency - p) < 5 * Math.Sqrt(p * (1 - p) / N), $"value {value}: frequency {frequency}, expected {p}");
        }

        Assert.All(x, v => Assert.Contains(v, new[] { 1.0, 2.0, 3.0 }));
        Assert.Equal(1.0, sampler.Quantile(0.5));
        Assert.Equal(2.0, sampler.Quantile(0.5000001));
        Assert.Equal(3.0, sampler.Quantile(0.9999));
    }

    [Fact]
    public void Discrete_MergesRepeatedValues_AndHandlesManyValues()
    {
        var values = Enumerable.Range(0, 40).Select(i => (double)(i % 20)).ToArray();
        var weights = Enumerable.Repeat(1.0, 40).ToArray();
        var sampler = Sampler(new() { Type = DistributionType.Discrete, Values = values, Weights = weights });
        var x = Draw(sampler, N);
        for (var v = 0; v < 20; v++)
        {
            var frequency = x.Count(s => s == v) / (double)N;
            Assert.True(Math.Abs(frequency - 0.05) < 5 * Math.Sqrt(0.05 * 0.95 / N), $"value {v}: frequency {frequency}");
        }
    }

    [Fact]
    public void Empirical_ResamplesEachObservationEquallyOften()
    {
        var x = Draw(Sampler(new() { Type = DistributionType.Empirical, Values = [5, 1, 3, 3] }), N);
        foreach (var (value, p) in new[] { (1.0, 0.25), (3.0, 0.5), (5.0, 0.25) })
        {
            var frequency = x.Count(v => v == value) / (double)N;
            Assert.True(Math.Abs(frequency - p) < 5 * Math.Sqrt(p * (1 - p) / N), $"value {value}: frequency {frequency}, expected {p}");
        }
    }

    [Fact]
    public void ConstantAndBaseValue_AlwaysGiveTheValue()
    {
        var constant = Sampler(new() { Type = DistributionType.Constant, Value = 1850 });
        var baseValue = ParameterSampler.Create(null, 42.5);
        Assert.True(constant.IsConstant && baseValue.IsConstant);
        Assert.All(Draw(constant, 1000), v => Assert.Equal(1850, v));
        Assert.All(Draw(baseValue, 1000), v => Assert.Equal(42.5, v));
    }

    public static TheoryData<string, Distribution, double, double> Truncated => new()
    {
        { "normal, both sides", new() { Type = DistributionType.Normal, Mean = 0, Sd = 1, Truncate = new() { Min = -0.5, Max = 2 } }, -0.5, 2 },
        { "normal, far upper tail", new() { Type = DistributionType.Normal, Mean = 0, Sd = 1, Truncate = new() { Min = 5 } }, 5, double.PositiveInfinity },
        { "normal, far lower tail", new() { Type = DistributionType.Normal, Mean = 0, Sd = 1, Truncate = new() { Max = -5 } }, double.NegativeInfinity, -5 },
        { "lognormal", new() { Type = DistributionType.Lognormal, Mean = 1.2, Sd = 0.6, Truncate = new() { Min = 1, Max = 2 } }, 1, 2 },
        { "lognormal, upper tail", new() { Type = DistributionType.Lognormal, Mean = 1.2, Sd = 0.6, Truncate = new() { Min = 3 } }, 3, double.PositiveInfinity },
        { "uniform", new() { Type = DistributionType.Uniform, Min = 0, Max = 10, Truncate = new() { Min = 2.5 } }, 2.5, 10 },
        { "triangular", new() { Type = DistributionType.Triangular, Min = 0, Mode = 3, Max = 10, Truncate = new() { Min = 2, Max = 6 } }, 2, 6 },
        { "PERT", new() { Type = DistributionType.Pert, Min = 0, Mode = 3, Max = 10, Truncate = new() { Max = 4 } }, 0, 4 },
    };

    [Theory]
    [MemberData(nameof(Truncated))]
    public void Truncation_IsRespected_AndFollowsTheConditionalDistribution(string name, Distribution d, double low, double high)
    {
        var sampler = Sampler(d);
        var x = Draw(sampler, N);
        Assert.All(x, v => Assert.True(v >= low && v <= high, $"{name}: {v} is outside [{low}, {high}]"));
        Assert.Equal(low, sampler.Low);
        Assert.Equal(high, sampler.High);

        var cdf = ConditionalCdf(d);
        var ks = KolmogorovSmirnov(x, cdf);
        Assert.True(ks < KsCritical(N), $"{name}: KS statistic {ks}");
    }

    [Fact]
    public void Truncation_ThatLeavesNoMass_IsRejectedNamingTheField()
    {
        var e = Assert.Throws<ArgumentException>(() => Sampler(new() { Type = DistributionType.Triangular, Min = 0, Mode = 1, Max = 2, Truncate = new() { Min = 3 } }));
        Assert.Equal("truncate", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => Sampler(new() { Type = DistributionType.Normal, Mean = 0, Sd = 1, Truncate = new() { Min = 40 } }));
        Assert.Equal("truncate", e.ParamName);
    }

    [Fact]
    public void LatinHypercube_KsStatisticIsAtMostOneOverN()
    {
        const int Iterations = 10_007;
        var d = new Distribution { Type = DistributionType.Lognormal, Mean = 1.2, Sd = 0.36 };
        var sigma = Math.Sqrt(Math.Log(1 + 0.09));
        var mu = Math.Log(1.2) - sigma * sigma / 2;
        var x = Draw(Sampler(d), Iterations, SamplingMethod.LatinHypercube);

        // One draw in each of N equal strata: the sorted u's are within 1/N of i/N.
        var ks = KolmogorovSmirnov(x, v => LogNormal.CDF(mu, sigma, v));
        Assert.True(ks <= 1.0 / Iterations + 1e-9, $"KS statistic {ks} > 1/N");
    }

    [Theory]
    [InlineData(90.0, null, 110.0)]
    [InlineData(90.0, 100.0, null)]
    [InlineData(null, 100.0, 112.0)]
    [InlineData(-3e9, null, -2e9)]
    public void NormalFromPercentiles_HitsThem(double? p10, double? p50, double? p90)
    {
        var d = new Distribution { Type = DistributionType.Normal, P10 = p10, P50 = p50, P90 = p90 };
        var s = DistributionSolver.ToStandardForm(d);
        Assert.Null(s.P10 ?? s.P50 ?? s.P90);
        foreach (var (value, p) in Percentiles(d))
        {
            Assert.Equal(p, Normal.CDF(s.Mean!.Value, s.Sd!.Value, value), 1e-9);
        }
    }

    [Theory]
    [InlineData(0.95, null, 1.30)]
    [InlineData(0.95, 1.1, null)]
    [InlineData(null, 1.1, 1.30)]
    [InlineData(1e-3, null, 1e3)]
    public void LognormalFromPercentiles_HitsThem(double? p10, double? p50, double? p90)
    {
        var d = new Distribution { Type = DistributionType.Lognormal, P10 = p10, P50 = p50, P90 = p90 };
        var s = DistributionSolver.ToStandardForm(d);
        var sigma = Math.Sqrt(Math.Log(1 + s.Sd!.Value * s.Sd.Value / (s.Mean!.Value * s.Mean.Value)));
        var mu = Math.Log(s.Mean.Value) - sigma * sigma / 2;
        foreach (var (value, p) in Percentiles(d))
        {
            Assert.Equal(p, LogNormal.CDF(mu, sigma, value), 1e-9);
        }

        // And the sampler built from the percentile form reproduces them too.
        var sampler = Sampler(d);
        foreach (var (value, p) in Percentiles(d))
        {
            Assert.Equal(value, sampler.Quantile(p), Math.Abs(value) * 1e-12);
        }
    }

    [Theory]
    [InlineData(0.86, 0.92, 0.94)]
    [InlineData(10.0, 10.0, 20.0)]
    [InlineData(10.0, 20.0, 20.0)]
    [InlineData(-1e6, 2e6, 5e6)]
    [InlineData(1.0, 1.0000001, 1.0000002)]
    public void TriangularFromPercentiles_HitsThem(double p10, double mode, double p90)
    {
        var d = new Distribution { Type = DistributionType.Triangular, P10 = p10, Mode = mode, P90 = p90 };
        var s = DistributionSolver.ToStandardForm(d);
        Assert.Equal(mode, s.Mode);
        Assert.True(s.Min <= p10 && s.Max >= p90);
        Assert.Equal(0.1, Triangular.CDF(s.Min!.Value, s.Max!.Value, mode, p10), 1e-9);
        Assert.Equal(0.9, Triangular.CDF(s.Min.Value, s.Max.Value, mode, p90), 1e-9);
    }

    [Theory]
    [InlineData(0.86, 0.92, 0.94, null)]
    [InlineData(10.0, 14.0, 25.0, 4.0)]
    [InlineData(10.0, 10.0, 25.0, null)]
    [InlineData(10.0, 25.0, 25.0, null)]
    [InlineData(10.0, 12.0, 25.0, 1.0)]
    [InlineData(10.0, 17.5, 25.0, 50.0)]
    [InlineData(10.0, 11.0, 25.0, 0.2)]
    public void PertFromPercentiles_HitsThem(double p10, double mode, double p90, double? lambda)
    {
        var d = new Distribution { Type = DistributionType.Pert, P10 = p10, Mode = mode, P90 = p90, Lambda = lambda, Truncate = new() { Max = 1000 } };
        var s = DistributionSolver.ToStandardForm(d);
        Assert.Equal(mode, s.Mode);
        Assert.Equal(lambda, s.Lambda);
        Assert.Equal(d.Truncate, s.Truncate);
        var l = lambda ?? 4;
        double min = s.Min!.Value, max = s.Max!.Value;
        var alpha = 1 + l * (mode - min) / (max - min);
        var beta = 1 + l * (max - mode) / (max - min);
        Assert.Equal(0.1, Beta.CDF(alpha, beta, (p10 - min) / (max - min)), 1e-9);
        Assert.Equal(0.9, Beta.CDF(alpha, beta, (p90 - min) / (max - min)), 1e-9);
    }

    [Fact]
    public void ToStandardForm_ReturnsOtherFormsAsTheyAre()
    {
        Distribution[] forms =
        [
            new() { Type = DistributionType.Normal, Mean = 1, Sd = 2 },
            new() { Type = DistributionType.Pert, Min = 1, Mode = 2, Max = 3 },
            new() { Type = DistributionType.Discrete, Values = [1], Weights = [1] },
        ];
        Assert.All(forms, d => Assert.Same(d, DistributionSolver.ToStandardForm(d)));
    }

    public static TheoryData<Distribution, string> Unsolvable => new()
    {
        { new() { Type = DistributionType.Lognormal, P10 = -1, P90 = 2 }, "p10" },
        { new() { Type = DistributionType.Normal, P10 = 5, P90 = 2 }, "p90" },
        { new() { Type = DistributionType.Normal, P10 = 1, P50 = 2, P90 = 3 }, "p50" },
        { new() { Type = DistributionType.Normal, P10 = 1 }, "p90" },
        { new() { Type = DistributionType.Lognormal, P90 = 1 }, "p10" },
        { new() { Type = DistributionType.Triangular, P10 = 1, P90 = 3 }, "mode" },
        { new() { Type = DistributionType.Lognormal, P10 = 1e-300, P90 = 1e300 }, "p90" },
        { new() { Type = DistributionType.Triangular, P10 = 1, Mode = 5, P90 = 3 }, "mode" },
        { new() { Type = DistributionType.Pert, P10 = 3, Mode = 3, P90 = 3 }, "p90" },
        { new() { Type = DistributionType.Pert, P10 = 1, Mode = 2, P90 = 3, Lambda = -1 }, "lambda" },
    };

    [Theory]
    [MemberData(nameof(Unsolvable))]
    public void ToStandardForm_WithoutSolution_ThrowsNamingTheField(Distribution d, string field)
    {
        var e = Assert.Throws<ArgumentException>(() => DistributionSolver.ToStandardForm(d));
        Assert.Equal(field, e.ParamName);
        Assert.StartsWith(field + " ", e.Message, StringComparison.Ordinal);
    }

    [Property(MaxTest = 300)]
    public bool Quantile_NeverDecreasesWithU(ulong a, ulong b, byte which)
    {
        var sampler = AllSamplers.Value[which % AllSamplers.Value.Length].Sampler;
        double u1 = Xoshiro256StarStar.ToUniform(a), u2 = Xoshiro256StarStar.ToUniform(b);
        (u1, u2) = u1 <= u2 ? (u1, u2) : (u2, u1);
        return sampler.Quantile(u1) <= sampler.Quantile(u2);
    }

    [Fact]
    public void Quantile_IsTheSupportAtTheEdges_AndNaNForNaN()
    {
        foreach (var (name, sampler) in AllSamplers.Value)
        {
            Assert.True(sampler.Quantile(0) == sampler.Low, name);
            Assert.True(sampler.Quantile(-3) == sampler.Low, name);
            Assert.True(sampler.Quantile(1) == sampler.High, name);
            Assert.True(sampler.Quantile(double.PositiveInfinity) == sampler.High, name);
            Assert.True(sampler.IsConstant || double.IsNaN(sampler.Quantile(double.NaN)), name);
            Assert.True(double.IsFinite(sampler.Quantile(1e-320)), name);
            Assert.True(double.IsFinite(sampler.Quantile(UnitInterval.BelowOne)), name);
        }
    }

    [Fact]
    public void VectorKernels_EqualTheScalarReference_ForEveryLength0To256()
    {
        var u = Uniforms(300);
        foreach (var (name, sampler) in AllSamplers.Value)
        {
            for (var length = 0; length <= 256; length++)
            {
                // Start at an odd offset too, so that vectors are not aligned.
                foreach (var start in new[] { 0, 3 })
                {
                    var input = u.AsSpan(start, length);
                    var actual = new double[length];
                    sampler.Quantiles(input, actual);
                    var expected = new double[length];
                    for (var i = 0; i < length; i++)
                    {
                        expected[i] = sampler.Quantile(input[i]);
                    }

                    AssertBitwiseEqual(expected, actual, $"{name}, length {length}, start {start}");
                }
            }
        }
    }

    [Fact]
    public void VectorKernels_HandleEdgeAndNaNInputsLikeTheScalarReference()
    {
        double[] specials = [0, 1, -1, 2, double.NaN, double.NegativeInfinity, double.PositiveInfinity, 1e-320, double.Epsilon, UnitInterval.BelowOne, 1e-17, 0.5, -0.0];
        var u = Uniforms(64);
        for (var i = 0; i < u.Length; i += 3)
        {
            u[i] = specials[i / 3 % specials.Length];
        }

        foreach (var (name, sampler) in AllSamplers.Value)
        {
            var actual = new double[u.Length];
            sampler.Quantiles(u, actual);
            AssertBitwiseEqual(u.Select(sampler.Quantile).ToArray(), actual, name);

            // In place gives the same.
            var inPlace = (double[])u.Clone();
            sampler.Quantiles(inPlace, inPlace);
            AssertBitwiseEqual(actual, inPlace, name + " in place");
        }
    }

    [Fact]
    public void Quantiles_RejectsAShortDestination()
    {
        var sampler = Sampler(new() { Type = DistributionType.Normal, Mean = 0, Sd = 1 });
        Assert.Throws<ArgumentException>(() => sampler.Quantiles(new double[5], new double[4]));
    }

    [Fact]
    public void Quantiles_RejectsADestinationThatOverlapsTheInput_ExceptExactlyInPlace()
    {
        var buffer = Uniforms(40);
        foreach (var (name, sampler) in AllSamplers.Value)
        {
            foreach (var shift in new[] { 1, 3, 4, 8 })
            {
                var ahead = Assert.Throws<ArgumentException>(() => sampler.Quantiles(buffer.AsSpan(0, 32), buffer.AsSpan(shift, 32)));
                Assert.Equal("destination", ahead.ParamName);
                var behind = Assert.Throws<ArgumentException>(() => sampler.Quantiles(buffer.AsSpan(shift, 32), buffer.AsSpan(0, 32)));
                Assert.Equal("destination", behind.ParamName);
            }

            // Apart, even when adjacent, is allowed.
            var copy = (double[])buffer.Clone();
            sampler.Quantiles(copy.AsSpan(0, 20), copy.AsSpan(20, 20));
            AssertBitwiseEqual(buffer.Take(20).Select(sampler.Quantile).ToArray(), copy[20..], name + " adjacent");
        }
    }

    private static readonly Lazy<(string Name, ParameterSampler Sampler)[]> AllSamplers = new(() =>
    [
        ("constant", Sampler(new() { Type = DistributionType.Constant, Value = 3 })),
        ("normal", Sampler(new() { Type = DistributionType.Normal, Mean = 100, Sd = 15 })),
        ("normal truncated", Sampler(new() { Type = DistributionType.Normal, Mean = 0, Sd = 1, Truncate = new() { Min = -0.5, Max = 2 } })),
        ("normal upper tail", Sampler(new() { Type = DistributionType.Normal, Mean = 0, Sd = 1, Truncate = new() { Min = 5 } })),
        ("lognormal", Sampler(new() { Type = DistributionType.Lognormal, Mean = 1.2, Sd = 0.36 })),
        ("lognormal truncated", Sampler(new() { Type = DistributionType.Lognormal, Mean = 1.2, Sd = 0.6, Truncate = new() { Min = 1, Max = 2 } })),
        ("uniform", Sampler(new() { Type = DistributionType.Uniform, Min = -2, Max = 5 })),
        ("triangular", Sampler(new() { Type = DistributionType.Triangular, Min = 0.86, Mode = 0.92, Max = 0.94 })),
        ("triangular truncated", Sampler(new() { Type = DistributionType.Triangular, Min = 0, Mode = 3, Max = 10, Truncate = new() { Min = 2, Max = 6 } })),
        ("PERT", Sampler(new() { Type = DistributionType.Pert, Min = 10, Mode = 14, Max = 25 })),
        ("PERT truncated", Sampler(new() { Type = DistributionType.Pert, Min = 0, Mode = 3, Max = 10, Lambda = 6, Truncate = new() { Max = 4 } })),
        ("PERT from percentiles", Sampler(new() { Type = DistributionType.Pert, P10 = 0.86, Mode = 0.92, P90 = 0.94 })),
        ("discrete", Sampler(new() { Type = DistributionType.Discrete, Values = [3, 1, 2], Weights = [2, 5, 3] })),
        ("discrete, many values", Sampler(new() { Type = DistributionType.Discrete, Values = [.. Enumerable.Range(0, 40).Select(i => (double)i)], Weights = [.. Enumerable.Range(1, 40).Select(i => (double)i)] })),
        ("empirical", Sampler(new() { Type = DistributionType.Empirical, Values = [5, 1, 3, 3] })),
    ]);

    private static ParameterSampler Sampler(Distribution d) => ParameterSampler.Create(d);

    private static IEnumerable<(double Value, double P)> Percentiles(Distribution d)
    {
        if (d.P10 is { } p10)
        {
            yield return (p10, 0.1);
        }

        if (d.P50 is { } p50)
        {
            yield return (p50, 0.5);
        }

        if (d.P90 is { } p90)
        {
            yield return (p90, 0.9);
        }
    }

    // The CDF of a truncated distribution, from MathNet's CDF of the untruncated one (upper tails by symmetry, for precision).
    private static Func<double, double> ConditionalCdf(Distribution d)
    {
        Func<double, double> cdf = d.Type switch
        {
            DistributionType.Normal => v => Normal.CDF(d.Mean!.Value, d.Sd!.Value, v),
            DistributionType.Lognormal => LognormalCdf(d.Mean!.Value, d.Sd!.Value),
            DistributionType.Uniform => v => ContinuousUniform.CDF(d.Min!.Value, d.Max!.Value, v),
            DistributionType.Triangular => v => Triangular.CDF(d.Min!.Value, d.Max!.Value, d.Mode!.Value, v),
            _ => PertCdf(d.Min!.Value, d.Mode!.Value, d.Max!.Value, d.Lambda ?? 4),
        };
        double a = d.Truncate?.Min ?? double.NegativeInfinity, b = d.Truncate?.Max ?? double.PositiveInfinity;
        if (d.Type == DistributionType.Normal && a > d.Mean)
        {
            double Survival(double v) => Normal.CDF(0, 1, -(v - d.Mean!.Value) / d.Sd!.Value);
            return v => (Survival(a) - Survival(v)) / (Survival(a) - Survival(b));
        }

        return v => (cdf(Math.Min(Math.Max(v, a), b)) - cdf(a)) / (cdf(b) - cdf(a));
    }

    private static Func<double, double> LognormalCdf(double mean, double sd)
    {
        var sigma = Math.Sqrt(Math.Log(1 + sd * sd / (mean * mean)));
        var mu = Math.Log(mean) - sigma * sigma / 2;
        return v => v <= 0 ? 0 : LogNormal.CDF(mu, sigma, v);
    }

    private static Func<double, double> PertCdf(double min, double mode, double max, double lambda)
    {
        var alpha = 1 + lambda * (mode - min) / (max - min);
        var beta = 1 + lambda * (max - mode) / (max - min);
        return v => v <= min ? 0 : v >= max ? 1 : Beta.CDF(alpha, beta, (v - min) / (max - min));
    }
}
