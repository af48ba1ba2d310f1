using System.Runtime.Intrinsics;
using CalMiner.Numerics;
using CalMiner.Simulation.Sampling;
using static CalMiner.Tests.Simulation.Sampling.SamplingTestSupport;

namespace CalMiner.Tests.Numerics;

public class PortableMathTests
{
    [Fact]
    public void Exp_IsWithinOneUlpOfMathExp()
    {
        var rng = Xoshiro256StarStar.FromSeed(11);
        for (var i = 0; i < 200_000; i++)
        {
            var x = -745 + 1454 * rng.NextUniform();
            var expected = Math.Exp(x);
            var actual = PortableMath.Exp(x);
            if (expected >= double.Epsilon * 4 && double.IsFinite(expected))
            {
                Assert.True(Ulps(expected, actual) <= 1, $"exp({x:R}) = {actual:R}, Math.Exp gives {expected:R}");
            }
        }
    }

    [Fact]
    public void Sin_IsWithinOneUlpOfMathSin_OnItsRange()
    {
        var rng = Xoshiro256StarStar.FromSeed(13);
        for (var i = 0; i < 200_000; i++)
        {
            // Uniform over [−π/4, π/4], and tiny angles over every binade down to the subnormals.
            var x = i % 2 == 0 ? Math.PI / 4 * ((2 * rng.NextUniform()) - 1) : Math.Pow(2, -1 - (1073 * rng.NextUniform()));
            var expected = Math.Sin(x);
            var actual = PortableMath.Sin(x);
            Assert.True(Ulps(expected, actual) <= 1, $"sin({x:R}) = {actual:R}, Math.Sin gives {expected:R}");
        }

        Assert.Equal(0.0, PortableMath.Sin(0.0));
        Assert.True(double.IsNegative(PortableMath.Sin(-0.0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortableMath.Sin(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PortableMath.Sin(double.NaN));
    }

    [Fact]
    public void Log_IsWithinOneUlpOfMathLog_IncludingSubnormals()
    {
        var rng = Xoshiro256StarStar.FromSeed(12);
        for (var i = 0; i < 200_000; i++)
        {
            // Positive doubles spread over every binade, subnormals included.
            var x = BitConverter.Int64BitsToDouble((long)(rng.NextUInt64() % 0x7FF0000000000000UL));
            if (x == 0)
            {
                continue;
            }

            var expected = Math.Log(x);
            var actual = PortableMath.Log(x);
            Assert.True(Ulps(expected, actual) <= 1, $"log({x:R}) = {actual:R}, Math.Log gives {expected:R}");
        }
    }

    [Theory]
    [InlineData(double.NaN, double.NaN)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity, 0.0)]
    [InlineData(709.78, 1.7928227943945155e308)]
    [InlineData(710.0, double.PositiveInfinity)]
    [InlineData(-746.0, 0.0)]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, Math.E)]
    public void Exp_HandlesSpecialValues(double x, double expected)
    {
        // Finite results within 1 ulp (fdlibm's bound; e^1 comes out 1 ulp above Math.E), the rest exactly.
        var scalar = PortableMath.Exp(x);
        Assert.True(double.IsFinite(expected) && expected > 0 ? Ulps(expected, scalar) <= 1 : expected.Equals(scalar), $"exp({x}) = {scalar:R}");
        Assert.Equal(scalar, PortableMath.Exp(Vector256.Create(x)).GetElement(0));
    }

    [Theory]
    [InlineData(0.0, double.NegativeInfinity)]
    [InlineData(-1.0, double.NaN)]
    [InlineData(double.NaN, double.NaN)]
    [InlineData(double.PositiveInfinity, double.PositiveInfinity)]
    [InlineData(1.0, 0.0)]
    [InlineData(Math.E, 1.0)]
    [InlineData(double.Epsilon, -744.44007192138122)]
    public void Log_HandlesSpecialValues(double x, double expected)
    {
        Assert.Equal(expected, PortableMath.Log(x));
    }

    [Fact]
    public void VectorExpAndLog_GiveTheSameBitsAsScalar()
    {
        var rng = Xoshiro256StarStar.FromSeed(13);
        for (var i = 0; i < 50_000; i++)
        {
            var e = Vector256.Create(-745 + 1455 * rng.NextUniform(), 40 * rng.NextUniform() - 20, rng.NextUniform() - 0.5, -1e-300 * rng.NextUniform());
            var l = Vector256.Create(rng.NextUniform(), 1e300 * rng.NextUniform(), PortableMath.SmallestNormal * (1 + rng.NextUniform()), 1 + rng.NextUniform());
            var exp = PortableMath.Exp(e);
            var log = PortableMath.Log(l);
            for (var lane = 0; lane < 4; lane++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(PortableMath.Exp(e.GetElement(lane))), BitConverter.DoubleToInt64Bits(exp.GetElement(lane)));
                Assert.Equal(BitConverter.DoubleToInt64Bits(PortableMath.Log(l.GetElement(lane))), BitConverter.DoubleToInt64Bits(log.GetElement(lane)));
            }
        }
    }

    [Theory]
    [InlineData(1e-20)]
    [InlineData(-3e-12)]
    [InlineData(1e-8)]
    [InlineData(0.3)]
    [InlineData(-0.7)]
    [InlineData(25.0)]
    public void Log1PAndExpM1_AreAccurateForSmallArguments(double x)
    {
        // Reference values from the Taylor series where it converges fast, else from Math.
        var log1p = Math.Abs(x) < 1e-4 ? x - x * x / 2 + x * x * x / 3 : Math.Log(1 + x);
        var expm1 = Math.Abs(x) < 1e-4 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;
        if (x > -1)
        {
            Assert.Equal(log1p, PortableMath.Log1P(x), Math.Abs(log1p) * 4e-16);
        }

        Assert.Equal(expm1, PortableMath.ExpM1(x), Math.Abs(expm1) * 4e-16);
    }
}
