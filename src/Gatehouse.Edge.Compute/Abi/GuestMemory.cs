using System.Net;
using System.Text;
using Wasmtime;

namespace Gatehouse.Edge.Compute.Abi;

/// <summary>
/// Reads and writes the guest's linear memory with the bounds checks the ABI needs. Pointers and lengths
/// arrive as wasm32 <c>i32</c> values and are treated as unsigned.
/// </summary>
internal readonly struct GuestMemory(Memory memory)
{
    /// <summary>Current size of the linear memory in bytes.</summary>
    public long Length => memory.GetLength();

    public byte[] ReadBytes(int pointer, int length)
    {
        var span = Slice(pointer, length);
        return span.ToArray();
    }

    public string ReadString(int pointer, int length) => Encoding.UTF8.GetString(Slice(pointer, length));

    /// <summary>Reads a header name or value: bytes kept one to one as Latin-1, as HTTP/1.1 allows.</summary>
    public string ReadLatin1(int pointer, int length) => Encoding.Latin1.GetString(Slice(pointer, length));

    public void WriteU32(int pointer, uint value)
    {
        memory.WriteInt32(Offset(pointer, 4), unchecked((int)value));
    }

    public void WriteI64(int pointer, long value)
    {
        memory.WriteInt64(Offset(pointer, 8), value);
    }

    public void WriteU16(int pointer, ushort value) => memory.WriteInt16(Offset(pointer, 2), unchecked((short)value));

    public void WriteByte(int pointer, byte value) => memory.WriteByte(Offset(pointer, 1), value);

    public uint ReadU32(int pointer) => unchecked((uint)memory.ReadInt32(Offset(pointer, 4)));

    public ulong ReadU64(int pointer) => unchecked((ulong)memory.ReadInt64(Offset(pointer, 8)));

    public Span<byte> Slice(int pointer, int length)
    {
        var start = Offset(pointer, length);
        if (length == 0)
        {
            return [];
        }

        return memory.GetSpan(start, length);
    }

    /// <summary>
    /// Copies <paramref name="value"/> into a guest buffer of <paramref name="capacity"/> bytes and stores the
    /// byte count at <paramref name="nwrittenPointer"/>. A value that does not fit raises
    /// <see cref="FastlyStatus.BufferLength"/> with nwritten set to the size needed, so the guest can retry.
    /// </summary>
    public void WriteBuffer(ReadOnlySpan<byte> value, int pointer, int capacity, int nwrittenPointer)
    {
        if (value.Length > (uint)capacity)
        {
            WriteU32(nwrittenPointer, (uint)value.Length);
            throw new HostcallException(FastlyStatus.BufferLength);
        }

        value.CopyTo(Slice(pointer, value.Length));
        WriteU32(nwrittenPointer, (uint)value.Length);
    }

    /// <summary>
    /// Writes <paramref name="address"/> as 4 octets for IPv4 (IPv4-mapped IPv6 included) or 16 for IPv6, and
    /// stores the octet count at <paramref name="nwrittenPointer"/>.
    /// </summary>
    public void WriteIpAddress(IPAddress address, int octetsPointer, int nwrittenPointer)
    {
        var bytes = address.IsIPv4MappedToIPv6 ? address.MapToIPv4().GetAddressBytes() : address.GetAddressBytes();
        bytes.CopyTo(Slice(octetsPointer, bytes.Length));
        WriteU32(nwrittenPointer, (uint)bytes.Length);
    }

    private long Offset(int pointer, int length)
    {
        var start = (long)(uint)pointer;
        if ((ulong)start + (uint)length > (ulong)memory.GetLength())
        {
            throw new HostcallException(FastlyStatus.InvalidArgument, "pointer out of bounds");
        }

        return start;
    }
}
