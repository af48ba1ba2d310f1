namespace CalMiner.Simulation.Correlation;

/// <summary>
/// Reusable memory of <see cref="ImanConover"/>: one column of scores and one of sort order per input,
/// and the score table of the last run length. A simulation keeps
/// one and passes it to every run, so repeated runs allocate nothing large. Not thread-safe: one
/// run at a time.
/// </summary>
internal sealed class ImanConoverWorkspace
{
    private double[][] _scoreColumns = [];
    private int[][] _orderColumns = [];
    private double[] _scores = [];
    private int _scoresLength = -1;

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

    /// <summary>The score columns reserved by <see cref="Reserve"/>.</summary>
    internal double[][] ScoreColumns => _scoreColumns;

    /// <summary>Score column j (at least n long), kept between runs.</summary>
    internal double[] ScoreColumn(int j, int n) => Column(ref _scoreColumns, j, n);

    /// <summary>Sort-order column j (at least n long), kept between runs.</summary>
    internal int[] OrderColumn(int j, int n) => Column(ref _orderColumns, j, n);

    /// <summary>Makes sure columns 0..k−1 exist before they are used from several threads.</summary>
    internal void Reserve(int k, int n)
    {
        for (var j = 0; j < k; j++)
        {
            ScoreColumn(j, n);
            OrderColumn(j, n);
        }
    }

    private static T[] Column<T>(ref T[][] columns, int j, int n)
    {
        if (columns.Length <= j)
        {
            Array.Resize(ref columns, j + 1);
        }

        if (columns[j] is not { } column || column.Length < n)
        {
            column = new T[n];
            columns[j] = column;
        }

        return column;
    }
}
