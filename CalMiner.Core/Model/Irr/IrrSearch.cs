using CalMiner.Economics;
using CalMiner.Numerics;

namespace CalMiner.Model;

/// <summary>
/// The search for the largest IRR when Newton's method does not settle it (see <see cref="CashFlowMath.Irr"/>), as a
/// machine that asks for one evaluation of the flows' polynomial P at a time and is given the answer. The scalar
/// model drives one search with plain loops; the simulation drives many side by side in vector lanes. Both take
/// exactly the same steps, so both find the same root, bit for bit.
/// </summary>
/// <remarks>
/// <para>
/// Flows that change sign once have one root in x = 1/(1 + r): P is evaluated at both ends of [1/11, 100) and, when
/// they differ in sign, the root is refined by Illinois regula falsi, which keeps the bracket.
/// </para>
/// <para>
/// Other flows are scanned for the first sign change of P, x upward from 1/11 (rates downward from 10): in steps of
/// at most 0.01 in the rate, and of at most 3.5 % in 1 + r where that is finer (towards −0.99). Runs of grid points
/// where P provably keeps its sign are skipped in growing jumps (see <see cref="NeedsBounds"/>), so only the points
/// near the first sign change are evaluated; the bracket is the one a point-by-point scan would find. When the root
/// Newton's method settled on lies in it, that is the root; otherwise the root is refined from the bracket.
/// </para>
/// </remarks>
internal struct IrrSearch
{
    /// <summary>Steps of the scan for the smallest root in x (the largest IRR): about 3.5 % in 1 + r, and at most 0.01 in r.</summary>
    private const int ScanPoints = 200;

    private const double ScanRateStep = 0.01;

    /// <summary>Grid points the scan first tries to prove it can jump over.</summary>
    internal const int FirstJump = 128;

    /// <summary>Steps of regula falsi before the search settles for the middle of its bracket.</summary>
    internal const int MaxRefinements = 200;

    /// <summary>The points of the scan: 1/11, then each step from the last, up to 100.</summary>
    internal static readonly double[] Grid = BuildGrid();

    private Step _step;
    private int _low, _far, _jump, _sign, _side, _iteration;
    private double _pLow, _bracketLow, _bracketHigh, _pHigh, _previous, _newtonRoot;

    private enum Step
    {
        BracketLow,
        BracketHigh,
        ScanStart,
        ScanBounds,
        ScanPoint,
        ScanLow,
        Refine,
        Done,
    }

    /// <summary>A search for flows that change sign <paramref name="signChanges"/> times (at least once).</summary>
    /// <param name="cashFlows">The flows, P's coefficients.</param>
    /// <param name="signChanges">How often the flows change sign.</param>
    /// <param name="newtonRoot">The root of P that Newton's method settled on, NaN for none.</param>
    /// <remarks>
    /// A scan starts from the grid point before Newton's root, or the one before that, when P provably keeps its sign
    /// up to there (<see cref="CashFlowMath.SignUpTo"/>): the scan from 1/11 would have found no sign change before it,
    /// so it finds the same bracket. Otherwise it starts from 1/11.
    /// </remarks>
    public static IrrSearch For(ReadOnlySpan<double> cashFlows, int signChanges, double newtonRoot)
    {
        if (signChanges == 1)
        {
            return new IrrSearch { _step = Step.BracketLow, Point = CashFlowMath.MinX };
        }

        if (newtonRoot > Grid[0] && newtonRoot < CashFlowMath.MaxX)
        {
            // The last grid point below the root.
            var below = Array.BinarySearch(Grid, newtonRoot);
            below = (below >= 0 ? below : ~below) - 1;
            for (var low = below; low >= Math.Max(0, below - 1); low--)
            {
                var sign = CashFlowMath.SignUpTo(cashFlows, Grid[low]);
                if (sign != 0)
                {
                    var search = new IrrSearch { _sign = sign, _low = low, _jump = 1, _newtonRoot = newtonRoot };
                    search.Scan();
                    return search;
                }
            }
        }

        return new IrrSearch { _step = Step.ScanStart, Point = Grid[0], _newtonRoot = newtonRoot };
    }

