using CalMiner.Simulation.Correlation;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace CalMiner.Benchmarks.Statistics;

/// <summary>
/// The textbook Iman–Conover, written the direct way for comparison: comparison sorts for every
/// ranking, MathNet matrices for the k×k algebra, one thread. Buffers are kept between calls.
/// </summary>
internal sealed class NaiveImanConover
{
    private double[] _scores = [];
    private double[][] _s = [];
    private double[] _keys = [];
    private int[] _order = [];
    private double[] _sorted = [];

    public void Apply(double[][] columns, CorrelationMatrix target)
    {
        var k = columns.Length;
        var n = columns[0].Length;
        if (_scores.Length != n)
        {
            _scores = new double[n];
            for (var r = 0; r < n; r++)
            {
                _scores[r] = Normal.InvCDF(0, 1, (r + 1.0) / (n + 1.0));
            }

            _s = [.. Enumerable.Range(0, k).Select(_ => new double[n])];
            _keys = new double[n];
            _order = new int[n];
            _sorted = new double[n];
        }

        if (_s.Length < k)
        {
            _s = [.. Enumerable.Range(0, k).Select(_ => new double[n])];
        }

        for (var j = 0; j < k; j++)
        {
            SortOrder(columns[j]);
            for (var p = 0; p < n; p++)
            {
                _s[j][_order[p]] = _scores[p];
            }
        }

        var q = Matrix<double>.Build.Dense(k, k, (i, j) => Dot(_s[i], _s[j]));
        var d = Matrix<double>.Build.DiagonalOfDiagonalArray([.. Enumerable.Range(0, k).Select(i => 1 / Math.Sqrt(q[i, i]))]);
        q = d * q * d;
        var p6 = Matrix<double>.Build.Dense(k, k, (i, j) => i == j ? 1 : 2 * Math.Sin(Math.PI * target[i, j] / 6));
        var t = q.Cholesky().Factor.Inverse().Transpose() * p6.Cholesky().Factor.Transpose();

        var row = new double[k];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < k; j++)
            {
                var sum = 0.0;
                for (var l = 0; l <= j; l++)
                {
                    sum += _s[l][i] * t[l, j];
                }

                row[j] = sum;
            }

            for (var j = 0; j < k; j++)
            {
                _s[j][i] = row[j];
            }
        }

        for (var j = 0; j < k; j++)
        {
            columns[j].CopyTo(_sorted, 0);
            Array.Sort(_sorted);
            SortOrder(_s[j]);
            for (var p = 0; p < n; p++)
            {
                columns[j][_order[p]] = _sorted[p];
            }
        }
    }

    private void SortOrder(double[] values)
    {
        values.CopyTo(_keys, 0);
        for (var i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        Array.Sort(_keys, _order);
    }

    private static double Dot(double[] x, double[] y)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }
}
