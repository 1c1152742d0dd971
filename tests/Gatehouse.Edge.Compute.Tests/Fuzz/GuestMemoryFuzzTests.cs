using FsCheck;
using FsCheck.Fluent;
using Gatehouse.Balancer.Tests.Fuzz;
using Gatehouse.Edge.Compute.Abi;
using Gatehouse.Edge.Compute.Hostcalls;
using Wasmtime;

namespace Gatehouse.Edge.Compute.Tests.Fuzz;

/// <summary>
/// Random (pointer, length) pairs, as a guest passes them to hostcalls, against a real two-page Wasmtime
/// memory. Every call either succeeds inside the memory or raises a HostcallException with a documented
/// status, and no call changes a byte outside the range it was given.
/// </summary>
public sealed class GuestMemoryFuzzTests : IDisposable
{
    private const int Pages = 2;
    private const long MemoryBytes = Pages * 65536L;

    private readonly Engine _engine = new();
    private readonly Store _store;
    private readonly Memory _memory;

    public GuestMemoryFuzzTests()
    {
        _store = new Store(_engine);
        _memory = new Memory(_store, Pages, Pages);
    }

    public void Dispose()
    {
        _store.Dispose();
        _engine.Dispose();
    }

    [Fact]
    public void Read_RandomRanges_InBoundsOrInvalidArgument()
    {
        Fill();
        var memory = new GuestMemory(_memory);
        var cases = Gen.Zip(Pointer(), Length()).ToArbitrary();

        FuzzBudget.Check(cases, pair =>
        {
            var (pointer, length) = pair;
            var inBounds = (ulong)(uint)pointer + (uint)length <= MemoryBytes;
            byte[]? bytes = null;
            var status = Capture(() => bytes = memory.ReadBytes(pointer, length));

            if (inBounds)
            {
                Assert.Null(status);
                Assert.Equal(Snapshot((uint)pointer, length), bytes);
                Assert.Null(Capture(() => memory.ReadString(pointer, length)));
            }
            else
            {
                Assert.Equal(FastlyStatus.InvalidArgument, status);
                Assert.Equal(FastlyStatus.InvalidArgument, Capture(() => memory.ReadLatin1(pointer, length)));
            }
        }, defaultIterations: 500);
    }

    [Fact]
    public void FixedWidthAccess_RandomPointers_InBoundsOrInvalidArgument()
    {
        var memory = new GuestMemory(_memory);
        var cases = Gen.Zip(Pointer(), Gen.Elements(1, 2, 4, 8)).ToArbitrary();

        FuzzBudget.Check(cases, pair =>
        {
            var (pointer, width) = pair;
            Fill();
            var before = Snapshot(0, (int)MemoryBytes);
            var inBounds = (ulong)(uint)pointer + (uint)width <= MemoryBytes;
            Action write = width switch
            {
                1 => () => memory.WriteByte(pointer, 0xAB),
                2 => () => memory.WriteU16(pointer, 0xABCD),
                4 => () => memory.WriteU32(pointer, 0xABCDEF01),
                _ => () => memory.WriteI64(pointer, -1),
            };

            var status = Capture(write);

            Assert.Equal(inBounds ? null : FastlyStatus.InvalidArgument, status);
            AssertUnchangedOutside(before, inBounds ? (uint)pointer : 0, inBounds ? width : 0);
        }, defaultIterations: 500);
    }

    [Fact]
    public void WriteBuffer_RandomArguments_WritesOnlyInsideBuffer()
    {
        var memory = new GuestMemory(_memory);
        var cases = Gen.Zip(Gen.Zip(Pointer(), Length()), Gen.Zip(Pointer(), Gen.Choose(0, 300))).ToArbitrary();

        FuzzBudget.Check(cases, input =>
        {
            var ((pointer, capacity), (nwritten, size)) = input;
            Fill();
            var before = Snapshot(0, (int)MemoryBytes);
            var value = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();

            var status = Capture(() => memory.WriteBuffer(value, pointer, capacity, nwritten));

            Assert.True(status is null or FastlyStatus.InvalidArgument or FastlyStatus.BufferLength, $"status {status}");
            AssertUnchangedOutside(before, (pointer, size <= (uint)capacity ? size : 0), (nwritten, 4));
        }, defaultIterations: 500);
    }

    [Fact]
    public void WriteMultiValue_RandomArguments_WritesOnlyInsideBuffer()
    {
        var memory = new GuestMemory(_memory);
        var items = Gen.ListOf(Gen.Elements("a", "accept", "x-long-header-name", "", new string('v', 300))).Select(list => list.ToList());
        var cases = Gen.Zip(Gen.Zip(Pointer(), Length()), Gen.Zip(Gen.Zip(Gen.Choose(-2, 5), Gen.Zip(Pointer(), Pointer())), items)).ToArbitrary();

        FuzzBudget.Check(cases, input =>
        {
            var ((buffer, capacity), ((cursor, (ending, nwritten)), names)) = input;
            Fill();
            var before = Snapshot(0, (int)MemoryBytes);

            var status = Capture(() => HeaderAccess.WriteMultiValue(memory, names, buffer, capacity, cursor, ending, nwritten));

            Assert.True(status is null or FastlyStatus.InvalidArgument or FastlyStatus.BufferLength, $"status {status}");
            AssertUnchangedOutside(before, (buffer, capacity), (ending, 8), (nwritten, 4));
        }, defaultIterations: 300);
    }

    /// <summary>Pointers near both ends of the memory and of the i32 range, where bounds checks break.</summary>
    private static Gen<int> Pointer() => Gen.OneOf(
        Gen.Choose(0, (int)MemoryBytes),
        Gen.Choose((int)MemoryBytes - 16, (int)MemoryBytes + 16),
        Gen.Elements(0, 1, -1, -2, -4, -8, int.MaxValue, int.MinValue, int.MaxValue - 3, int.MinValue + 1),
        Gen.Choose(int.MinValue, int.MaxValue));

    private static Gen<int> Length() => Gen.OneOf(
        Gen.Choose(0, 64),
        Gen.Choose(0, (int)MemoryBytes + 16),
        Gen.Elements(-1, -4, int.MaxValue, int.MinValue, (int)MemoryBytes, (int)MemoryBytes + 1));

    /// <summary>Runs a call and returns the status it raised, or null when it succeeded.</summary>
    private static FastlyStatus? Capture(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (HostcallException e)
        {
            return e.Status;
        }
    }

    private void Fill()
    {
        var span = _memory.GetSpan(0, (int)MemoryBytes);
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = (byte)(i * 31 + 5);
        }
    }

    private byte[] Snapshot(uint start, int length) => _memory.GetSpan(start, length).ToArray();

    private void AssertUnchangedOutside(byte[] before, uint start, int length) =>
        AssertUnchangedOutside(before, ((int)start, length));

    /// <summary>Fails when a byte changed outside every allowed (pointer, length) range.</summary>
    private void AssertUnchangedOutside(byte[] before, params (int Pointer, int Length)[] allowed)
    {
        var after = Snapshot(0, (int)MemoryBytes);
        for (var i = 0; i < after.Length; i++)
        {
            if (after[i] != before[i] && !allowed.Any(range => InRange(i, range.Pointer, range.Length)))
            {
                Assert.Fail($"byte {i} changed outside the ranges {string.Join(", ", allowed)}");
            }
        }
    }

    // Lengths are unsigned, as the ABI reads them, so -1 is a 4 GiB range.
    private static bool InRange(long index, int pointer, int length) =>
        index >= (uint)pointer && index < (long)(uint)pointer + (uint)length;
}