    public readonly bool Done => _step == Step.Done;

    /// <summary>The IRR once <see cref="Done"/>, NaN when there is none.</summary>
    public double Rate { get; private set; }

    /// <summary>
    /// Whether the search next asks for P's positive and negative parts at <see cref="BoundsLow"/> and
    /// <see cref="BoundsHigh"/> (answered through <see cref="TakeBounds"/>); otherwise it asks for P at <see cref="Point"/>.
    /// </summary>
    public readonly bool NeedsBounds => _step == Step.ScanBounds;

    public readonly double BoundsLow => Grid[_low];

    public readonly double BoundsHigh => Grid[_far];

    /// <summary>Where the search next needs P, unless it <see cref="NeedsBounds"/>.</summary>
    public double Point { get; private set; }

    /// <summary>Whether the scan starts next to Newton's root, proven: most such searches end at the next step.</summary>
    internal readonly bool StartsAtNewtonsRoot => _step == Step.ScanPoint;

    /// <summary>Where a search stands between steps, for the simulation to carry on in vector lanes: its step (as a number), scan position, jump, sign and Newton's root.</summary>
    internal readonly (int Step, int Low, int Far, int Jump, int Sign, double NewtonRoot) Position => ((int)_step, _low, _far, _jump, _sign, _newtonRoot);

    /// <summary>Gives the search P at <see cref="Point"/>.</summary>
    public void TakePolynomial(double p)
    {
        switch (_step)
        {
            case Step.BracketLow:
                if (p == 0)
                {
                    Finish(CashFlowMath.MinX);
                    return;
                }

                (_pLow, _step, Point) = (p, Step.BracketHigh, CashFlowMath.MaxX);
                return;
            case Step.BracketHigh:
                if (Math.Sign(p) == Math.Sign(_pLow))
                {
                    Rate = double.NaN;
                    _step = Step.Done;
                    return;
                }

                StartRefining(CashFlowMath.MinX, _pLow, CashFlowMath.MaxX, p);
                return;
            case Step.ScanStart:
                if (p == 0)
                {
                    Finish(Grid[0]);
                    return;
                }

                (_sign, _low, _jump) = (Math.Sign(p), 0, FirstJump);
                Scan();
                return;
            case Step.ScanPoint:
                var high = Grid[_low + 1];
                if (p == 0 && high < CashFlowMath.MaxX)
                {
                    Finish(high);
                }
                else if (Math.Sign(p) != _sign)
                {
                    if (high == CashFlowMath.MaxX && p == 0)
                    {
                        Rate = double.NaN;
                        _step = Step.Done;
                        return;
                    }

                    // Newton's root in the bracket is the bracket's root, to the last bits the refinement would reach.
                    if (_newtonRoot > Grid[_low] && _newtonRoot <= high)
                    {
                        Finish(_newtonRoot);
                        return;
                    }

                    // P at the low end of the bracket may not have been evaluated: the scan may have jumped there.
                    (_bracketHigh, _pHigh, _step, Point) = (high, p, Step.ScanLow, Grid[_low]);
                }
                else
                {
                    (_low, _jump) = (_low + 1, 2);
                    Scan();
                }

                return;
            case Step.ScanLow:
                StartRefining(Grid[_low], p, _bracketHigh, _pHigh);
                return;
            case Step.Refine:
                Refine(p);
                return;
            default:
                ThrowHelper.ThrowInvalidOperation($"The search does not need P at {_step}.");
                return;
        }
    }

