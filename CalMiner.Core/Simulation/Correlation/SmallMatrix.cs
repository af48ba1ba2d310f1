namespace CalMiner.Simulation.Correlation;

/// <summary>Small dense k×k helpers (row-major), for k up to a few dozen inputs.</summary>
internal static class SmallMatrix
{
    /// <summary>
    /// Lower Cholesky factor L with A = L·Lᵀ of a symmetric positive semi-definite matrix. A pivot
    /// within <paramref name="tolerance"/> of 0 gives a zero column (a singular but valid matrix,
    /// e.g. a correlation of exactly 1); a pivot below −tolerance means A is not positive
    /// semi-definite and the factorisation fails.
    /// </summary>
    public static bool TryCholesky(ReadOnlySpan<double> a, int size, Span<double> lower, double tolerance = 1e-10)
    {
        lower.Clear();
        for (var j = 0; j < size; j++)
        {
            var d = a[(j * size) + j];
            for (var m = 0; m < j; m++)
            {
                d -= lower[(j * size) + m] * lower[(j * size) + m];
            }

            if (d < -tolerance)
            {
                return false;
            }

            if (d <= tolerance)
            {
                continue;
            }

            var pivot = Math.Sqrt(d);
            lower[(j * size) + j] = pivot;
            for (var i = j + 1; i < size; i++)
            {
                var s = a[(i * size) + j];
                for (var m = 0; m < j; m++)
                {
                    s -= lower[(i * size) + m] * lower[(j * size) + m];
                }

                lower[(i * size) + j] = s / pivot;
            }
        }

        return true;
    }

    /// <summary>Inverse of a lower-triangular matrix with a non-zero diagonal (forward substitution).</summary>
    public static void InvertLower(ReadOnlySpan<double> lower, int size, Span<double> inverse)
    {
        inverse.Clear();
        for (var j = 0; j < size; j++)
        {
            inverse[(j * size) + j] = 1 / lower[(j * size) + j];
            for (var i = j + 1; i < size; i++)
            {
                var s = 0.0;
                for (var m = j; m < i; m++)
                {
                    s -= lower[(i * size) + m] * inverse[(m * size) + j];
                }

                inverse[(i * size) + j] = s / lower[(i * size) + i];
            }
        }
    }
}
