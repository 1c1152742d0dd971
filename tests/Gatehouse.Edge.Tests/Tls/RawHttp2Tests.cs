using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Gatehouse.Edge.Tests.Tls;

/// <summary>
/// Header blocks that HttpClient never sends, written as raw HTTP/2 frames over TLS. RFC 9113 makes a request with an
/// uppercase header name or a connection-specific header malformed. Kestrel rejects some of them and the edge the rest.
/// </summary>
public sealed class RawHttp2Tests
{
    private const byte HeadersFrame = 0x1;
    private const byte RstStreamFrame = 0x3;
    private const byte GoAwayFrame = 0x7;
    private const uint ProtocolError = 0x1;

    [Theory]
    [InlineData("X-Upper", "1")]
    [InlineData("connection", "keep-alive")]
    [InlineData("keep-alive", "timeout=5")]
    [InlineData("transfer-encoding", "chunked")]
    [InlineData("upgrade", "websocket")]
    [InlineData("proxy-connection", "keep-alive")]
    [InlineData("te", "gzip")]
    public async Task Http2_MalformedHeader_GetsProtocolError(string name, string value)
    {
        await using var edge = await StartAsync();

        var (type, errorCode) = await SendAsync(edge, name, value);

        Assert.True(type is RstStreamFrame or GoAwayFrame, $"expected RST_STREAM or GOAWAY, got frame type {type}");
        Assert.Equal(ProtocolError, errorCode);
    }

    [Fact]
    public async Task Http2_LowercaseHeader_GetsResponse()
    {
        await using var edge = await StartAsync();

        var (type, _) = await SendAsync(edge, "x-lower", "1");

        Assert.Equal(HeadersFrame, type);
    }

    private static async Task<TlsEdge> StartAsync()
    {
        var edge = new TlsEdge();
        edge.WriteLeaf("default", "127.0.0.1");
        await edge.StartAsync(TlsListenerTests.OneCertificate);
        return edge;
    }

    /// <summary>Sends GET / with one extra header on stream 1 and returns the first HEADERS, RST_STREAM or GOAWAY frame.</summary>
    private static async Task<(byte Type, uint ErrorCode)> SendAsync(TlsEdge edge, string name, string value)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, edge.Https.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ApplicationProtocols = [SslApplicationProtocol.Http2],
            RemoteCertificateValidationCallback = (_, certificate, chain, _) => edge.TrustsRoot(new X509Certificate2(certificate!), chain),
        });
        Assert.Equal(SslApplicationProtocol.Http2, tls.NegotiatedApplicationProtocol);

        await tls.WriteAsync(Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
        await tls.WriteAsync(Frame(0x4, 0, 0, []));
        await tls.WriteAsync(Frame(HeadersFrame, 0x5, 1, HeaderBlock(name, value)));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (var frames = 0; frames < 20; frames++)
        {
            var header = new byte[9];
            await tls.ReadExactlyAsync(header, timeout.Token);
            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var payload = new byte[length];
            await tls.ReadExactlyAsync(payload, timeout.Token);
            switch (header[3])
            {
                case HeadersFrame:
                    return (HeadersFrame, 0);
                case RstStreamFrame:
                    return (RstStreamFrame, BinaryPrimitives.ReadUInt32BigEndian(payload));
                case GoAwayFrame:
                    return (GoAwayFrame, BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(4)));
            }
        }

        throw new InvalidOperationException("no HEADERS, RST_STREAM or GOAWAY frame among the first 20 frames");
    }

    // HPACK (RFC 7541): indexed :method GET (2), :scheme https (7) and :path / (4), then literals without
    // indexing and without Huffman coding for :authority (name index 1) and the extra header.
    private static byte[] HeaderBlock(string name, string value)
    {
        var block = new List<byte> { 0x82, 0x87, 0x84, 0x01 };
        AppendString(block, "127.0.0.1");
        block.Add(0x00);
        AppendString(block, name);
        AppendString(block, value);
        return [.. block];
    }

    private static void AppendString(List<byte> block, string text)
    {
        block.Add(checked((byte)text.Length));
        block.AddRange(Encoding.ASCII.GetBytes(text));
    }

    private static byte[] Frame(byte type, byte flags, int streamId, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
        payload.CopyTo(frame, 9);
        return frame;
    }
}
