using System.Runtime.Intrinsics;
using CalMiner.Numerics;
using CalMiner.Simulation.Sampling;
using MathNet.Numerics.Distributions;

namespace CalMiner.Tests.Simulation.Sampling;

public class NormalFunctionsTests
{
    [Theory]
    [InlineData(0.975, 1.959963984540054)]
    [InlineData(0.9, 1.2815515655446004)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.001, -3.090232306167813)]
    [InlineData(1e-10, -6.361340902404056)]
    [InlineData(1e-300, -37.047096299361199237)]
    public void Quantile_MatchesPublishedValues(double p, double z)
    {
        Assert.Equal(z, NormalFunctions.Quantile(p), Math.Max(Math.Abs(z), 1) * 2e-15);
    }

    [Fact]
    public void Quantile_AgreesWithMathNetAndInvertsTheCdf_AcrossTheTails()
    {
        for (var exponent = -300.0; exponent < -0.31; exponent += 0.37)
        {
            var p = Math.Pow(10, exponent);
            var z = NormalFunctions.Quantile(p);
            Assert.Equal(Normal.InvCDF(0, 1, p), z, Math.Abs(z) * 1e-13);
            // The round trip multiplies z's relative error by z², hence the tolerance.
            Assert.Equal(p, NormalFunctions.Cdf(z), p * 1e-15 * (1 + z * z));
        }

        // In the upper tail 1 - p is only known to ±1.1e-16, so compare where that is a small part of p.
        for (var p = 1e-12; p < 0.5; p *= 3)
        {
            Assert.Equal(-NormalFunctions.Quantile(p), NormalFunctions.Quantile(1 - p), 1e-15 / (p * 1e-3) + 1e-14);
        }
    }

    [Theory]
    [InlineData(-37.0, 5.7255712225245768227e-300)]
    [InlineData(-30.0, 4.9067139271481870595e-198)]
    [InlineData(-20.0, 2.7536241186062336951e-89)]
    [InlineData(-10.0, 7.619853024160526066e-24)]
    [InlineData(-5.0, 2.8665157187919391167e-7)]
    [InlineData(-1.0, 0.15865525393145705141)]
    [InlineData(0.5, 0.69146246127401310364)]
    public void Cdf_MatchesHighPrecisionValues(double x, double expected)
    {
        // Reference values computed with 40-digit arithmetic (mpmath).
        Assert.Equal(expected, NormalFunctions.Cdf(x), expected * 1e-15);
    }

    [Fact]
    public void Cdf_MatchesMathNet()
    {
        // MathNet's own relative error grows to ~1e-13 in the far tail, hence the tolerance.
        for (var x = -30.0; x <= 8; x += 0.013)
        {
            var expected = Normal.CDF(0, 1, x);
            Assert.Equal(expected, NormalFunctions.Cdf(x), expected * 2e-13);
        }

        Assert.Equal(0.0, NormalFunctions.Cdf(-40));
        Assert.Equal(1.0, NormalFunctions.Cdf(double.PositiveInfinity));
        Assert.Equal(0.0, NormalFunctions.Cdf(double.NegativeInfinity));
        Assert.True(double.IsNaN(NormalFunctions.Cdf(double.NaN)));
    }

    [Theory]
    [InlineData(0.0, double.NegativeInfinity)]
    [InlineData(-0.5, double.NegativeInfinity)]
    [InlineData(1.0, double.PositiveInfinity)]
    [InlineData(2.0, double.PositiveInfinity)]
    [InlineData(double.NaN, double.NaN)]
    public void Quantile_HandlesEdges(double p, double expected)
    {
        Assert.Equal(expected, NormalFunctions.Quantile(p));
    }

    [Fact]
    public void SpanQuantiles_GiveTheSameBitsAsScalar_ForEveryLength0To256()
    {
        var rng = Xoshiro256StarStar.FromSeed(6);
        var p = new double[256];
        for (var i = 0; i < p.Length; i++)
        {
            // Mostly central, with tails and far tails (r > 5) scattered among them.
            p[i] = (i % 7) switch
            {
                3 => Math.Pow(10, -300 * rng.NextUniform()),
                5 => 1 - Math.Pow(10, -16 * rng.NextUniform()),
                _ => rng.NextUniform(),
            };
        }

        var scratch = new int[256];
        for (var length = 0; length <= 256; length++)
        {
            var z = new double[256];
            NormalFunctions.Quantiles(p.AsSpan(0, length), z, scratch);
            var expected = p.Take(length).Select(NormalFunctions.Quantile).ToArray();
            SamplingTestSupport.AssertBitwiseEqual(expected, z.AsSpan(0, length), $"length {length}");
        }
    }

    [Fact]
    public void VectorQuantile_GivesTheSameBitsAsScalar_InEveryRegion()
    {
        var rng = Xoshiro256StarStar.FromSeed(5);
        for (var i = 0; i < 100_000; i++)
        {
            // Lanes from the centre, the intermediate tails and the far tails (r > 5), mixed.
            var p = Vector256.Create(
                rng.NextUniform(),
                Math.Pow(10, -300 * rng.NextUniform()),
                1 - Math.Pow(10, -16 * rng.NextUniform()),
                0.075 * rng.NextUniform() + PortableMath.SmallestNormal);
            var z = NormalFunctions.Quantile(p);
            for (var lane = 0; lane < 4; lane++)
            {
                Assert.Equal(
                    BitConverter.DoubleToInt64Bits(NormalFunctions.Quantile(p.GetElement(lane))),
                    BitConverter.DoubleToInt64Bits(z.GetElement(lane)));
            }
        }
    }
}
