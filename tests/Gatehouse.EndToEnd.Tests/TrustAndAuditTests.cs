using System.Net;
using System.Text.Json;

namespace Gatehouse.EndToEnd.Tests;

/// <summary>Request ids, header sanitization, edge assertions at the balancer, decision records and key storage.</summary>
public sealed class TrustAndAuditTests : IClassFixture<StackFixture>
{
    private readonly StackFixture _stack;

    public TrustAndAuditTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Fact]
    public async Task RequestId_SameAtClientAndOrigin()
    {
        using var response = await _stack.GetAsync("/api/public/id");

        var clientSees = response.Headers.GetValues("X-Request-Id").Single();
        var echo = await StackFixture.EchoAsync(response);
        var originSaw = Header(echo, "X-Request-Id");
        Assert.Equal(32, clientSees.Length);
        Assert.Equal([clientSees], originSaw);
    }

    [Fact]
    public async Task RequestId_FromClient_IsReplaced()
    {
        using var response = await _stack.GetAsync("/api/public/id", configure: request =>
            request.Headers.TryAddWithoutValidation("X-Request-Id", "client-chosen"));

        Assert.NotEqual("client-chosen", response.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task SpoofedHeaders_NeverReachOrigin()
    {
        using var response = await _stack.GetAsync("/api/public/spoof", configure: request =>
        {
            request.Headers.TryAddWithoutValidation("X-Gatehouse-User", "admin");
            request.Headers.TryAddWithoutValidation("X-Gatehouse-Assertion", "forged");
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
            request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "evil.example");
            request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
            request.Headers.TryAddWithoutValidation("Forwarded", "for=203.0.113.9");
            request.Headers.TryAddWithoutValidation("X-Real-IP", "203.0.113.9");
        });

        var echo = await StackFixture.EchoAsync(response);
        var names = echo.GetProperty("headers").EnumerateObject().Select(p => p.Name.ToLowerInvariant()).ToList();
        Assert.DoesNotContain("x-gatehouse-user", names);
        Assert.DoesNotContain("x-gatehouse-assertion", names);
        Assert.DoesNotContain("x-forwarded-host", names);
        Assert.DoesNotContain("x-forwarded-proto", names);
        Assert.DoesNotContain("forwarded", names);
        Assert.DoesNotContain("x-real-ip", names);
        Assert.Equal(["127.0.0.1"], Header(echo, "X-Forwarded-For"));
    }

    [Fact]
    public async Task Balancer_DirectRequestWithoutAssertion_Returns403()
    {
        using var response = await _stack.Http.GetAsync(new Uri(_stack.Balancer, "/api/public/direct"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("missing edge assertion", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Balancer_ForgedAssertion_Returns403()
    {
        // A structurally valid ES256 JWT signed by a key the edge never published.
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var forged = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "gatehouse-edge",
            Audience = "gatehouse-balancer",
            Claims = new Dictionary<string, object> { ["rid"] = "x", ["cip"] = "127.0.0.1", ["sub"] = "bob", ["grp"] = new[] { "admin" } },
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.ECDsaSecurityKey(key) { KeyId = "forged" }, "ES256"),
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_stack.Balancer, "/admin/panel"));
        request.Headers.TryAddWithoutValidation("X-Gatehouse-Assertion", forged);

        using var response = await _stack.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("edge assertion", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecisionRecords_JoinedByRequestId()
    {
        using var response = await _stack.GetAsync("/api/orders/7", user: "alice");
        var requestId = response.Headers.GetValues("X-Request-Id").Single();

        var edge = await StackFixture.WaitForRecordAsync(_stack.Stack.EdgeDecisions.FilePath!, requestId);
        var balancer = await StackFixture.WaitForRecordAsync(_stack.Stack.BalancerDecisions.FilePath!, requestId);

        Assert.Equal("edge", edge.GetProperty("tier").GetString());
        Assert.Equal("balancer", balancer.GetProperty("tier").GetString());
        Assert.Equal("alice", edge.GetProperty("subject").GetString());
        Assert.Equal("alice", balancer.GetProperty("subject").GetString());
        Assert.Equal("forward", edge.GetProperty("decision").GetString());
        Assert.Equal("staff", balancer.GetProperty("backend").GetString());
        Assert.StartsWith("staff", balancer.GetProperty("server").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, edge.GetProperty("status").GetInt32());
        Assert.Equal(200, balancer.GetProperty("status").GetInt32());
        Assert.Equal("127.0.0.1", balancer.GetProperty("client").GetString());
        Assert.True(edge.TryGetProperty("duration_ms", out _));
        Assert.True(edge.TryGetProperty("time", out _));
        Assert.True(edge.TryGetProperty("rule", out _));
    }

    [Fact]
    public async Task DecisionRecord_401_NamesReasonWithoutToken()
    {
        var token = await _stack.TokenAsync("alice");
        using var response = await _stack.GetAsync("/api/orders", configure: request =>
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token[..^4] + "AAAA"));
        var requestId = response.Headers.GetValues("X-Request-Id").Single();

        var record = await StackFixture.WaitForRecordAsync(_stack.Stack.EdgeDecisions.FilePath!, requestId);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("deny", record.GetProperty("decision").GetString());
        Assert.Equal(401, record.GetProperty("status").GetInt32());
        Assert.StartsWith("invalid signature", record.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token[..40], await File.ReadAllTextAsync(_stack.Stack.EdgeDecisions.FilePath!));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void KeyDirectory_CreatedOutsideProcessWithOwnerOnlyModes()
    {
        var directory = _stack.Stack.KeyRing.Directory;

        Assert.True(Directory.Exists(directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        var files = Directory.GetFiles(directory);
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(file) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)));
    }

    [Fact]
    public async Task Jwks_PublishedByEdge_HasNoPrivateParts()
    {
        var json = await _stack.Http.GetStringAsync(new Uri(_stack.Edge, "/.well-known/gatehouse/jwks.json"));

        var keys = JsonDocument.Parse(json).RootElement.GetProperty("keys");
        Assert.True(keys.GetArrayLength() >= 1);
        Assert.All(keys.EnumerateArray(), key => Assert.False(key.TryGetProperty("d", out _)));
    }

    private static List<string> Header(JsonElement echo, string name)
    {
        foreach (var header in echo.GetProperty("headers").EnumerateObject())
        {
            if (header.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value.EnumerateArray().Select(value => value.GetString()!).ToList();
            }
        }

        return [];
    }
}

/// <summary>A/B variants and the header deny list from examples/edge.toml, seen at the origin.</summary>
public sealed class ExperimentTests : IClassFixture<StackFixture>
{
    private readonly StackFixture _stack;

    public ExperimentTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Fact]
    public async Task Variant_StickyBySubject_ReachesOriginAndRecords()
    {
        var seen = new HashSet<string>();
        string? requestId = null;
        for (var i = 0; i < 3; i++)
        {
            using var response = await _stack.GetAsync($"/api/orders/{i}", user: "alice");
            requestId = response.Headers.GetValues("X-Request-Id").Single();
            var echo = await StackFixture.EchoAsync(response);
            seen.Add(HeaderValue(echo, "X-Gatehouse-Variant"));
        }

        var variant = Assert.Single(seen);
        Assert.Matches("^checkout=(control|new)$", variant);
        var edge = await StackFixture.WaitForRecordAsync(_stack.Stack.EdgeDecisions.FilePath!, requestId!);
        Assert.Equal(variant, edge.GetProperty("variant").GetString());
    }

    [Fact]
    public async Task Variant_WithoutSubject_SetsVisitorCookieAndKeepsIt()
    {
        using var first = await _stack.GetAsync("/api/public/ab");
        Assert.True(first.Headers.Contains("Set-Cookie"), first.Headers.ToString());
        var cookie = first.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gh_visitor=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        var firstVariant = HeaderValue(await StackFixture.EchoAsync(first), "X-Gatehouse-Variant");

        var pair = cookie.Split(';')[0];
        for (var i = 0; i < 3; i++)
        {
            using var again = await _stack.GetAsync("/api/public/ab", configure: r => r.Headers.TryAddWithoutValidation("Cookie", pair));
            Assert.False(again.Headers.Contains("Set-Cookie"));
            Assert.Equal(firstVariant, HeaderValue(await StackFixture.EchoAsync(again), "X-Gatehouse-Variant"));
        }
    }

    [Fact]
    public async Task Variant_InvalidCookieBytes_TreatedAsNoCookie()
    {
        var head = $"GET /api/public/ab HTTP/1.1\r\nHost: {_stack.Edge.Authority}\r\nCookie: gh_visitor=\u00ff\u00fe; other=\u00ff\r\nConnection: close\r\n\r\n";

        var (status, response) = await RawHttp.SendAsync(_stack.Edge, head);

        Assert.Equal(200, status);
        Assert.Contains("Set-Cookie: gh_visitor=", response, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task HeaderDenyList_RemovesMatchingHeaders()
    {
        using var response = await _stack.GetAsync("/api/public/h", configure: r =>
        {
            r.Headers.TryAddWithoutValidation("X-Debug-Trace", "1");
            r.Headers.TryAddWithoutValidation("X-Kept", "yes");
        });

        var echo = await StackFixture.EchoAsync(response);
        Assert.Equal(string.Empty, HeaderValue(echo, "X-Debug-Trace"));
        Assert.Equal("yes", HeaderValue(echo, "X-Kept"));
    }

    private static string HeaderValue(JsonElement echo, string name)
    {
        foreach (var header in echo.GetProperty("headers").EnumerateObject())
        {
            if (header.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return string.Join(",", header.Value.EnumerateArray().Select(v => v.GetString()));
            }
        }

        return string.Empty;
    }
}

/// <summary>Key rotation while requests flow through the whole chain.</summary>
public sealed class KeyRotationTests : IClassFixture<StackFixture>
{
    private readonly StackFixture _stack;

    public KeyRotationTests(StackFixture stack)
    {
        _stack = stack;
    }

    [Fact]
    public async Task Rotation_UnderLoad_RejectsNothing()
    {
        var token = await _stack.TokenAsync("alice");
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var completed = 0;
        using var stop = new CancellationTokenSource();

        async Task Traffic()
        {
            // Bounded: each worker stops when cancelled or after 2,000 requests.
            for (var i = 0; i < 2_000 && !stop.IsCancellationRequested; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_stack.Edge, $"/api/orders/{i}"));
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                using var response = await _stack.Http.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                Interlocked.Increment(ref completed);
            }
        }

        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(Traffic)).ToList();
        var ring = _stack.Stack.KeyRing;
        var before = ring.CurrentKeyId;
        for (var rotation = 0; rotation < 3; rotation++)
        {
            var target = Volatile.Read(ref completed) + 40;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Volatile.Read(ref completed) < target && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            ring.Rotate();
        }

        var after = Volatile.Read(ref completed) + 40;
        var end = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref completed) < after && DateTime.UtcNow < end)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.NotEqual(before, ring.CurrentKeyId);
        Assert.True(completed >= 160, $"only {completed} requests completed");
        Assert.Empty(failures);
    }
}
