using System.Text;
using Gatehouse.Trust.Framing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gatehouse.Trust.Tests.Framing;

public sealed class RequestFramingTests
{
    [Theory]
    [InlineData("HTTP/1.1", "chunked", null, null)]
    [InlineData("HTTP/1.1", "Chunked", null, "Transfer-Encoding other than exactly \"chunked\"")]
    [InlineData("HTTP/1.1", "chunked, chunked", null, "Transfer-Encoding other than exactly \"chunked\"")]
    [InlineData("HTTP/1.1", "gzip, chunked", null, "Transfer-Encoding other than exactly \"chunked\"")]
    [InlineData("HTTP/1.1", "chunked", "5", "both Transfer-Encoding and Content-Length")]
    [InlineData("HTTP/1.0", "chunked", null, "Transfer-Encoding in an HTTP/1.0 request")]
    [InlineData("HTTP/2", "chunked", null, null)]
    public void CheckHead_TransferEncoding_DecidesByExactValue(string protocol, string coding, string? length, string? expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Protocol = protocol;
        context.Request.Headers.TransferEncoding = coding;
        if (length is not null)
        {
            context.Request.Headers.ContentLength = long.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(expected, RequestFraming.CheckHead(context.Request));
    }

    [Fact]
    public void CheckHead_LengthMovedByKestrel_Refused()
    {
        var context = new DefaultHttpContext();
        context.Request.Protocol = "HTTP/1.1";
        context.Request.Headers.TransferEncoding = "chunked";
        context.Request.Headers["X-Content-Length"] = "5";

        Assert.Equal("both Transfer-Encoding and Content-Length", RequestFraming.CheckHead(context.Request));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(RequestFraming.ReadAheadBytes)]
    [InlineData(RequestFraming.ReadAheadBytes + 1)]
    [InlineData(3 * RequestFraming.ReadAheadBytes + 7)]
    public async Task ReadAhead_ChunkedBody_KeepsEveryByteInOrder(int size)
    {
        var body = new byte[size];
        for (var i = 0; i < size; i++)
        {
            body[i] = (byte)(i * 31);
        }

        var context = new DefaultHttpContext();
        context.Request.Headers.TransferEncoding = "chunked";
        context.Request.Body = new MemoryStream(body);

        var error = await RequestFraming.ReadAheadAsync(context.Request, CancellationToken.None);

        Assert.Null(error);
        using var copy = new MemoryStream();
        await context.Request.Body.CopyToAsync(copy);
        Assert.Equal(body, copy.ToArray());
    }

    [Fact]
    public async Task ReadAhead_BodyThrowsBadRequest_Returns400WithReason()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.TransferEncoding = "chunked";
        context.Request.Body = new FailingStream(new BadHttpRequestException("Bad chunk size data."));

        var error = await RequestFraming.ReadAheadAsync(context.Request, CancellationToken.None);

        Assert.Equal(400, error?.Status);
        Assert.Equal("malformed chunked body: Bad chunk size data.", error?.Reason);
    }

    [Fact]
    public async Task ReadAhead_BodyOverLimit_Returns413()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.TransferEncoding = "chunked";
        context.Request.Body = new FailingStream(new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge));

        var error = await RequestFraming.ReadAheadAsync(context.Request, CancellationToken.None);

        Assert.Equal(413, error?.Status);
    }

    [Fact]
    public async Task ReadAhead_NotChunked_LeavesBodyUntouched()
    {
        var context = new DefaultHttpContext();
        var original = new MemoryStream(Encoding.ASCII.GetBytes("hello"));
        context.Request.Body = original;

        Assert.Null(await RequestFraming.ReadAheadAsync(context.Request, CancellationToken.None));
        Assert.Same(original, context.Request.Body);
    }

    [Theory]
    [InlineData(100L, 101L, 413)]
    [InlineData(100L, 100L, null)]
    public async Task CheckAsync_DeclaredLength_ComparedWithLimit(long limit, long length, int? expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Protocol = "HTTP/1.1";
        context.Request.ContentLength = length;
        context.Features.Set<IHttpMaxRequestBodySizeFeature>(new BodyLimit { MaxRequestBodySize = limit });

        var error = await RequestFraming.CheckAsync(context);

        Assert.Equal(expected, error?.Status);
    }

    private sealed class BodyLimit : IHttpMaxRequestBodySizeFeature
    {
        public bool IsReadOnly => false;

        public long? MaxRequestBodySize { get; set; }
    }

    private sealed class FailingStream(Exception failure) : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException<int>(failure);
    }
}
