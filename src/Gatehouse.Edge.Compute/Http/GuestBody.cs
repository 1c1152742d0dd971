using System.Buffers;
using Gatehouse.Edge.Compute.Abi;

namespace Gatehouse.Edge.Compute.Http;

/// <summary>
/// A body handle's state: bytes buffered in memory, optionally followed by a source stream read on demand
/// (the downstream request or a backend response), or a sink that writes go straight to when the body
/// streams (a streaming downstream response or a streaming backend request).
/// </summary>
internal sealed class GuestBody
{
    private byte[] _buffer = [];
    private int _start;
    private int _end;
    private Stream? _source;
    private Stream? _sink;
    private Action? _onClose;

    public GuestBody()
    {
    }

    public GuestBody(Stream source, long? knownLength)
    {
        _source = source;
        KnownLength = knownLength;
    }

    public long? KnownLength { get; private set; }

    public bool IsStreaming => _sink is not null;

    public bool IsClosed { get; private set; }

    /// <summary>
    /// Turns the body into a streaming one: buffered bytes go to <paramref name="sink"/> now and later writes
    /// follow. <paramref name="onClose"/> runs when the guest closes the body; without it the sink is disposed.
    /// </summary>
    public void StreamTo(Stream sink, Action? onClose = null)
    {
        _sink = sink;
        _onClose = onClose;
        var pending = ReadToEnd();
        Write(pending, atFront: false);
    }

    /// <summary>Reads up to <paramref name="destination"/>.Length bytes; 0 means the end of the body.</summary>
    public int Read(Span<byte> destination)
    {
        if (_end > _start)
        {
            var count = Math.Min(destination.Length, _end - _start);
            _buffer.AsSpan(_start, count).CopyTo(destination);
            _start += count;
            return count;
        }

        if (_source is null || destination.Length == 0)
        {
            return 0;
        }

        // Kestrel request bodies reject synchronous reads by default, so the read is asynchronous into a pooled array.
        var rented = ArrayPool<byte>.Shared.Rent(destination.Length);
        try
        {
            var read = _source.ReadAsync(rented.AsMemory(0, destination.Length)).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, read).CopyTo(destination);
            if (read == 0)
            {
                _source = null;
            }

            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public byte[] ReadToEnd()
    {
        using var all = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = Read(chunk)) > 0)
        {
            all.Write(chunk, 0, read);
        }

        return all.ToArray();
    }

    public void Write(ReadOnlySpan<byte> data, bool atFront)
    {
        if (IsClosed)
        {
            throw new HostcallException(FastlyStatus.BadHandle, "body is closed");
        }

        KnownLength = null;
        if (_sink is not null)
        {
            _sink.WriteAsync(data.ToArray()).AsTask().GetAwaiter().GetResult();
            return;
        }

        if (atFront)
        {
            var rest = _buffer.AsSpan(_start, _end - _start).ToArray();
            _buffer = [.. data, .. rest];
        }
        else
        {
            EnsureCapacity(data.Length);
            data.CopyTo(_buffer.AsSpan(_end));
            _end += data.Length;
            return;
        }

        _start = 0;
        _end = _buffer.Length;
    }

    /// <summary>Moves all of <paramref name="other"/> to the end of this body.</summary>
    public void Append(GuestBody other)
    {
        Write(other.ReadToEnd(), atFront: false);
        other.Close();
    }

    /// <summary>Ends a streaming body; for a buffered body, no more writes are accepted.</summary>
    public void Close()
    {
        if (IsClosed)
        {
            return;
        }

        IsClosed = true;
        if (_sink is not null)
        {
            _sink.FlushAsync().GetAwaiter().GetResult();
            if (_onClose is not null)
            {
                _onClose();
            }
            else
            {
                _sink.Dispose();
            }
        }
    }

    private void EnsureCapacity(int extra)
    {
        if (_buffer.Length - _end >= extra)
        {
            return;
        }

        var live = _end - _start;
        var grown = new byte[Math.Max(live + extra, Math.Max(256, _buffer.Length * 2))];
        _buffer.AsSpan(_start, live).CopyTo(grown);
        _buffer = grown;
        _start = 0;
        _end = live;
    }
}
