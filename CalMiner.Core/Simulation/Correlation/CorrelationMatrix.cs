using CalMiner.Scenarios;

namespace CalMiner.Simulation.Correlation;

/// <summary>
/// A square matrix of target rank correlations between the uncertain parameters of a run, in the
/// order of the run's input columns. Immutable; it is not necessarily valid: see
/// <see cref="CorrelationMatrixValidation"/>.
/// </summary>
internal sealed class CorrelationMatrix
{
    private readonly double[] _values;

    private CorrelationMatrix(int size, double[] values, IReadOnlyList<string>? names)
    {
        Size = size;
        _values = values;
        Names = names;
    }

    /// <summary>Number of parameters (rows and columns).</summary>
    public int Size { get; }

    /// <summary>Parameter names in row order, when known; messages use them.</summary>
    public IReadOnlyList<string>? Names { get; }

    /// <summary>The entries, row after row.</summary>
    public ReadOnlySpan<double> Values => _values;

    public double this[int row, int column] => _values[(row * Size) + column];

    /// <summary>True when every off-diagonal entry is 0: the inputs are independent and need no reordering.</summary>
    public bool IsIdentity
    {
        get
        {
            for (var i = 0; i < Size; i++)
            {
                for (var j = 0; j < Size; j++)
                {
                    if (this[i, j] != (i == j ? 1 : 0))
                    {
                        return false;
                    }
                }
            }

            return true;
        }
    }

    public static CorrelationMatrix Identity(int size, IReadOnlyList<string>? names = null)
    {
        var values = new double[size * size];
        for (var i = 0; i < size; i++)
        {
            values[(i * size) + i] = 1;
        }

        return new CorrelationMatrix(size, values, names);
    }

    /// <summary>A matrix from its entries, row after row (copied).</summary>
    public static CorrelationMatrix FromRowMajor(int size, ReadOnlySpan<double> values, IReadOnlyList<string>? names = null)
    {
        if (values.Length != size * size)
        {
            ThrowHelper.ThrowArgument(nameof(values), $"A {size}×{size} matrix has {size * size} entries, not {values.Length}.");
        }

        return new CorrelationMatrix(size, values.ToArray(), names);
    }

    public static CorrelationMatrix FromArray(double[,] values, IReadOnlyList<string>? names = null)
    {
        var size = values.GetLength(0);
        if (values.GetLength(1) != size)
        {
            ThrowHelper.ThrowArgument(nameof(values), "A correlation matrix is square.");
        }

        var copy = new double[size * size];
        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j < size; j++)
            {
                copy[(i * size) + j] = values[i, j];
            }
        }

        return new CorrelationMatrix(size, copy, names);
    }

    /// <summary>
    /// The matrix over <paramref name="names"/> (the run's input columns, in order) with the given
    /// pairwise rank correlations; pairs not given are 0, the diagonal is 1.
    /// </summary>
    /// <exception cref="ArgumentException">A pair names a parameter not in <paramref name="names"/>, a parameter with itself, or the same pair twice.</exception>
    public static CorrelationMatrix FromPairs(IReadOnlyList<string> names, IEnumerable<Scenarios.Correlation> pairs)
    {
        var index = new Dictionary<string, int>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            index.Add(names[i], i);
        }

        var size = names.Count;
        var values = Identity(size).CopyValues();
        var seen = new HashSet<(int, int)>();
        foreach (var pair in pairs)
        {
            var a = Lookup(pair.A);
            var b = Lookup(pair.B);
            if (a == b)
            {
                ThrowHelper.ThrowArgument(nameof(pairs), $"The correlation of \"{pair.A}\" with itself is always 1 and cannot be set.");
            }

            if (!seen.Add((Math.Min(a, b), Math.Max(a, b))))
            {
                ThrowHelper.ThrowArgument(nameof(pairs), $"The correlation of \"{pair.A}\" and \"{pair.B}\" is given twice.");
            }

            values[(a * size) + b] = pair.Rank;
            values[(b * size) + a] = pair.Rank;
        }

        return new CorrelationMatrix(size, values, names);

        int Lookup(string name) =>
            index.TryGetValue(name, out var i)
                ? i
                : ThrowHelper.ThrowArgument<int>(nameof(pairs), $"A correlation names \"{name}\", which is not one of the uncertain parameters.");
    }

    /// <summary>A copy of the entries, row after row.</summary>
    public double[] CopyValues() => (double[])_values.Clone();

    public double[,] ToArray()
    {
        var result = new double[Size, Size];
        for (var i = 0; i < Size; i++)
        {
            for (var j = 0; j < Size; j++)
            {
                result[i, j] = this[i, j];
            }
        }

        return result;
    }

    /// <summary>The name of parameter <paramref name="i"/>, or "#i" when names are not known.</summary>
    public string NameOf(int i) => Names is { } names && i < names.Count ? names[i] : $"#{i}";
}
