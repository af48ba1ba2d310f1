using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using CalMiner.Economics;

namespace CalMiner.Simulation.Engine;

/// <summary>
/// The IRRs that Newton's method does not settle, found by <see cref="IrrSearch"/> as the scalar model finds them,
/// eight at a time: each slot holds one iteration's flows at its own step of its own search, and every step
/// evaluates what all eight ask for in two <see cref="Vector256{T}"/> chains of Horner's rule (the rule's latency,
/// not its arithmetic, bounds a single search). A slot whose search ends takes the next waiting iteration.
/// </summary>
internal sealed class IrrSearchBatch(int periods)
{
    private const int Slots = 2 * Lanes;
    private const int Lanes = 4;

    // Waiting iterations: their flows one after another, their sign changes and where their IRR goes.
    private readonly List<(int SignChanges, int Output)> _waiting = [];
    private double[] _waitingFlows = new double[periods * 64];

    // The slots' flows and their positive and negative parts, period-major: [t * Slots + slot].
    private readonly double[] _flows = new double[periods * Slots];
    private readonly double[] _positive = new double[periods * Slots];
    private readonly double[] _negative = new double[periods * Slots];
    private readonly IrrSearch[] _searches = new IrrSearch[Slots];
    private readonly int[] _outputs = new int[Slots];

    /// <summary>Queues flows that change sign <paramref name="signChanges"/> times; their IRR goes to index <paramref name="output"/> of <see cref="Solve"/>'s span.</summary>
    public void Add(ReadOnlySpan<double> flows, int signChanges, int output)
    {
        var at = _waiting.Count * periods;
        if (at + periods > _waitingFlows.Length)
        {
            Array.Resize(ref _waitingFlows, 2 * _waitingFlows.Length);
        }

        flows.CopyTo(_waitingFlows.AsSpan(at));
        _waiting.Add((signChanges, output));
    }

    /// <summary>Runs every queued search to its end and writes each IRR; the queue is then empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Solve(Span<double> irr)
    {
        var next = 0;
        var busy = 0;
        for (var slot = 0; slot < Slots; slot++)
        {
            busy += Load(slot, ref next) ? 1 : 0;
        }

        Span<double> a = stackalloc double[Slots], b = stackalloc double[Slots], x = stackalloc double[Slots];
        Span<double> positiveA = stackalloc double[Slots], negativeA = stackalloc double[Slots];
        Span<double> positiveB = stackalloc double[Slots], negativeB = stackalloc double[Slots], p = stackalloc double[Slots];
        while (busy > 0)
        {
            for (var slot = 0; slot < Slots; slot++)
            {
                ref readonly var search = ref _searches[slot];
                (a[slot], b[slot], x[slot]) = search.Done ? (0.0, 0.0, 0.0)
                    : search.NeedsBounds ? (search.BoundsLow, search.BoundsHigh, 0.0)
                    : (0.0, 0.0, search.Point);
            }

            Evaluate(a, b, x, positiveA, negativeA, positiveB, negativeB, p);
            for (var slot = 0; slot < Slots; slot++)
            {
                ref var search = ref _searches[slot];
                if (search.Done)
                {
                    continue;
                }

                if (search.NeedsBounds)
                {
                    search.TakeBounds(positiveA[slot], negativeA[slot], positiveB[slot], negativeB[slot]);
                }
                else
                {
                    search.TakePolynomial(p[slot]);
                }

                if (search.Done)
                {
                    irr[_outputs[slot]] = search.Rate;
                    busy -= Load(slot, ref next) ? 0 : 1;
                }
            }
        }

        _waiting.Clear();
    }

    /// <summary>Puts the next waiting iteration in <paramref name="slot"/>; false, and the slot left done, when none waits.</summary>
    private bool Load(int slot, ref int next)
    {
        if (next == _waiting.Count)
        {
            _searches[slot] = IrrSearch.Finished;
            return false;
        }

        var (signChanges, output) = _waiting[next];
        var flows = _waitingFlows.AsSpan(next * periods, periods);
        for (var t = 0; t < periods; t++)
        {
            var i = (t * Slots) + slot;
            (_flows[i], _positive[i], _negative[i]) = (flows[t], Math.Max(flows[t], 0), Math.Max(-flows[t], 0));
        }

        (_searches[slot], _outputs[slot]) = (IrrSearch.For(signChanges), output);
        next++;
        return true;
    }

    /// <summary>
    /// For every slot, Horner's rule for P at x, and for P's positive and negative parts at a and at b, as
    /// <see cref="CashFlowMath"/> evaluates them.
    /// </summary>
    private void Evaluate(
        ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> x,
        Span<double> positiveA, Span<double> negativeA, Span<double> positiveB, Span<double> negativeB, Span<double> p)
    {
        for (var half = 0; half < Slots; half += Lanes)
        {
            Vector256<double> va = Vector256.Create(a[half..]), vb = Vector256.Create(b[half..]), vx = Vector256.Create(x[half..]);
            Vector256<double> pa = default, na = default, pb = default, nb = default, value = default;
            for (var t = periods - 1; t >= 0; t--)
            {
                var i = (t * Slots) + half;
                var positive = Vector256.LoadUnsafe(ref _positive[i]);
                var negative = Vector256.LoadUnsafe(ref _negative[i]);
                pa = pa * va + positive;
                na = na * va + negative;
                pb = pb * vb + positive;
                nb = nb * vb + negative;
                value = value * vx + Vector256.LoadUnsafe(ref _flows[i]);
            }

            pa.CopyTo(positiveA[half..]);
            na.CopyTo(negativeA[half..]);
            pb.CopyTo(positiveB[half..]);
            nb.CopyTo(negativeB[half..]);
            value.CopyTo(p[half..]);
        }
    }
}
