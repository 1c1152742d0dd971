using System.Net;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Tests.Configuration;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

/// <summary>Runs examples/haproxy.cfg against echo origins, with the fake verifier in place of JWKS.</summary>
public sealed class EdgeAssertionTests : IAsyncLifetime
{
    private readonly Dictionary<string, EchoOrigin> _origins = [];
    private BalancerTestHost? _balancer;

    private BalancerTestHost Balancer => _balancer!;

    public async Task InitializeAsync()
    {
        var variables = new Dictionary<string, string>
        {
            ["BALANCER_BIND"] = "127.0.0.1:0",
            ["STATS_BIND"] = "127.0.0.1:0",
            ["EDGE_JWKS_URL"] = "http://127.0.0.1:1/jwks.json",
        };
        foreach (var name in new[] { "PUBLIC1", "PUBLIC2", "STAFF1", "STAFF2", "ADMIN1" })
        {
            var origin = await EchoOrigin.StartAsync(name.ToLowerInvariant());
            _origins[name] = origin;
            variables["ORIGIN_" + name] = origin.Address;
        }

        _balancer = await StartAsync(BalancerConfigLoader.Load([ExampleConfigTests.ExamplePath()], variables));
    }

    public async Task DisposeAsync()
    {
        if (_balancer is not null)
        {
            await _balancer.DisposeAsync();
        }

        foreach (var origin in _origins.Values)
        {
            await origin.DisposeAsync();
        }
    }

    private static string Bob => FakeAssertionVerifier.Token("bob", "staff,admin", "203.0.113.9", "rid-bob");

    private static string Alice => FakeAssertionVerifier.Token("alice", "staff", "198.51.100.7", "rid-alice");

    [Fact]
    public async Task MissingAssertion_Returns403WithReason()
    {
        using var response = await Balancer.SendAsync(Get("/api/public/x"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("edge assertion required: missing edge assertion", await response.Content.ReadAsStringAsync());
        Assert.Equal(new Uri("http://127.0.0.1:1/jwks.json"), Assert.Single(Balancer.Verifier.JwksUris));
    }

    [Fact]
    public async Task InvalidAssertion_Returns403WithReason()
    {
        using var response = await Balancer.SendAsync(Get("/api/public/x", "forged"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("edge assertion required: signature invalid", await response.Content.ReadAsStringAsync());
        var record = await Balancer.Sink.WaitForAsync(response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("deny", record.Decision);
        Assert.Equal(403, record.Status);
        Assert.EndsWith("haproxy.cfg:24 edge-assertion", record.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminGroup_ReachesAdminPool()
    {
        using var response = await Balancer.SendAsync(Get("/admin/panel", Bob));
        var reply = await EchoReply.ReadAsync(response);

        Assert.Equal("admin1", reply.Origin);
    }

    [Fact]
    public async Task StaffGroup_IsDeniedAdmin()
    {
        using var response = await Balancer.SendAsync(Get("/admin/panel", Alice));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("group not allowed: admin required", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StaffGroup_ReachesStaffPool()
    {
        using var response = await Balancer.SendAsync(Get("/api/orders", Alice));
        var reply = await EchoReply.ReadAsync(response);

        Assert.StartsWith("staff", reply.Origin, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoGroups_IsDeniedStaffApi()
    {
        var nobody = FakeAssertionVerifier.Token("carol", "", "192.0.2.1", "rid-carol");

        using var response = await Balancer.SendAsync(Get("/api/orders", nobody));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("group not allowed: staff required", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnroutedPath_ReturnsNoRoute404()
    {
        using var response = await Balancer.SendAsync(Get("/elsewhere", Alice));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no route", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ForwardedRequest_StripsAssertionAndUsesEdgeClient()
    {
        using var response = await Balancer.SendAsync(Get("/api/public/info", Bob));
        var reply = await EchoReply.ReadAsync(response);

        Assert.StartsWith("public", reply.Origin, StringComparison.Ordinal);
        Assert.False(reply.Headers.ContainsKey("X-Gatehouse-Assertion"));
        Assert.Equal("203.0.113.9", reply.Headers["X-Forwarded-For"]);
        Assert.Equal("rid-bob", reply.Headers["X-Request-Id"]);
        Assert.Equal("rid-bob", response.Headers.GetValues("X-Request-Id").Single());
        var record = await Balancer.Sink.WaitForAsync("rid-bob");
        Assert.Equal("bob", record.Subject);
        Assert.Equal(["staff", "admin"], record.Groups!);
        Assert.Equal("203.0.113.9", record.Client);
    }
}