    /// <summary>
    /// Gives the search P's positive and negative parts (see <see cref="CashFlowMath.Parts"/>) at both ends of the
    /// interval it asked about, [a, b]. Both parts grow with x, so on [a, b] P ≥ P₊(a) − P₋(x) and P ≤ P₊(x) − P₋(a):
    /// when the part against the sign cannot catch up by b, P keeps its sign on all of [a, b]. Otherwise that part,
    /// being convex (its coefficients are ≥ 0), stays under its chord, which still proves the sign up to where the
    /// chord catches up; the scan moves there and tries a quarter of the jump.
    /// </summary>
    public void TakeBounds(double positiveA, double negativeA, double positiveB, double negativeB)
    {
        // Horner's rule errs by less than 2n·2⁻⁵³ of Σ|cᵢ|xⁱ; 1e-12 of it covers any realistic number of periods.
        var margin = 1e-12 * (positiveB + negativeB);
        var (lead, against, againstAtB) = _sign > 0 ? (positiveA, negativeA, negativeB) : (negativeA, positiveA, positiveB);
        if (lead - againstAtB > margin)
        {
            (_low, _jump) = (_far, _jump * 2);
        }
        else
        {
            // Twice the margin, for the rounding of the chord itself.
            double a = Grid[_low], b = Grid[_far];
            var reach = a + (b - a) * ((lead - against - 2 * margin) / (againstAtB - against));
            // The last grid point before the far end that the chord reaches, by a binary search without branches: the
            // answer stays in [low, low + count).
            var low = _low;
            for (var count = _far - _low; count > 1; count -= count / 2)
            {
                low = Grid[low + (count / 2)] <= reach ? low + (count / 2) : low;
            }

            (_low, _jump) = (low, _jump / 4);
        }

        Scan();
    }

    private void Scan()
    {
        if (_low >= Grid.Length - 1)
        {
            Rate = double.NaN;
            _step = Step.Done;
        }
        else if (_jump > 1)
        {
            (_far, _step) = (Math.Min(Grid.Length - 1, _low + _jump), Step.ScanBounds);
        }
        else
        {
            (_step, Point) = (Step.ScanPoint, Grid[_low + 1]);
        }
    }

    /// <summary>Illinois regula falsi on [low, high], where P changes sign.</summary>
    private void StartRefining(double low, double pLow, double high, double pHigh)
    {
        (_bracketLow, _pLow, _bracketHigh, _pHigh) = (low, pLow, high, pHigh);
        (_side, _previous, _iteration, _step) = (0, double.NaN, 0, Step.Refine);
        NextTrial();
    }

    private void NextTrial()
    {
        if (_iteration == MaxRefinements)
        {
            Finish(0.5 * (_bracketLow + _bracketHigh));
            return;
        }

        var x = (_bracketLow * _pHigh - _bracketHigh * _pLow) / (_pHigh - _pLow);
        Point = x > _bracketLow && x < _bracketHigh ? x : 0.5 * (_bracketLow + _bracketHigh);
    }

    private void Refine(double p)
    {
        var x = Point;
        if (p == 0 || _bracketHigh - _bracketLow <= 1e-15 * _bracketHigh || Math.Abs(x - _previous) <= 1e-16 * x)
        {
            Finish(x);
            return;
        }

        _previous = x;
        if (Math.Sign(p) == Math.Sign(_pLow))
        {
            (_bracketLow, _pLow) = (x, p);
            if (_side == -1)
            {
                _pHigh /= 2;
            }

            _side = -1;
        }
        else
        {
            (_bracketHigh, _pHigh) = (x, p);
            if (_side == 1)
            {
                _pLow /= 2;
            }

            _side = 1;
        }

        _iteration++;
        NextTrial();
    }

    /// <summary>Ends the search at the root x = 1/(1 + r).</summary>
    private void Finish(double x)
    {
        Rate = 1 / x - 1;
        _step = Step.Done;
    }

    private static double[] BuildGrid()
    {
        var ratio = PortableMath.Pow(CashFlowMath.MaxX / CashFlowMath.MinX, 1.0 / ScanPoints);
        var grid = new List<double> { CashFlowMath.MinX };
        for (var low = CashFlowMath.MinX; low < CashFlowMath.MaxX;)
        {
            var rate = 1 / low - 1;
            low = Math.Min(CashFlowMath.MaxX, Math.Min(low * ratio, 1 / (1 + rate - ScanRateStep)));
            grid.Add(low);
        }

        return [.. grid];
    }
}
