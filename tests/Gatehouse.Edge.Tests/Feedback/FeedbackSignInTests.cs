using System.Net;
using System.Net.Http.Headers;
using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Feedback;
using Gatehouse.Edge.Hosting;
using Gatehouse.Edge.Tests.Support;
using Gatehouse.Signals.Feedback;
using Gatehouse.Signals.RateLimiting;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Identity;
using Gatehouse.Trust.Keys;

namespace Gatehouse.Edge.Tests.Feedback;

public sealed class FeedbackSignInTests
{
    private const string Toml = """
        [[routes]]
        prefix = "/"
        kind = "public"

        [[feedback]]
        name = "scrapers"
        table = "web"
        when = "gpt0 > 0"
        action = "require_sign_in"
        ttl = "5m"
        """;

    [Fact]
    public void Observe_RequireSignInRule_StoresSignInMarker()
    {
        var rule = new FeedbackRule(
            "scrapers", "web", new FeedbackCondition("gpt0", FeedbackOperator.GreaterThan, 0),
            FeedbackAction.PenaltyBox, TimeSpan.FromMinutes(5), FeedbackKeyKind.ClientIp, 1)
        { Effect = FeedbackEffect.RequireSignIn };
        var time = new ShiftedTime();
        var box = new InMemoryPenaltyBox(time);
        var engine = new FeedbackEngine([rule], box, new CapturingLoggerFactory().CreateLogger("test"), time);

        engine.Observe("web", "10.1.2.3", "gpt0", 1);

        Assert.True(box.Has("feedback-signin:scrapers:10.1.2.3"));
        Assert.False(box.Has("feedback:scrapers:10.1.2.3"));
        Assert.Null(engine.Check("10.1.2.3", subject: null, subjectStage: false));
        Assert.Equal(rule, engine.SignInRequiredBy("10.1.2.3"));
        Assert.Null(engine.SignInRequiredBy("10.1.2.4"));
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Null(engine.SignInRequiredBy("10.1.2.3"));
    }

    [Fact]
    public async Task PublicRoute_MarkedClient_NeedsToken()
    {
        var origin = await EchoOrigin.StartAsync();
        var keyDirectory = Path.Combine(Path.GetTempPath(), "gh-edge-fbact-" + Guid.NewGuid().ToString("N"));
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
                Tokens = new OneTokenValidator(),
                Listen = "127.0.0.1:0",
            },
            CancellationToken.None);
        try
        {
            using var client = new HttpClient { BaseAddress = host.Address };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/before")).StatusCode);

            host.Feedback.Observe("web", "127.0.0.1", "gpt0", 1);

            using var anonymous = await client.GetAsync("/anonymous");
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            var denied = await RecordForAsync(decisions, "/anonymous");
            Assert.Equal("deny", denied.Decision);
            Assert.Equal("feedback:scrapers", denied.Rule);
            Assert.Equal("sign-in required after gpt0 > 0 at balancer table web: missing token", denied.Reason);

            using var badRequest = new HttpRequestMessage(HttpMethod.Get, "/bad");
            badRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(badRequest)).StatusCode);

            using var goodRequest = new HttpRequestMessage(HttpMethod.Get, "/signed-in");
            goodRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OneTokenValidator.Token);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(goodRequest)).StatusCode);
            var forwarded = await RecordForAsync(decisions, "/signed-in");
            Assert.Equal("forward", forwarded.Decision);
            Assert.Equal("feedback:scrapers", forwarded.Rule);
            Assert.Equal("alice", forwarded.Subject);
        }
        finally
        {
            await host.DisposeAsync();
            await origin.DisposeAsync();
            Directory.Delete(keyDirectory, recursive: true);
        }
    }

    // The edge writes the decision record after the response, so the test waits for it with a deadline.
    private static async Task<Gatehouse.Telemetry.Decisions.DecisionRecord> RecordForAsync(DecisionList decisions, string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (decisions.Records.FirstOrDefault(r => r.Path == path) is { } record)
            {
                return record;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no decision record for {path} within 10 s");
    }

    /// <summary>Accepts exactly one token, as subject alice.</summary>
    private sealed class OneTokenValidator : ITokenValidator
    {
        public const string Token = "alice-token";

        public ValueTask<TokenCheck> ValidateAsync(string token, CancellationToken cancellationToken) =>
            ValueTask.FromResult(token == Token
                ? new TokenCheck(TokenFailure.None, "alice", [], "test", DateTimeOffset.MaxValue, null)
                : TokenCheck.Reject(TokenFailure.BadSignature));
    }
}
