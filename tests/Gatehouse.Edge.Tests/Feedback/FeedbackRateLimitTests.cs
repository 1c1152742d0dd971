using Gatehouse.Edge.Feedback;
using Gatehouse.Edge.Tests.Support;
using Gatehouse.Signals.Feedback;
using Gatehouse.Signals.RateLimiting;

namespace Gatehouse.Edge.Tests.Feedback;

/// <summary>The rate_limit action of feedback rules in the engine, on a manual clock.</summary>
public sealed class FeedbackRateLimitTests
{
    private static readonly FeedbackRule Slow = new(
        "slow-down", "web", new FeedbackCondition("gpt0", FeedbackOperator.GreaterThan, 0),
        FeedbackAction.RateLimit, TimeSpan.FromMinutes(2), FeedbackKeyKind.ClientIp, 4)
    {
        Effect = FeedbackEffect.RateLimit,
        Limit = new FeedbackLimit(2, 1),
    };

    private static readonly FeedbackRule SlowUsers = new(
        "slow-users", "users", new FeedbackCondition("http_req_rate", FeedbackOperator.GreaterOrEqual, 100),
        FeedbackAction.RateLimit, TimeSpan.FromMinutes(1), FeedbackKeyKind.Subject, 12)
    {
        Effect = FeedbackEffect.RateLimit,
        Limit = new FeedbackLimit(1, 10),
    };

    private sealed record Setup(FeedbackEngine Engine, InMemoryPenaltyBox Box, InMemoryRateCounter Counter, CapturingLoggerFactory Logs, ManualClock Time);

    private static Setup Create(params FeedbackRule[] rules)
    {
        var time = new ManualClock();
        var box = new InMemoryPenaltyBox(time);
        var counter = new InMemoryRateCounter(time);
        var logs = new CapturingLoggerFactory();
        var engine = new FeedbackEngine(rules.Length == 0 ? [Slow, SlowUsers] : rules, box, logs.CreateLogger("test"), time, counter);
        return new Setup(engine, box, counter, logs, time);
    }

    /// <summary>Sends <paramref name="count"/> client-stage checks and returns the first block, or null.</summary>
    private static FeedbackBlock? CheckClient(FeedbackEngine engine, string client, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            if (engine.Check(client, subject: null, subjectStage: false) is { } block)
            {
                return block;
            }
        }

