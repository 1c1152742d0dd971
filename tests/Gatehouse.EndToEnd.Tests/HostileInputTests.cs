using System.Net;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>Hostile requests through the edge, sent as exact bytes: each gets a 4xx and nothing ambiguous is forwarded.</summary>
public sealed class HostileInputTests : IClassFixture<StackFixture>
{
    private readonly StackFixture _stack;

    public HostileInputTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Theory]
    [InlineData("/api/public/..%2f..%2fadmin/panel")]
    [InlineData("/api/public/..%2F..%2Fadmin/panel")]
    [InlineData("/api/public/..%5c..%5cadmin/panel")]
    [InlineData("/api/public/%2e%2e%2f%2e%2e%2fadmin/panel")]
    public async Task EncodedTraversal_IntoOtherRoute_Returns400(string target)
    {
        var before = _stack.Stack.Origins.Sum(origin => origin.RequestCount);

        var (status, response) = await RawHttp.SendAsync(_stack.Edge, RawHttp.Get(_stack.Edge, target));

        Assert.Equal(400, status);
        Assert.Contains("ambiguous path", response, StringComparison.Ordinal);
        Assert.Equal(before, _stack.Stack.Origins.Sum(origin => origin.RequestCount));
    }

    [Fact]
    public async Task Trace_Returns405()
    {
        var head = $"TRACE /api/public/x HTTP/1.1\r\nHost: {_stack.Edge.Authority}\r\nConnection: close\r\n\r\n";

        var (status, _) = await RawHttp.SendAsync(_stack.Edge, head);

        Assert.Equal(405, status);
    }

    [Fact]
    public async Task Connect_RejectedWithoutTunnel()
    {
        var before = _stack.Stack.Origins.Sum(origin => origin.RequestCount);
        var head = $"CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n";

        var (status, _) = await RawHttp.SendAsync(_stack.Edge, head);

        // Kestrel returns 400 for an authority-form target before the pipeline runs. Either way no tunnel opens.
        Assert.InRange(status, 400, 405);
        Assert.Equal(before, _stack.Stack.Origins.Sum(origin => origin.RequestCount));
    }

    [Fact]
    public async Task TwoAuthorizationHeaders_Return400()
    {
        var head = $"GET /api/orders HTTP/1.1\r\nHost: {_stack.Edge.Authority}\r\nAuthorization: Bearer a\r\nAuthorization: Bearer b\r\nConnection: close\r\n\r\n";

        var (status, response) = await RawHttp.SendAsync(_stack.Edge, head);

        Assert.Equal(400, status);
        Assert.Contains("multiple Authorization headers", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControlCharacterInHeader_Returns400()
    {
        var head = $"GET /api/public/x HTTP/1.1\r\nHost: {_stack.Edge.Authority}\r\nX-Note: a\u0001b\r\nConnection: close\r\n\r\n";

        var (status, _) = await RawHttp.SendAsync(_stack.Edge, head);

        Assert.Equal(400, status);
    }

    [Fact]
    public async Task MalformedChunkedBody_Returns400NotBalancerError()
    {
        var head = $"POST /api/public/upload HTTP/1.1\r\nHost: {_stack.Edge.Authority}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nhello\r\n0\r\n\r\n";

        var (status, response) = await RawHttp.SendAsync(_stack.Edge, head);

        Assert.Equal(400, status);
        Assert.DoesNotContain("balancer", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OversizedBody_Returns413()
    {
        var head = $"POST /api/public/upload HTTP/1.1\r\nHost: {_stack.Edge.Authority}\r\nContent-Length: 11000000\r\nConnection: close\r\n\r\n" + new string('x', 1000);

        var (status, _) = await RawHttp.SendAsync(_stack.Edge, head);

        Assert.Equal(413, status);
    }

    [Fact]
    public async Task UnderscoreSpoofHeaders_NeverReachOrigin()
    {
        using var response = await _stack.GetAsync("/api/public/spoof", configure: request =>
        {
            request.Headers.TryAddWithoutValidation("X_Forwarded_For", "9.9.9.9");
            request.Headers.TryAddWithoutValidation("X_Gatehouse_Assertion", "evil");
            request.Headers.TryAddWithoutValidation("True-Client-IP", "9.9.9.9");
            request.Headers.TryAddWithoutValidation("X-Original-URL", "/admin/panel");
        });

        var echo = await StackFixture.EchoAsync(response);
        var names = echo.GetProperty("headers").EnumerateObject().Select(p => p.Name.ToLowerInvariant()).ToList();
        Assert.DoesNotContain("x_forwarded_for", names);
        Assert.DoesNotContain("x_gatehouse_assertion", names);
        Assert.DoesNotContain("true-client-ip", names);
        Assert.DoesNotContain("x-original-url", names);
    }

    [Fact]
    public async Task StaticPost_Returns405WithAllow()
    {
        using var response = await _stack.Http.PostAsync(new Uri(_stack.Edge, "/static/hello.txt"), new StringContent("x"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order());
    }

    [Fact]
    public async Task StaticFile_HasNosniff()
    {
        using var response = await _stack.GetAsync("/static/hello.txt");

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
