using System.Net;
using System.Net.Http.Headers;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Hosting;
using Gatehouse.Edge.Tests.Support;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Identity;
using Gatehouse.Trust.Keys;

namespace Gatehouse.Edge.Tests.Feedback;

/// <summary>
/// A real Kestrel edge with a rate_limit feedback rule, on a manual clock: the marked key is limited to the
/// stricter rate, other keys are not, and after the rule's TTL only the [[rate_limits]] rules apply.
/// </summary>
public sealed class FeedbackRateLimitEdgeTests
{
    // The provider is never contacted: the edge gets a token validator of its own.
    private const string Toml = """
        [[providers]]
        issuer = "http://127.0.0.1:9/"
        audience = "gatehouse"
        allow_http = true

        [[routes]]
        prefix = "/api/"
        kind = "protected"

        [[routes]]
        prefix = "/"
        kind = "public"

        [[rate_limits]]
        name = "per-client"
        key = "client_ip"
        window = "1s"
        limit = 5
        penalty = "1m"

        [[feedback]]
        name = "slow-clients"
        table = "web"
        when = "gpt0 > 0"
        action = "rate_limit"
        limit = 2
        window = "1s"
        ttl = "1m"

        [[feedback]]
        name = "slow-users"
        table = "users"
        when = "http_req_rate > 100"
        action = "rate_limit"
        key = "subject"
        limit = 1
        window = "1s"
        ttl = "2m"
        """;

    [Fact]
    public async Task ClientIpRule_MarkedClient_StricterLimitUntilTtl()
    {
        var time = new ManualClock();
        await using var edge = await StartAsync(time);

        edge.Host.Feedback.Observe("web", "127.0.0.1", "gpt0", 1);

        Assert.Equal(HttpStatusCode.OK, await edge.GetStatusAsync("/one"));
        Assert.Equal(HttpStatusCode.OK, await edge.GetStatusAsync("/two"));
        using (var limited = await edge.Client.GetAsync("/three"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.Delta);
        }

        var record = await RecordForAsync(edge.Decisions, "/three");
        Assert.Equal("limit", record.Decision);
        Assert.Equal("feedback:slow-clients", record.Rule);
        Assert.Equal("rate 3/s over 2/s in 1s window after gpt0 > 0 at balancer table web", record.Reason);

        // After the TTL only [[rate_limits]] per-client applies: 5/s, so the 6th request is rejected.
        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await edge.GetStatusAsync($"/after-{i}"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await edge.GetStatusAsync("/after-6"));
        var normal = await RecordForAsync(edge.Decisions, "/after-6");
        Assert.StartsWith("rate_limit per-client", normal.Rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientIpRule_OtherClientMarked_NotLimited()
    {
        await using var edge = await StartAsync(new ManualClock());

        edge.Host.Feedback.Observe("web", "10.9.9.9", "gpt0", 1);

        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await edge.GetStatusAsync($"/page-{i}"));
        }
    }

    [Fact]
    public async Task SubjectRule_MarkedSubject_StricterLimit()
    {
        await using var edge = await StartAsync(new ManualClock());

        edge.Host.Feedback.Observe("users", "alice", "http_req_rate", 101);

        Assert.Equal(HttpStatusCode.OK, await edge.GetStatusAsync("/api/one", TwoTokenValidator.Alice));
        Assert.Equal(HttpStatusCode.TooManyRequests, await edge.GetStatusAsync("/api/two", TwoTokenValidator.Alice));
        Assert.Equal(HttpStatusCode.OK, await edge.GetStatusAsync("/api/bob", TwoTokenValidator.Bob));

        var record = await RecordForAsync(edge.Decisions, "/api/two");
        Assert.Equal("limit", record.Decision);
        Assert.Equal("feedback:slow-users", record.Rule);
        Assert.Equal("rate 2/s over 1/s in 1s window after http_req_rate > 100 at balancer table users", record.Reason);
    }

    private static async Task<RunningEdge> StartAsync(TimeProvider time)
    {
        var origin = await EchoOrigin.StartAsync();
        var keyDirectory = Path.Combine(Path.GetTempPath(), "gh-edge-fblimit-" + Guid.NewGuid().ToString("N"));
        var decisions = new DecisionList();
        var config = EdgeConfigLoader.Parse(
            $"[balancer]\nurl = \"{origin.Address}\"\n\n{Toml}", Path.Combine(AppContext.BaseDirectory, "edge.toml"), new Dictionary<string, string>());
        var ring = KeyRing.OpenDirectory(keyDirectory);
        var host = await EdgeHost.StartAsync(
            config,
            new EdgeHostOptions
            {
                LoggerFactory = new CapturingLoggerFactory(),
                Decisions = decisions,
                Assertions = new EdgeAssertionIssuer(ring),
                PublicJwks = ring.PublicJwksJson,
                Tokens = new TwoTokenValidator(),
                Listen = "127.0.0.1:0",
                Time = time,
            },
            CancellationToken.None);
        return new RunningEdge(host, origin, keyDirectory, decisions);
    }

    // The edge writes the decision record after the response, so the test waits for it with a deadline.
    private static async Task<DecisionRecord> RecordForAsync(DecisionList decisions, string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (decisions.Records.FirstOrDefault(r => r.Path == path) is { } record)
            {
                return record;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no decision record for {path} within 15 s");
    }

    private sealed class RunningEdge(EdgeHost host, EchoOrigin origin, string keyDirectory, DecisionList decisions) : IAsyncDisposable
    {
        public EdgeHost Host => host;

        public DecisionList Decisions => decisions;

        public HttpClient Client { get; } = new() { BaseAddress = host.Address };

        public async Task<HttpStatusCode> GetStatusAsync(string path, string? token = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await Client.SendAsync(request);
            return response.StatusCode;
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await host.DisposeAsync();
            await origin.DisposeAsync();
            Directory.Delete(keyDirectory, recursive: true);
        }
    }

    /// <summary>Accepts two tokens, as subjects alice and bob.</summary>
    private sealed class TwoTokenValidator : ITokenValidator
    {
        public const string Alice = "alice-token";
        public const string Bob = "bob-token";

        public ValueTask<TokenCheck> ValidateAsync(string token, CancellationToken cancellationToken) =>
            ValueTask.FromResult(token switch
            {
                Alice => new TokenCheck(TokenFailure.None, "alice", [], "test", DateTimeOffset.MaxValue, null),
                Bob => new TokenCheck(TokenFailure.None, "bob", [], "test", DateTimeOffset.MaxValue, null),
                _ => TokenCheck.Reject(TokenFailure.BadSignature),
            });
    }
}
