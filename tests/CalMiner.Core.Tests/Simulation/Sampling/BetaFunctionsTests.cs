using CalMiner.Simulation.Sampling;
using MathNet.Numerics;

namespace CalMiner.Tests.Simulation.Sampling;

public class BetaFunctionsTests
{
    [Theory]
    [InlineData(0.05, 2.96887920105173076846)]
    [InlineData(0.5, 0.572364942924700087072)]
    [InlineData(0.6997410205236905, 0.261183302651684054069)]
    [InlineData(1.0, 0.0)]
    [InlineData(1.5, -0.120782237635245222346)]
    [InlineData(2.0, 0.0)]
    [InlineData(2.5, 0.284682870472919159632)]
    [InlineData(4.5, 2.4537365708424422205)]
    [InlineData(5.326607112038947, 3.68149351500772552652)]
    [InlineData(9.792749916070722, 12.3374267254788758923)]
    [InlineData(10.0, 12.8018274800814696112)]
    [InlineData(15.25, 25.8619499018485193583)]
    [InlineData(100.25, 360.284559637764234968)]
    [InlineData(1000.5, 5908.67417584867748868)]
    public void LogGamma_MatchesHighPrecisionValues(double x, double expected)
    {
        // Reference values computed with 30-digit arithmetic (mpmath). MathNet's GammaLn is not used
        // as the reference: it is off by up to 7e-14 at some of these points.
        Assert.Equal(expected, BetaFunctions.LogGamma(x), 1e-14 + Math.Abs(expected) * 2e-15);
    }

    [Theory]
    [InlineData(1.0, 5.0)]
    [InlineData(2.0, 4.0)]
    [InlineData(1.4, 3.6)]
    [InlineData(5.0, 1.0)]
    [InlineData(31.0, 71.0)]
    [InlineData(0.5, 0.5)]
    public void Regularized_MatchesMathNet(double a, double b)
    {
        var logBeta = BetaFunctions.LogBeta(a, b);
        for (var x = 0.0005; x < 1; x += 0.0011)
        {
            // MathNet and this code each carry ~1e-13 relative error for the larger shapes.
            var expected = SpecialFunctions.BetaRegularized(a, b, x);
            Assert.Equal(expected, BetaFunctions.Regularized(a, b, logBeta, x), 1e-15 + expected * 2e-13);
        }

        Assert.Equal(0.0, BetaFunctions.Regularized(a, b, logBeta, 0));
        Assert.Equal(1.0, BetaFunctions.Regularized(a, b, logBeta, 1));
    }

    [Theory]
    [InlineData(31.0, 71.0, 0.2436, 0.08814457451354460253)]
    [InlineData(2.0, 4.0, 0.3, 0.47178)]
    [InlineData(3.5, 1.5, 0.999, 0.99982846717022138341)]
    public void Regularized_MatchesHighPrecisionValues(double a, double b, double x, double expected)
    {
        // Reference values computed with 40-digit arithmetic (mpmath); I_0.3(2, 4) = 0.47178 exactly.
        Assert.Equal(expected, BetaFunctions.Regularized(a, b, BetaFunctions.LogBeta(a, b), x), expected * 1e-13);
    }

    [Theory]
    [InlineData(1.0, 5.0)]
    [InlineData(2.5, 2.5)]
    [InlineData(4.2, 1.8)]
    [InlineData(101.0, 3.0)]
    public void QuantileOfLowerTail_InvertsTheCdf_FromTheFarTailToTheMiddle(double a, double b)
    {
        var logBeta = BetaFunctions.LogBeta(a, b);
        foreach (var p in new[] { 1e-200, 1e-17, 1e-9, 0.001, 0.1, 0.37, 0.5, 0.8, 0.999 })
        {
            var x = BetaFunctions.QuantileOfLowerTail(a, b, logBeta, p);
            Assert.InRange(x, 0, 1);
            Assert.Equal(p, BetaFunctions.Regularized(a, b, logBeta, x), p * 1e-12);
        }
    }

    [Theory]
    [InlineData(1.0, 5.0)]
    [InlineData(5.0, 1.0)]
    [InlineData(3.0, 3.0)]
    [InlineData(1.8, 4.2)]
    [InlineData(1.0004, 1.0004)]
    [InlineData(1.0, 101.0)]
    [InlineData(501.0, 501.0)]
    public void QuantileTable_HasCdfErrorBelow1e10_AgainstMathNet(double a, double b)
    {
        var table = BetaQuantileTable.Create(a, b);
        Assert.True(table.Pieces > 0, "the table should cover this shape");
        Assert.True(table.MaxError < 1e-11, $"the table's own check found {table.MaxError}");
        var rng = Xoshiro256StarStar.FromSeed(17);
        for (var i = 0; i < 20_000; i++)
        {
            var u = rng.NextUniform();
            var x = table.Quantile(u, NormalFunctions.Quantile(u));
            Assert.True(Math.Abs(SpecialFunctions.BetaRegularized(a, b, x) - u) < 1e-10, $"F(Q({u:R})) = {SpecialFunctions.BetaRegularized(a, b, x):R}");
        }
    }

    [Fact]
    public void QuantileTable_SolvesExactlyOutsideItsRange()
    {
        var table = BetaQuantileTable.Create(2, 3);
        var logBeta = BetaFunctions.LogBeta(2, 3);
        foreach (var u in new[] { 1e-100, 1e-20, 1 - 1e-17 })
        {
            var x = table.Quantile(u, NormalFunctions.Quantile(u));
            Assert.Equal(table.Exact(u), x);
            var error = u < 0.5 ? BetaFunctions.LowerTail(2, 3, logBeta, x) - u : BetaFunctions.Regularized(2, 3, logBeta, x) - u;
            Assert.True(Math.Abs(error) <= 1e-12 * Math.Min(u, 1 - u) + 1e-16, $"u = {u}: error {error}");
        }
    }
}
