using Gatehouse.Edge.Compute.Abi;
using Wasmtime;

namespace Gatehouse.Edge.Compute.Hostcalls;

/// <summary>Shorthands for reading hostcall arguments.</summary>
internal static class HostcallArgs
{
    public static int I(this ReadOnlySpan<ValueBox> args, int index) => args[index].AsInt32();

    /// <summary>Reads the UTF-8 string at the pointer in argument <paramref name="index"/> with the length after it.</summary>
    public static string Str(this ReadOnlySpan<ValueBox> args, GuestMemory memory, int index) =>
        memory.ReadString(args[index].AsInt32(), args[index + 1].AsInt32());

    public static string Latin1(this ReadOnlySpan<ValueBox> args, GuestMemory memory, int index) =>
        memory.ReadLatin1(args[index].AsInt32(), args[index + 1].AsInt32());

    public static Exception Fail(FastlyStatus status, string? detail = null) => new HostcallException(status, detail);
}
