using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CalMiner.Economics;

namespace CalMiner.Model;

/// <summary>
/// The IRRs that Newton's method does not settle, found by the steps of <see cref="IrrSearch"/> eight at a time, one
/// search a lane of <see cref="Vector512{T}"/>: every round evaluates what the eight searches ask for with Horner's
/// rule, then moves each on by one step without branching, the cases of the step chosen lane by lane with masks. A
/// search follows exactly the scalar search's arithmetic, so both find the same root, bit for bit. A lane whose search
/// ends takes the next waiting iteration.
/// </summary>
/// <remarks>
/// The scalar machine's branches are hard to predict when eight searches at different steps share a loop; here each
/// round costs the same whatever the searches are doing. Grid indexes are held as doubles (exact for small integers),
/// so that every part of a search's state is a lane of the same kind of vector.
/// </remarks>
internal sealed class IrrSearchBatch(int periods)
{
    private const int Slots = 8;

    // Buckets of the grid's range by a double's exponent and the top 11 bits of its significand: each holds the
    // index of the last grid point at or below the bucket's start.
    private const int BucketShift = 52 - 11;
    private static readonly long FirstBucketBits = BitConverter.DoubleToInt64Bits(IrrSearch.Grid[0]);
    private static readonly ushort[] GridBuckets = BuildBuckets();

    // Waiting iterations: their flows one after another, their sign changes, Newton's root and where their IRR goes.
    private readonly List<(int SignChanges, double NewtonRoot, int Output)> _waiting = [];
    private double[] _waitingFlows = new double[periods * 64];

    // Eight waiting flows side by side, period-major, for the first step of searches that start next to Newton's root.
    private readonly double[] _nextToRoot = new double[periods * Slots];

    // The slots' flows and their positive and negative parts, period-major: [t * Slots + slot].
    private readonly double[] _flows = new double[periods * Slots];
    private readonly double[] _positive = new double[periods * Slots];
    private readonly double[] _negative = new double[periods * Slots];
    private readonly int[] _outputs = new int[Slots];

    /// <summary>
    /// Queues flows that change sign <paramref name="signChanges"/> times, with the root Newton's method settled on (NaN for
    /// none); their IRR goes to index <paramref name="output"/> of <see cref="Solve"/>'s span.
    /// </summary>
    public void Add(ReadOnlySpan<double> flows, int signChanges, double newtonRoot, int output)
    {
        var at = _waiting.Count * periods;
        if (at + periods > _waitingFlows.Length)
        {
            Array.Resize(ref _waitingFlows, 2 * _waitingFlows.Length);
        }

        flows.CopyTo(_waitingFlows.AsSpan(at));
        _waiting.Add((signChanges, newtonRoot, output));
    }

    /// <summary>Runs every queued search to its end and writes each IRR; the queue is then empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Solve(Span<double> irr)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            // Without 256-bit vectors (Arm64, older x64) the lanes would be emulated, slower than the scalar machine,
            // whose roots are the same bits.
            for (var k = 0; k < _waiting.Count; k++)
            {
                var (signChanges, newtonRoot, output) = _waiting[k];
                irr[output] = CashFlowMath.RootSearch(_waitingFlows.AsSpan(k * periods, periods), signChanges, newtonRoot);
            }

