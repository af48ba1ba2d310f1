using CalMiner.Simulation.Sampling;

namespace CalMiner.Tests.Simulation.Sampling;

public class StratumPermutationTests
{
    public static TheoryData<int, int, int> Ranges => new()
    {
        // n, first, length: tiny permutations; ranges that start off a vector boundary, end in a partial vector and
        // span blocks; and 2^22 + 1 strata, where three elements in four fall outside and walk several times.
        { 1, 0, 1 },
        { 2, 0, 2 },
        { 17, 0, 17 },
        { 33, 3, 29 },
        { 1_000, 7, 993 },
        { 65_537, 12_345, 40_003 },
        { (1 << 22) + 1, 4_000_000, 5_003 },
    };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Fill_EqualsTheElementByElementPermutation(int n, int first, int length)
    {
        var permutation = new StratumPermutation(0x5EED, n);
        var filled = new int[length];
        permutation.Fill(first, filled);
        Assert.Equal(Enumerable.Range(first, length).Select(i => permutation[i]), filled);
    }

    [Fact]
    public void Fill_IsAPermutationOfTheStrata()
    {
        const int N = 100_003;
        var strata = new int[N];
        new StratumPermutation(42, N).Fill(0, strata);
        Assert.Equal(Enumerable.Range(0, N), strata.Order());
    }
}
