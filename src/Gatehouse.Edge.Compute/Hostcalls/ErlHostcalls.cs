using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Runtime;
using Wasmtime;
using static Gatehouse.Edge.Compute.Hostcalls.HostcallArgs;

namespace Gatehouse.Edge.Compute.Hostcalls;

/// <summary>
/// <c>fastly_erl</c>: Edge Rate Limiting over the shared in-memory rate counters and penalty boxes, so counts
/// persist across requests of the same package. Arguments outside Fastly's limits return InvalidArgument.
/// </summary>
internal static class ErlHostcalls
{
    private const string Module = "fastly_erl";

    public static void Register(HostcallTable table)
    {
        table.Add(Module, "ratecounter_increment", (s, m, a) =>
        {
            var (counter, entry, delta) = (s.Environment.RateCounter(a.Str(m, 0)), a.Str(m, 2), (uint)a.I(4));
            Guard(() => counter.Increment(entry, delta));
        });
        table.Add(Module, "ratecounter_lookup_rate", (s, m, a) =>
        {
            var (counter, entry, window) = (s.Environment.RateCounter(a.Str(m, 0)), a.Str(m, 2), a.I(4));
            m.WriteU32(a.I(5), (uint)Guard(() => counter.LookupRate(entry, window)));
        });
        table.Add(Module, "ratecounter_lookup_count", (s, m, a) =>
        {
            var (counter, entry, duration) = (s.Environment.RateCounter(a.Str(m, 0)), a.Str(m, 2), a.I(4));
            m.WriteU32(a.I(5), (uint)Guard(() => counter.LookupCount(entry, duration)));
        });
        table.Add(Module, "penaltybox_add", (s, m, a) =>
        {
            var (box, entry, ttl) = (s.Environment.PenaltyBox(a.Str(m, 0)), a.Str(m, 2), TimeSpan.FromSeconds((uint)a.I(4)));
            Guard(() => box.Add(entry, ttl));
        });
        table.Add(Module, "penaltybox_has", (s, m, a) =>
        {
            var (box, entry) = (s.Environment.PenaltyBox(a.Str(m, 0)), a.Str(m, 2));
            // The SDK declares this out-parameter as a one-byte C bool.
            m.WriteByte(a.I(4), Guard(() => box.Has(entry)) ? (byte)1 : (byte)0);
        });
        table.Add(Module, "check_rate", CheckRate);
    }

    /// <summary>
    /// Counts <c>delta</c> events for the entry, then blocks it (adding it to the penalty box for <c>ttl</c>
    /// seconds) when its rate over <c>window</c> exceeds <c>limit</c>. An entry already in the box is blocked
    /// without counting.
    /// </summary>
    private static void CheckRate(RequestState state, GuestMemory memory, ReadOnlySpan<ValueBox> args)
    {
        var counter = state.Environment.RateCounter(args.Str(memory, 0));
        var entry = args.Str(memory, 2);
        var delta = (uint)args.I(4);
        var window = args.I(5);
        var limit = (uint)args.I(6);
        var box = state.Environment.PenaltyBox(args.Str(memory, 7));
        var ttl = TimeSpan.FromSeconds((uint)args.I(9));
        var blocked = Guard(() =>
        {
            if (box.Has(entry))
            {
                return true;
            }

            counter.Increment(entry, delta);
            if (counter.LookupRate(entry, window) <= limit)
            {
                return false;
            }

            box.Add(entry, ttl);
            return true;
        });
        // The SDK declares this out-parameter as a one-byte C bool.
        memory.WriteByte(args.I(10), blocked ? (byte)1 : (byte)0);
    }

    private static void Guard(Action action) => Guard(() =>
    {
        action();
        return 0;
    });

    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (ArgumentException exception)
        {
            throw Fail(FastlyStatus.InvalidArgument, exception.Message);
        }
    }
}