            _waiting.Clear();
            return;
        }

        EndNextToRoots(irr);
        var searches = new Searches { Step = Vector512.Create(Searches.DoneStep) };
        var next = 0;
        var held = 0;
        for (var slot = 0; slot < Slots; slot++)
        {
            held |= Load(ref searches, slot, ref next, irr) << slot;
        }

        while (held != 0)
        {
            // P's parts at the ends of the interval a bound step asks about, P at the point another step asks about.
            var a = GridAt(searches.Low);
            var b = GridAt(searches.Far);
            Evaluate(a, b, searches.Point, out var positiveA, out var negativeA, out var positiveB, out var negativeB, out var p);
            searches.Take(a, b, positiveA, negativeA, positiveB, negativeB, p);

            var ended = (int)Vector512.Equals(searches.Step, Vector512.Create(Searches.DoneStep)).ExtractMostSignificantBits() & held;
            for (; ended != 0; ended &= ended - 1)
            {
                var slot = BitOperations.TrailingZeroCount(ended);
                irr[_outputs[slot]] = searches.Rate[slot];
                held = (held & ~(1 << slot)) | (Load(ref searches, slot, ref next, irr) << slot);
            }
        }

        _waiting.Clear();
    }

    /// <summary>
    /// Starts the next waiting iteration's search that needs a lane in <paramref name="slot"/>; 1 if there was one, else 0.
    /// The few searches that start next to Newton's root and <see cref="EndNextToRoots"/> left end in a step or two: the
    /// scalar machine runs those on the way.
    /// </summary>
    private int Load(ref Searches searches, int slot, ref int next, Span<double> irr)
    {
        IrrSearch start;
        ReadOnlySpan<double> flows;
        int output;
        while (true)
        {
            if (next == _waiting.Count)
            {
                return 0;
            }

            (var signChanges, var newtonRoot, output) = _waiting[next];
            if (output < 0)
            {
                next++;
                continue;
            }

            flows = _waitingFlows.AsSpan(next * periods, periods);
            start = IrrSearch.For(flows, signChanges, newtonRoot);
            if (!start.StartsAtNewtonsRoot)
            {
                break;
            }

            irr[output] = CashFlowMath.Run(start, flows);
            next++;
        }

        for (var t = 0; t < periods; t++)
        {
            var i = (t * Slots) + slot;
            (_flows[i], _positive[i], _negative[i]) = (flows[t], Math.Max(flows[t], 0), Math.Max(-flows[t], 0));
        }

        var (step, low, far, jump, sign, root) = start.Position;
        searches.Step = searches.Step.WithElement(slot, step);
        searches.Point = searches.Point.WithElement(slot, start.Point);
        searches.Low = searches.Low.WithElement(slot, low);
        searches.Far = searches.Far.WithElement(slot, far);
        searches.Jump = searches.Jump.WithElement(slot, jump);
        searches.Sign = searches.Sign.WithElement(slot, sign);
        searches.NewtonRoot = searches.NewtonRoot.WithElement(slot, root);
        _outputs[slot] = output;
        next++;
        return 1;
    }

    /// <summary>
    /// Most searches that start next to Newton's root end at their first step with that root (<see cref="IrrSearch.For"/>):
    /// P provably keeps one sign up to the grid point below the root (<see cref="CashFlowMath.SignUpTo"/>) and has the other
    /// at the grid point above it. Those are ended here, eight waiting searches at a time in the lanes, by the same
    /// arithmetic; their outputs become −1 in the queue, and the others go on as before.
    /// </summary>
    private void EndNextToRoots(Span<double> irr)
    {
        var zero = Vector512<double>.Zero;
        var one = Vector512<double>.One;
        for (var first = 0; first < _waiting.Count; first += Slots)
        {
            var count = Math.Min(Slots, _waiting.Count - first);
            var roots = Vector512.Create(double.NaN);
            for (var lane = 0; lane < count; lane++)
            {
                var (signChanges, newtonRoot, _) = _waiting[first + lane];
                if (signChanges > 1 && newtonRoot > IrrSearch.Grid[0] && newtonRoot < CashFlowMath.MaxX)
                {
                    roots = roots.WithElement(lane, newtonRoot);
                }

                var flows = _waitingFlows.AsSpan((first + lane) * periods, periods);
                for (var t = 0; t < periods; t++)
                {
                    _nextToRoot[(t * Slots) + lane] = flows[t];
                }
            }

            var candidates = Vector512.Equals(roots, roots);
            if (candidates == zero)
            {
                continue;
            }

            // The grid points either side of each root: the last one below it, and the next.
            var x = Vector512.ConditionalSelect(candidates, roots, Vector512.Create(CashFlowMath.NewtonStart));
            var index = LastPointAtOrBelow(x);
            index -= Vector512.Equals(GridAt(index), x) & one;
            var (below, above) = (GridAt(index), GridAt(index + one));

            // CashFlowMath.SignUpTo at the point below, and P at the point above.
            Vector512<double> power = one, sum = zero, magnitude = zero;
            Vector512<double> lowest = Vector512.Create(double.PositiveInfinity), highest = Vector512.Create(double.NegativeInfinity);
            for (var t = 0; t < periods; t++)
            {
                var term = Vector512.LoadUnsafe(ref _nextToRoot[t * Slots]) * power;
                sum += term;
                magnitude += Vector512.Abs(term);
                (lowest, highest) = (Vector512.Min(lowest, sum), Vector512.Max(highest, sum));
                power *= below;
            }

            var p = zero;
            for (var t = periods - 1; t >= 0; t--)
            {
                p = p * above + Vector512.LoadUnsafe(ref _nextToRoot[t * Slots]);
            }

            var margin = Vector512.Create(1e-12) * magnitude;
            var rising = Vector512.GreaterThan(lowest, margin);
            var falling = ~rising & Vector512.LessThan(highest, -margin);
            var crossed = (rising & Vector512.LessThan(p, zero)) | (falling & Vector512.GreaterThan(p, zero));
            var ended = candidates & crossed & Vector512.GreaterThan(x, below) & Vector512.LessThanOrEqual(x, above);
            var rates = (one / x) - one;
            for (var lanes = (int)ended.ExtractMostSignificantBits(); lanes != 0; lanes &= lanes - 1)
            {
                var lane = BitOperations.TrailingZeroCount(lanes);
                var (signChanges, newtonRoot, output) = _waiting[first + lane];
                irr[output] = rates[lane];
                _waiting[first + lane] = (signChanges, newtonRoot, -1);
            }
        }
    }

    /// <summary>The index of the last grid point at or below <paramref name="value"/>, −1 for none.</summary>
    /// <remarks>
    /// Positive doubles order as their bits, so a value's top bits name its bucket. A bucket spans at most 2⁻¹¹ of its
    /// start, less than the grid's finest step (0.01 in the rate at a rate of 10, 0.09 % of x), so at most one grid
    /// point lies inside it: the last point at or below the value is the bucket's, or the one after.
    /// </remarks>
    internal static Vector512<double> LastPointAtOrBelow(Vector512<double> value)
    {
        ReadOnlySpan<double> grid = IrrSearch.Grid;
        var first = Vector512.Create(grid[0]);
        var lastPoint = Vector512.Create(grid[^1]);
        var inside = Vector512.GreaterThanOrEqual(value, first) & Vector512.LessThan(value, lastPoint);
        var bucket = Vector512.ShiftRightLogical(Vector512.ConditionalSelect(inside, value, first).AsInt64() - Vector512.Create(FirstBucketBits), BucketShift);
        ReadOnlySpan<ushort> buckets = GridBuckets;
        var candidate = Vector512.Create(
            (double)buckets[(int)bucket[0]], buckets[(int)bucket[1]], buckets[(int)bucket[2]], buckets[(int)bucket[3]],
            buckets[(int)bucket[4]], buckets[(int)bucket[5]], buckets[(int)bucket[6]], buckets[(int)bucket[7]]);
        var one = Vector512<double>.One;
        var index = candidate + (Vector512.LessThanOrEqual(GridAt(candidate + one), value) & one);
        var outside = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(value, lastPoint), Vector512.Create(grid.Length - 1.0), -one);
        return Vector512.ConditionalSelect(inside, index, outside);
    }

    private static ushort[] BuildBuckets()
    {
        var grid = IrrSearch.Grid;
        var buckets = new ushort[((BitConverter.DoubleToInt64Bits(grid[^1]) - FirstBucketBits) >> BucketShift) + 1];
        var index = 0;
        for (var b = 0; b < buckets.Length; b++)
        {
            var start = BitConverter.Int64BitsToDouble(FirstBucketBits + ((long)b << BucketShift));
            while (index + 1 < grid.Length && grid[index + 1] <= start)
            {
                index++;
            }

            buckets[b] = (ushort)index;
        }

        return buckets;
    }

    /// <summary>The grid points at the indexes in <paramref name="index"/>, each held within the grid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> GridAt(Vector512<double> index)
    {
        ReadOnlySpan<double> grid = IrrSearch.Grid;
        var i = Vector512.ConvertToInt64(Vector512.Min(index, Vector512.Create(grid.Length - 1.0)));
        return Vector512.Create(
            grid[(int)i[0]], grid[(int)i[1]], grid[(int)i[2]], grid[(int)i[3]],
            grid[(int)i[4]], grid[(int)i[5]], grid[(int)i[6]], grid[(int)i[7]]);
    }

    /// <summary>
    /// For every slot, Horner's rule for P at x, and for P's positive and negative parts at a and at b, as
    /// <see cref="CashFlowMath"/> evaluates them.
    /// </summary>
    private void Evaluate(
        Vector512<double> a, Vector512<double> b, Vector512<double> x,
        out Vector512<double> positiveA, out Vector512<double> negativeA, out Vector512<double> positiveB, out Vector512<double> negativeB, out Vector512<double> p)
    {
        Vector512<double> pa = default, na = default, pb = default, nb = default, value = default;
        for (var t = periods - 1; t >= 0; t--)
        {
            var i = t * Slots;
            var positive = Vector512.LoadUnsafe(ref _positive[i]);
            var negative = Vector512.LoadUnsafe(ref _negative[i]);
            pa = pa * a + positive;
            na = na * a + negative;
            pb = pb * b + positive;
            nb = nb * b + negative;
            value = value * x + Vector512.LoadUnsafe(ref _flows[i]);
        }

        (positiveA, negativeA, positiveB, negativeB, p) = (pa, na, pb, nb, value);
    }

    /// <summary>The state of eight <see cref="IrrSearch"/>es, one a lane, named as there.</summary>
    private struct Searches
    {
        public Vector512<double> Step, Low, Far, Jump, Sign, Side, Iteration;
        public Vector512<double> PLow, BracketLow, BracketHigh, PHigh, Previous, Point, Rate, NewtonRoot;

        // The steps of IrrSearch, as lane values (the order of IrrSearch.Step).
        public const double BracketLowStep = 0, BracketHighStep = 1, ScanStartStep = 2, ScanBoundsStep = 3, ScanPointStep = 4, ScanLowStep = 5, RefineStep = 6, DoneStep = 7;

        /// <summary>
        /// <see cref="IrrSearch.TakePolynomial"/> in the lanes that asked for P, <see cref="IrrSearch.TakeBounds"/> in those that
        /// asked for bounds; <paramref name="a"/> and <paramref name="b"/> are the grid points at Low and Far.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Take(
            Vector512<double> a, Vector512<double> b,
            Vector512<double> positiveA, Vector512<double> negativeA, Vector512<double> positiveB, Vector512<double> negativeB, Vector512<double> p)
        {
            var zero = Vector512<double>.Zero;
            var one = Vector512<double>.One;
            var last = Vector512.Create(IrrSearch.Grid.Length - 1.0);
            var isBracketLow = Is(BracketLowStep);
            var isBracketHigh = Is(BracketHighStep);
            var isScanStart = Is(ScanStartStep);
            var isScanBounds = Is(ScanBoundsStep);
            var isScanPoint = Is(ScanPointStep);
            var isScanLow = Is(ScanLowStep);
            var isRefine = Is(RefineStep);
            var pIsZero = Vector512.Equals(p, zero);
            var signOfP = SignOf(p);

            // Searches that end here: at a root (finishAt), or without one.
            var finish = zero;
            var finishAt = zero;
            var none = zero;

            // BracketLow: P at 1/11.
            var ends = isBracketLow & pIsZero;
            (finish, finishAt) = (finish | ends, Vector512.ConditionalSelect(ends, Vector512.Create(CashFlowMath.MinX), finishAt));
            var goes = isBracketLow & ~pIsZero;
            PLow = Vector512.ConditionalSelect(goes, p, PLow);
            Step = Vector512.ConditionalSelect(goes, Vector512.Create(BracketHighStep), Step);
            Point = Vector512.ConditionalSelect(goes, Vector512.Create(CashFlowMath.MaxX), Point);

            // BracketHigh: P at 100; no sign change means no root, else regula falsi on the whole range.
            var sameSign = isBracketHigh & Vector512.Equals(signOfP, SignOf(PLow));
            none |= sameSign;
            var refineWhole = isBracketHigh & ~sameSign;

            // ScanStart: P at the first grid point.
            ends = isScanStart & pIsZero;
            (finish, finishAt) = (finish | ends, Vector512.ConditionalSelect(ends, Vector512.Create(IrrSearch.Grid[0]), finishAt));
            var scanning = isScanStart & ~pIsZero;
            Sign = Vector512.ConditionalSelect(scanning, signOfP, Sign);
            Low = Vector512.ConditionalSelect(scanning, zero, Low);
            Jump = Vector512.ConditionalSelect(scanning, Vector512.Create((double)IrrSearch.FirstJump), Jump);

            // ScanPoint: P at the grid point after Low.
            var high = isScanPoint == zero ? zero : GridAt(Low + one);
            ends = isScanPoint & pIsZero & Vector512.LessThan(high, Vector512.Create(CashFlowMath.MaxX));
            (finish, finishAt) = (finish | ends, Vector512.ConditionalSelect(ends, high, finishAt));
            var crossed = isScanPoint & ~ends & ~Vector512.Equals(signOfP, Sign);
            var atTheTop = crossed & Vector512.Equals(high, Vector512.Create(CashFlowMath.MaxX)) & pIsZero;
            none |= atTheTop;
            var atNewton = crossed & ~atTheTop & Vector512.GreaterThan(NewtonRoot, a) & Vector512.LessThanOrEqual(NewtonRoot, high);
            (finish, finishAt) = (finish | atNewton, Vector512.ConditionalSelect(atNewton, NewtonRoot, finishAt));
            var bracketed = crossed & ~atTheTop & ~atNewton;
            BracketHigh = Vector512.ConditionalSelect(bracketed, high, BracketHigh);
            PHigh = Vector512.ConditionalSelect(bracketed, p, PHigh);
            Step = Vector512.ConditionalSelect(bracketed, Vector512.Create(ScanLowStep), Step);
            Point = Vector512.ConditionalSelect(bracketed, a, Point);
            var moves = isScanPoint & ~ends & ~crossed;
            Low = Vector512.ConditionalSelect(moves, Low + one, Low);
            Jump = Vector512.ConditionalSelect(moves, Vector512.Create(2.0), Jump);
            scanning |= moves;

            // ScanLow: P at the low end of the bracket, then regula falsi on it.
            var refineBracket = isScanLow;

            // ScanBounds: jump to Far where P provably keeps its sign, else as far as the chord reaches.
            TakeBounds(isScanBounds, a, b, positiveA, negativeA, positiveB, negativeB);
            scanning |= isScanBounds;

            // Refine: one step of Illinois regula falsi.
            var x = Point;
            ends = isRefine & (pIsZero
                | Vector512.LessThanOrEqual(BracketHigh - BracketLow, Vector512.Create(1e-15) * BracketHigh)
                | Vector512.LessThanOrEqual(Vector512.Abs(x - Previous), Vector512.Create(1e-16) * x));
            (finish, finishAt) = (finish | ends, Vector512.ConditionalSelect(ends, x, finishAt));
            var refines = isRefine & ~ends;
            Previous = Vector512.ConditionalSelect(refines, x, Previous);
            var lowSide = refines & Vector512.Equals(signOfP, SignOf(PLow));
            var highSide = refines & ~lowSide;
            // Halving by a product: x·0.5 is x/2 exactly, and cheaper.
            var half = Vector512.Create(0.5);
            PHigh = Vector512.ConditionalSelect(lowSide & Vector512.Equals(Side, -one), PHigh * half, PHigh);
            PLow = Vector512.ConditionalSelect(highSide & Vector512.Equals(Side, one), PLow * half, PLow);
            BracketLow = Vector512.ConditionalSelect(lowSide, x, BracketLow);
            PLow = Vector512.ConditionalSelect(lowSide, p, PLow);
            BracketHigh = Vector512.ConditionalSelect(highSide, x, BracketHigh);
            PHigh = Vector512.ConditionalSelect(highSide, p, PHigh);
            Side = Vector512.ConditionalSelect(lowSide, -one, Vector512.ConditionalSelect(highSide, one, Side));
            Iteration = Vector512.ConditionalSelect(refines, Iteration + one, Iteration);

            // IrrSearch.Scan: past the grid there is no root; a jump of more than one point asks for bounds, else P at the next point.
            var off = scanning & Vector512.GreaterThanOrEqual(Low, last);
            none |= off;
            var bounds = scanning & ~off & Vector512.GreaterThan(Jump, one);
            Far = Vector512.ConditionalSelect(bounds, Vector512.Min(last, Low + Jump), Far);
            Step = Vector512.ConditionalSelect(bounds, Vector512.Create(ScanBoundsStep), Step);
            var points = scanning & ~off & ~bounds;
            if (points != zero)
            {
                Step = Vector512.ConditionalSelect(points, Vector512.Create(ScanPointStep), Step);
                Point = Vector512.ConditionalSelect(points, GridAt(Low + one), Point);
            }

            // IrrSearch.StartRefining.
            var starts = refineWhole | refineBracket;
            BracketLow = Vector512.ConditionalSelect(refineWhole, Vector512.Create(CashFlowMath.MinX), Vector512.ConditionalSelect(refineBracket, a, BracketLow));
            PLow = Vector512.ConditionalSelect(refineBracket, p, PLow);
            BracketHigh = Vector512.ConditionalSelect(refineWhole, Vector512.Create(CashFlowMath.MaxX), BracketHigh);
            PHigh = Vector512.ConditionalSelect(refineWhole, p, PHigh);
            Side = Vector512.ConditionalSelect(starts, zero, Side);
            Previous = Vector512.ConditionalSelect(starts, Vector512.Create(double.NaN), Previous);
            Iteration = Vector512.ConditionalSelect(starts, zero, Iteration);
            Step = Vector512.ConditionalSelect(starts, Vector512.Create(RefineStep), Step);

            // IrrSearch.NextTrial: the chord's root where it falls inside the bracket, else the middle.
            var trials = starts | refines;
            var middle = Vector512.Create(0.5) * (BracketLow + BracketHigh);
            var spent = trials & Vector512.Equals(Iteration, Vector512.Create((double)IrrSearch.MaxRefinements));
            (finish, finishAt) = (finish | spent, Vector512.ConditionalSelect(spent, middle, finishAt));
            var chord = ((BracketLow * PHigh) - (BracketHigh * PLow)) / (PHigh - PLow);
            var inside = Vector512.GreaterThan(chord, BracketLow) & Vector512.LessThan(chord, BracketHigh);
            Point = Vector512.ConditionalSelect(trials & ~spent, Vector512.ConditionalSelect(inside, chord, middle), Point);

            // IrrSearch.Finish, and the searches that end without a rate.
            var ending = finish | none;
            if (ending != zero)
            {
                Rate = Vector512.ConditionalSelect(finish, (one / finishAt) - one, Vector512.ConditionalSelect(none, Vector512.Create(double.NaN), Rate));
                Step = Vector512.ConditionalSelect(ending, Vector512.Create(DoneStep), Step);
            }
        }

        /// <summary>
        /// <see cref="IrrSearch.TakeBounds"/> in the <paramref name="lanes"/> given: Low moves to Far and the jump doubles
        /// where P provably keeps its sign on [a, b]; elsewhere Low moves to the last grid point before Far that the chord
        /// reaches (a binary search over all the lanes at once) and the jump is quartered.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void TakeBounds(
            Vector512<double> lanes, Vector512<double> a, Vector512<double> b,
            Vector512<double> positiveA, Vector512<double> negativeA, Vector512<double> positiveB, Vector512<double> negativeB)
        {
            if (lanes == Vector512<double>.Zero)
            {
                return;
            }

            var margin = Vector512.Create(1e-12) * (positiveB + negativeB);
            var rising = Vector512.GreaterThan(Sign, Vector512<double>.Zero);
            var lead = Vector512.ConditionalSelect(rising, positiveA, negativeA);
            var against = Vector512.ConditionalSelect(rising, negativeA, positiveA);
            var againstAtB = Vector512.ConditionalSelect(rising, negativeB, positiveB);
            var proven = Vector512.GreaterThan(lead - againstAtB, margin);
            var reach = a + ((b - a) * ((lead - against - (Vector512.Create(2.0) * margin)) / (againstAtB - against)));

            // The binary search of IrrSearch.TakeBounds finds the last grid point in [Low, Far) at or below the reach, else Low.
            var low = Vector512.Max(Low, Vector512.Min(IrrSearchBatch.LastPointAtOrBelow(reach), Far - Vector512<double>.One));
            Low = Vector512.ConditionalSelect(lanes, Vector512.ConditionalSelect(proven, Far, low), Low);
            Jump = Vector512.ConditionalSelect(lanes, Vector512.ConditionalSelect(proven, Jump * Vector512.Create(2.0), Vector512.Floor(Jump * Vector512.Create(0.25))), Jump);
        }

        private readonly Vector512<double> Is(double step) => Vector512.Equals(Step, Vector512.Create(step));

        /// <summary><see cref="Math.Sign(double)"/> in every lane, as −1, 0 or 1.</summary>
        private static Vector512<double> SignOf(Vector512<double> value) =>
            (Vector512.GreaterThan(value, Vector512<double>.Zero) & Vector512<double>.One)
            - (Vector512.LessThan(value, Vector512<double>.Zero) & Vector512<double>.One);
    }
}
