using CalMiner.Simulation.Statistics;

namespace CalMiner.Core.Tests.Simulation.Statistics;

public sealed class ReductionsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(4_096)]
    [InlineData(4_099)]
    public void MeanAndSquares_AgreeWithTwoPlainPasses_AtEveryLengthAroundTheVectors(int length)
    {
        // An input like a G&A cost: a large mean and a spread of a tenth, where a careless formula loses digits.
        var random = new Random(length);
        var values = Enumerable.Range(0, length).Select(_ => 15_000_000 * (0.9 + 0.2 * random.NextDouble())).ToArray();
        var mean = values.Sum() / length;
        var squares = values.Sum(x => (x - mean) * (x - mean));

        var (actualMean, actualSquares) = Reductions.MeanAndSquares(values);

        Assert.Equal(mean, actualMean, 1e-12 * mean);
        Assert.Equal(squares, actualSquares, 1e-10 * squares + 1e-300);
    }
}
