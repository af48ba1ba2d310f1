using MathNet.Numerics.LinearAlgebra;

namespace CalMiner.Simulation.Correlation;

/// <summary>
/// The nearest correlation matrix in the Frobenius norm, by Higham's alternating projections with
/// Dykstra's correction (N. J. Higham, "Computing the nearest correlation matrix — a problem from
/// finance", IMA J. Numer. Anal. 22 (2002) 329–343): project in turn onto the positive
/// semi-definite matrices (clip negative eigenvalues) and onto the unit-diagonal matrices.
/// </summary>
internal static class NearestCorrelation
{
    private const int MaxIterations = 2000;
    private const double Tolerance = 1e-12;

    /// <summary>
    /// Smallest eigenvalue the result keeps: a hair above 0 so that it is positive definite for the
    /// Cholesky factorisation (the projections alone converge to a singular matrix).
    /// </summary>
    private const double EigenvalueFloor = 1e-8;

    /// <summary>The nearest valid correlation matrix to a symmetric matrix (names kept).</summary>
    public static CorrelationMatrix Find(CorrelationMatrix matrix)
    {
        var size = matrix.Size;
        var y = Matrix<double>.Build.Dense(size, size, matrix.CopyValues());
        y = (y + y.Transpose()) / 2;
        var correction = Matrix<double>.Build.Dense(size, size);
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var r = y - correction;
            var x = ClipEigenvalues(r, 0);
            correction = x - r;
            var previous = y;
            y = x.Clone();
            for (var i = 0; i < size; i++)
            {
                y[i, i] = 1;
            }

            var scale = y.FrobeniusNorm();
            if ((y - x).FrobeniusNorm() <= Tolerance * scale && (y - previous).FrobeniusNorm() <= Tolerance * scale)
            {
                break;
            }
        }

        // Floor the eigenvalues, then rescale to a unit diagonal; a congruence keeps it positive definite.
        var floored = ClipEigenvalues(y, EigenvalueFloor);
        var result = new double[size * size];
        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j < size; j++)
            {
                result[(i * size) + j] = i == j ? 1 : floored[i, j] / Math.Sqrt(floored[i, i] * floored[j, j]);
            }
        }

        // Exact symmetry, whatever the rounding of the products above.
        for (var i = 0; i < size; i++)
        {
            for (var j = i + 1; j < size; j++)
            {
                result[(j * size) + i] = result[(i * size) + j];
            }
        }

        return CorrelationMatrix.FromRowMajor(size, result, matrix.Names);
    }

    private static Matrix<double> ClipEigenvalues(Matrix<double> symmetric, double floor)
    {
        var evd = symmetric.Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues.Map(c => Math.Max(c.Real, floor));
        var vectors = evd.EigenVectors;
        return vectors * Matrix<double>.Build.DiagonalOfDiagonalVector(values) * vectors.Transpose();
    }
}