        return null;
    }

    [Fact]
    public void Observe_RateLimitRule_StoresLimitMarker()
    {
        var setup = Create();
        setup.Engine.Observe("web", "::ffff:10.1.2.3", "gpt0", 1);

        Assert.True(setup.Box.Has("feedback-limit:slow-down:10.1.2.3"));
        Assert.False(setup.Box.Has("feedback:slow-down:10.1.2.3"));
        Assert.Equal(1, setup.Logs.Count(2059));
        Assert.Equal(0, setup.Logs.Count(2050));
        var logged = Assert.Single(setup.Logs.Events, e => e.Id.Id == 2059).Message;
        Assert.Equal("Feedback rule slow-down limits 10.1.2.3 to 2/s in 1s window for 00:02:00: gpt0 > 0 at balancer table web (value 1)", logged);
    }

    [Fact]
    public void Check_MarkedKey_BlockedOverStricterLimit()
    {
        var setup = Create();
        setup.Engine.Observe("web", "10.1.2.3", "gpt0", 1);

        Assert.Null(setup.Engine.Check("10.1.2.3", subject: null, subjectStage: false));
        Assert.Null(setup.Engine.Check("10.1.2.3", subject: null, subjectStage: false));
        var block = setup.Engine.Check("10.1.2.3", subject: null, subjectStage: false);

        Assert.NotNull(block);
        Assert.Equal(Slow, block.Rule);
        Assert.Equal("limit", block.Decision);
        Assert.Equal("rate 3/s over 2/s in 1s window after gpt0 > 0 at balancer table web", block.Reason);
        Assert.Equal(TimeSpan.FromSeconds(1), block.RetryAfter);
        Assert.Equal(3, setup.Counter.LookupRate("slow-down|10.1.2.3", 1));
    }

    [Fact]
    public void Check_UnmarkedKey_NotCountedOrBlocked()
    {
        var setup = Create();
        setup.Engine.Observe("web", "10.1.2.3", "gpt0", 1);

        Assert.Null(CheckClient(setup.Engine, "10.1.2.4", 50));
        Assert.Equal(0, setup.Counter.LookupRate("slow-down|10.1.2.4", 1));
        Assert.Equal(0, setup.Counter.Count);
    }

    [Fact]
    public void Check_RateFallsBack_AllowedAgain()
    {
        var setup = Create();
        setup.Engine.Observe("web", "10.1.2.3", "gpt0", 1);
        Assert.NotNull(CheckClient(setup.Engine, "10.1.2.3", 3));

        setup.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Null(setup.Engine.Check("10.1.2.3", subject: null, subjectStage: false));
        Assert.True(setup.Box.Has("feedback-limit:slow-down:10.1.2.3"));
    }

    [Fact]
    public void Check_TtlPassed_StricterLimitEnds()
    {
        var setup = Create();
        setup.Engine.Observe("web", "10.1.2.3", "gpt0", 1);
        Assert.NotNull(CheckClient(setup.Engine, "10.1.2.3", 3));

        setup.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        Assert.False(setup.Box.Has("feedback-limit:slow-down:10.1.2.3"));
        Assert.Null(CheckClient(setup.Engine, "10.1.2.3", 50));
    }

    [Fact]
    public void Check_RetryAfter_NeverPastMarkerExpiry()
    {
        var setup = Create(SlowUsers);
        setup.Engine.Observe("users", "alice", "http_req_rate", 100);
        setup.Time.Advance(TimeSpan.FromSeconds(55));

        FeedbackBlock? block = null;
        for (var i = 0; i < 30 && block is null; i++)
        {
            block = setup.Engine.Check("10.0.0.1", "alice", subjectStage: true);
        }

        Assert.NotNull(block);
        Assert.Equal(TimeSpan.FromSeconds(5), block.RetryAfter);
    }

    [Fact]
    public void Check_SubjectRule_LimitsSubjectOnlyAtSubjectStage()
    {
        var setup = Create();
        setup.Engine.Observe("users", "alice", "http_req_rate(10000)", 150);

        for (var i = 0; i < 30; i++)
        {
            Assert.Null(setup.Engine.Check("alice", subject: null, subjectStage: false));
        }

        // 1/s over 10 s: the 20th request in the window reads 2/s.
        for (var i = 1; i < 20; i++)
        {
            Assert.Null(setup.Engine.Check("10.0.0.1", "alice", subjectStage: true));
        }

        var block = setup.Engine.Check("10.0.0.1", "alice", subjectStage: true);
        Assert.Equal(SlowUsers, block?.Rule);
        Assert.Equal(TimeSpan.FromSeconds(10), block?.RetryAfter);
        Assert.Null(setup.Engine.Check("10.0.0.1", "bob", subjectStage: true));
    }

    [Fact]
    public void Apply_RateLimitSignal_MarksKey()
    {
        var setup = Create();
        setup.Engine.Apply(new FeedbackSignal(
            "web", FeedbackKeyKind.ClientIp, "10.9.9.9", FeedbackAction.RateLimit, TimeSpan.FromMinutes(2), "slow-down", "gpt0", 1));

        Assert.True(setup.Box.Has("feedback-limit:slow-down:10.9.9.9"));
        Assert.NotNull(CheckClient(setup.Engine, "10.9.9.9", 3));
    }

    [Fact]
    public void Publisher_RateLimitRule_PublishesRateLimitAction()
    {
        var bus = new InMemorySignalBus();
        var received = new List<FeedbackSignal>();
        using var subscription = bus.Subscribe(received.Add);
        var publisher = new FeedbackPublisher([Slow], bus, new CapturingLoggerFactory().CreateLogger("test"), new ManualClock());

        // The in-memory bus delivers before PublishAsync returns, so Observe returns after delivery.
        publisher.Observe("web", "10.1.2.3", "gpt0", 1);

        var signal = Assert.Single(received);
        Assert.Equal(FeedbackAction.RateLimit, signal.Action);
        Assert.Equal("slow-down", signal.RuleName);
        Assert.Equal("10.1.2.3", signal.Key);
    }

    [Fact]
    public void Observe_PenaltyRule_LogsBareRuleName()
    {
        var rule = new FeedbackRule(
            "bad-paths", "web", new FeedbackCondition("gpt0", FeedbackOperator.GreaterThan, 0),
            FeedbackAction.PenaltyBox, TimeSpan.FromMinutes(1), FeedbackKeyKind.ClientIp, 3);
        var setup = Create(rule);

        setup.Engine.Observe("web", "10.1.2.3", "gpt0", 1);

        var logged = Assert.Single(setup.Logs.Events, e => e.Id.Id == 2050).Message;
        Assert.StartsWith("Feedback rule bad-paths put 10.1.2.3 in the penalty box", logged, StringComparison.Ordinal);
    }

    [Fact]
    public void Entries_LongRuleNameAndKey_FitPenaltyBox()
    {
        var rule = Slow with { Name = new string('r', 64) };
        var entry = FeedbackEntries.For(rule, new string('k', 200));

        Assert.StartsWith("feedback-limit:" + new string('r', 64) + ":sha256:", entry, StringComparison.Ordinal);
        Assert.InRange(entry.Length, 1, 256);
        Assert.Equal("slow-down|10.1.2.3", FeedbackEntries.CounterFor(Slow, "10.1.2.3"));
    }
}
