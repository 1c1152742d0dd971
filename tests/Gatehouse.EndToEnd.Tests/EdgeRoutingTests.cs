using System.Net;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>What a client sees through the edge: static assets, public and protected routes, RBAC at the balancer.</summary>
public sealed class EdgeRoutingTests : IClassFixture<StackFixture>
{
    private readonly StackFixture _stack;

    public EdgeRoutingTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Fact]
    public async Task Static_File_ServedByEdgeWithEtag()
    {
        var before = _stack.Stack.Origins.Sum(origin => origin.RequestCount);

        using var response = await _stack.GetAsync("/static/hello.txt");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal("hello from the edge\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, _stack.Stack.Origins.Sum(origin => origin.RequestCount));
    }

    [Fact]
    public async Task Static_IfNoneMatch_Returns304()
    {
        using var first = await _stack.GetAsync("/static/index.html");
        var etag = first.Headers.ETag!;

        using var second = await _stack.GetAsync("/static/index.html", configure: request => request.Headers.IfNoneMatch.Add(etag));

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Static_Request_NeverReachesBalancer()
    {
        using var response = await _stack.GetAsync("/static/site.css");
        var requestId = response.Headers.GetValues("X-Request-Id").Single();

        var edgeRecord = await StackFixture.WaitForRecordAsync(_stack.Stack.EdgeDecisions.FilePath!, requestId);

        Assert.Equal("static", edgeRecord.GetProperty("decision").GetString());
        Assert.DoesNotContain(requestId, await File.ReadAllTextAsync(_stack.Stack.BalancerDecisions.FilePath!));
    }

    [Fact]
    public async Task Static_MissingFile_Returns404()
    {
        using var response = await _stack.GetAsync("/static/no-such-file.txt");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Public_WithoutToken_RoundRobinsAcrossPool()
    {
        var servers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await _stack.GetAsync($"/api/public/items?n={i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var echo = await StackFixture.EchoAsync(response);
            Assert.Equal("public", echo.GetProperty("pool").GetString());
            servers.Add(echo.GetProperty("server").GetString()!);
        }

        Assert.Equal(2, servers.Distinct().Count());
        Assert.NotEqual(servers[0], servers[1]);
        Assert.Equal(servers[0], servers[2]);
        Assert.Equal(servers[1], servers[3]);
    }

    [Fact]
    public async Task Protected_WithoutToken_Returns401WithBearerChallenge()
    {
        using var response = await _stack.GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("missing token", (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task Protected_GarbageToken_Returns401WithReason()
    {
        using var response = await _stack.GetAsync("/api/orders", configure: request =>
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer not.a-valid.token!"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
        Assert.Equal("malformed token", (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task Protected_AliceToken_ReachesStaffPool()
    {
        using var response = await _stack.GetAsync("/api/orders/42?expand=lines", user: "alice");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await StackFixture.EchoAsync(response);
        Assert.Equal("staff", echo.GetProperty("pool").GetString());
        Assert.Equal("/api/orders/42", echo.GetProperty("path").GetString());
        Assert.Equal("expand=lines", echo.GetProperty("query").GetString());
    }

    [Fact]
    public async Task Admin_BobToken_ReachesAdminPool()
    {
        using var response = await _stack.GetAsync("/admin/panel", user: "bob");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await StackFixture.EchoAsync(response);
        Assert.Equal("admin", echo.GetProperty("pool").GetString());
        Assert.Equal("admin1", echo.GetProperty("server").GetString());
    }

    [Theory]
    [InlineData("alice")]
    [InlineData("carol")]
    public async Task Admin_NonAdminToken_Returns403FromBalancer(string user)
    {
        using var response = await _stack.GetAsync("/admin/panel", user: user);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("group not allowed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        var record = await StackFixture.WaitForRecordAsync(_stack.Stack.BalancerDecisions.FilePath!, requestId);
        Assert.Equal("deny", record.GetProperty("decision").GetString());
        Assert.Equal(user, record.GetProperty("subject").GetString());
    }

    [Fact]
    public async Task Api_CarolToken_Returns403ForStaffRoutes()
    {
        using var response = await _stack.GetAsync("/api/orders", user: "carol");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("staff required", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPath_Returns404AtEdge()
    {
        using var response = await _stack.GetAsync("/nowhere");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(response.Headers.GetValues("X-Request-Id"));
    }

    [Fact]
    public async Task EncodedSlash_ReachesOriginByteForByte()
    {
        using var response = await _stack.GetAsync("/api/public/pkg/@scope%2fname?q=a%20b");

        var echo = await StackFixture.EchoAsync(response);
        Assert.Equal("/api/public/pkg/@scope%2fname", echo.GetProperty("path").GetString());
        Assert.Equal("q=a%20b", echo.GetProperty("query").GetString());
    }
}

/// <summary>Path traversal attempts against the static route, sent as exact bytes.</summary>
public sealed class StaticTraversalTests : IClassFixture<StackFixture>
{
    private readonly StackFixture _stack;

    public StaticTraversalTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Theory]
    [InlineData("/static/../edge.toml")]
    [InlineData("/static/%2e%2e/edge.toml")]
    [InlineData("/static/%2E%2E/haproxy.cfg")]
    [InlineData("/static/..%2fedge.toml")]
    [InlineData("/static//etc/passwd")]
    [InlineData("/static/%2fetc%2fpasswd")]
    public async Task Static_Traversal_NeverServesOutsideRoot(string target)
    {
        var (status, response) = await RawHttp.SendAsync(_stack.Edge, RawHttp.Get(_stack.Edge, target));

        Assert.NotEqual(200, status);
        Assert.DoesNotContain("[[routes]]", response, StringComparison.Ordinal);
        Assert.DoesNotContain("root:", response, StringComparison.Ordinal);
        Assert.DoesNotContain("backend", response, StringComparison.Ordinal);
    }
}

/// <summary>Rate limits and the penalty box from examples/edge.toml.</summary>
public sealed class RateLimitTests : IClassFixture<StackFixture>
{
    private readonly StackFixture _stack;

    public RateLimitTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Fact]
    public async Task RateLimit_OverLimit_Returns429ThenPenalty()
    {
        // The limit is 1 request per 1-second window, so on a slow machine the second request may open a new window
        // and pass. The first 429 must come within a few requests, and the penalty box returns 429 for all after it.
        var statuses = new List<HttpStatusCode>();
        string? limitedId = null;
        for (var i = 0; i < 10 && statuses.Count(status => status == HttpStatusCode.TooManyRequests) < 3; i++)
        {
            using var response = await _stack.GetAsync($"/api/public/burst/{i}");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limitedId ??= response.Headers.GetValues("X-Request-Id").Single();
                Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
                Assert.Equal("too many requests", (await response.Content.ReadAsStringAsync()).Trim());
            }
        }

        var firstLimited = statuses.IndexOf(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.InRange(firstLimited, 1, 7);
        Assert.All(statuses.Take(firstLimited), status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.All(statuses.Skip(firstLimited), status => Assert.Equal(HttpStatusCode.TooManyRequests, status));
        var record = await StackFixture.WaitForRecordAsync(_stack.Stack.EdgeDecisions.FilePath!, limitedId!);
        Assert.Equal("limit", record.GetProperty("decision").GetString());
        Assert.StartsWith("rate_limit demo-burst", record.GetProperty("rule").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(limitedId!, await File.ReadAllTextAsync(_stack.Stack.BalancerDecisions.FilePath!));
    }

    [Fact]
    public async Task RateLimit_OtherPaths_NotAffectedByScopedRule()
    {
        for (var i = 0; i < 3; i++)
        {
            using var burst = await _stack.GetAsync($"/api/public/burst/other-{i}");
        }

        using var response = await _stack.GetAsync("/api/public/unaffected");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
