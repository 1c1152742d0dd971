using Gatehouse.Edge.Feedback;
using Gatehouse.Edge.Tests.Support;
using Gatehouse.Signals.Feedback;
using Gatehouse.Signals.RateLimiting;

namespace Gatehouse.Edge.Tests.Feedback;

public sealed class FeedbackEngineTests
{
    private static readonly FeedbackRule BadPaths = new(
        "bad-paths", "web", new FeedbackCondition("gpt0", FeedbackOperator.GreaterThan, 0),
        FeedbackAction.PenaltyBox, TimeSpan.FromMinutes(1), FeedbackKeyKind.ClientIp, 3);

    private static readonly FeedbackRule Abusers = new(
        "abusers", "users", new FeedbackCondition("http_req_rate", FeedbackOperator.GreaterOrEqual, 100),
        FeedbackAction.PenaltyBox, TimeSpan.FromMinutes(2), FeedbackKeyKind.Subject, 9);

    private static (FeedbackEngine Engine, InMemoryPenaltyBox Box, CapturingLoggerFactory Logs, ShiftedTime Time) Create()
    {
        var time = new ShiftedTime();
        var box = new InMemoryPenaltyBox(time);
        var logs = new CapturingLoggerFactory();
        return (new FeedbackEngine([BadPaths, Abusers], box, logs.CreateLogger("test"), time), box, logs, time);
    }

    [Fact]
    public void Observe_ConditionHolds_BoxesKeyUnderRuleName()
    {
        var (engine, box, _, _) = Create();
        engine.Observe("web", "::ffff:10.1.2.3", "Gpt0", 1);

        Assert.True(box.Has("feedback:bad-paths:10.1.2.3"));
        var block = engine.Check("10.1.2.3", subject: null, subjectStage: false);
        Assert.NotNull(block);
        Assert.Equal(BadPaths, block.Rule);
        Assert.Null(engine.Check("10.1.2.4", subject: null, subjectStage: false));
    }

    [Theory]
    [InlineData("web", "gpt0", 0)]
    [InlineData("other", "gpt0", 1)]
    [InlineData("web", "gpc0", 1)]
    public void Observe_ConditionFails_NothingBoxed(string table, string counter, long value)
    {
        var (engine, box, _, _) = Create();
        engine.Observe(table, "10.1.2.3", counter, value);
        Assert.Equal(0, box.Count);
    }

    [Fact]
    public void Observe_Repeated_LogsOncePerTtl()
    {
        var (engine, _, logs, time) = Create();
        engine.Observe("web", "10.1.2.3", "gpt0", 1);
        engine.Observe("web", "10.1.2.3", "gpt0", 1);
        Assert.Equal(1, logs.Count(2050));

        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(engine.Check("10.1.2.3", subject: null, subjectStage: false));
        engine.Observe("web", "10.1.2.3", "gpt0", 1);
        Assert.Equal(2, logs.Count(2050));
        Assert.NotNull(engine.Check("10.1.2.3", subject: null, subjectStage: false));
    }

    [Fact]
    public void Check_SubjectRule_OnlyAtSubjectStage()
    {
        var (engine, _, _, _) = Create();
        engine.Observe("users", "alice", "http_req_rate(10000)", 100);
        Assert.Null(engine.Check("alice", subject: null, subjectStage: false));
        Assert.Equal(Abusers, engine.Check("10.0.0.1", "alice", subjectStage: true)?.Rule);
    }

    [Fact]
    public void Apply_KnownRule_BoxesKey()
    {
        var (engine, box, _, _) = Create();
        engine.Apply(new FeedbackSignal("users", FeedbackKeyKind.Subject, "bob", FeedbackAction.PenaltyBox, TimeSpan.FromMinutes(2), "abusers", "http_req_rate", 150));
        Assert.True(box.Has("feedback:abusers:bob"));
    }

    [Fact]
    public void Apply_UnknownRule_DroppedAndLogged()
    {
        var (engine, box, logs, _) = Create();
        engine.Apply(new FeedbackSignal("users", FeedbackKeyKind.Subject, "bob", FeedbackAction.PenaltyBox, TimeSpan.FromMinutes(2), "nope", "gpt0", 1));
        Assert.Equal(0, box.Count);
        Assert.Equal(1, logs.Count(2051));
    }

    [Fact]
    public void ConnectPush_WatchesEachPushRule_AtLowestMatch()
    {
        var (engine, box, logs, _) = Create();
        var watches = new List<(string Table, string Counter, long Threshold)>();
        Action<string, long>? crossed = null;
        using var push = engine.ConnectPush((table, counter, threshold, onCrossed) =>
        {
            watches.Add((table, counter, threshold));
            if (table == "web")
            {
                crossed = onCrossed;
                return new EmptyDisposable();
            }

            return null;
        });

        Assert.Equal([("web", "gpt0", 1L), ("users", "http_req_rate", 100L)], watches);
        Assert.Equal(1, logs.Count(2057));
        crossed!("127.0.0.1", 1);
        Assert.True(box.Has("feedback:bad-paths:127.0.0.1"));
    }

    [Theory]
    [InlineData("HttpErrRate", "http_err_rate")]
    [InlineData("Gpc0Rate", "gpc0_rate")]
    [InlineData("http_req_rate(10000)", "http_req_rate")]
    [InlineData("gpt0", "gpt0")]
    public void Counters_Normalize_SnakeCase(string name, string expected) =>
        Assert.Equal(expected, FeedbackCounters.Normalize(name));

    private sealed class EmptyDisposable : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
