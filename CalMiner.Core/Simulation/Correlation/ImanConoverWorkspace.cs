namespace CalMiner.Simulation.Correlation;

/// <summary>
/// Reusable memory of <see cref="ImanConover"/>: the score table of the last run length and the radix sort's
/// scratch. Not thread-safe: one run at a time.
/// </summary>
internal sealed class ImanConoverWorkspace
{
    private double[] _scores = [];
    private int _scoresLength = -1;
    private uint[] _keys = [];
    private int[] _order = [];

    /// <summary>Van der Waerden scores Φ⁻¹((r + 1)/(n + 1)), r = 0..n−1, computed once per n.</summary>
    internal ReadOnlyMemory<double> Scores(int n)
    {
        if (_scoresLength != n)
        {
            if (_scores.Length < n)
            {
                _scores = new double[n];
            }

            NormalScores.Fill(_scores.AsSpan(0, n));
            _scoresLength = n;
        }

        return _scores.AsMemory(0, n);
    }

    /// <summary>Keys (2n: the keys, then scratch) and an order column (n) for ranking n scores.</summary>
    internal (uint[] Keys, int[] Order) RadixScratch(int n)
    {
        if (_order.Length < n)
        {
            (_keys, _order) = (new uint[2 * n], new int[n]);
        }

        return (_keys, _order);
    }
}
