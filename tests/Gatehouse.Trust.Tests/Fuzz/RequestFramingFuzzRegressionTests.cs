using Gatehouse.Trust.Framing;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Trust.Tests.Fuzz;

/// <summary>Content-Length values the framing fuzz target found passing the check, and the plain lengths that still pass.</summary>
public sealed class RequestFramingFuzzRegressionTests
{
    [Theory]
    [InlineData("\t5")]
    [InlineData("5 ")]
    [InlineData("+5")]
    [InlineData("5, 6")]
    [InlineData("5,5")]
    [InlineData("0x10")]
    [InlineData("99999999999999999999999999")]
    public void CheckHead_ContentLengthNotOneNumber_Rejected(string length)
    {
        var context = new DefaultHttpContext();
        context.Request.Protocol = "HTTP/1.1";
        context.Request.Headers["Content-Length"] = length;

        Assert.Equal("Content-Length other than one decimal number", RequestFraming.CheckHead(context.Request));
    }

    [Fact]
    public void CheckHead_RepeatedContentLength_Rejected()
    {
        var context = new DefaultHttpContext();
        context.Request.Protocol = "HTTP/1.1";
        context.Request.Headers.Append("Content-Length", "5");
        context.Request.Headers.Append("content-length", "5");

        Assert.Equal("Content-Length other than one decimal number", RequestFraming.CheckHead(context.Request));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("5")]
    [InlineData("9223372036854775807")]
    public void CheckHead_OneDecimalLength_Passes(string length)
    {
        var context = new DefaultHttpContext();
        context.Request.Protocol = "HTTP/1.1";
        context.Request.Headers["Content-Length"] = length;

        Assert.Null(RequestFraming.CheckHead(context.Request));
    }
}
