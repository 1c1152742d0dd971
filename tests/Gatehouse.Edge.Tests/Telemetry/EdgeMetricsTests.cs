using Gatehouse.Edge.Compute.Runtime;
using Gatehouse.Edge.Telemetry;
using Gatehouse.Trust.Identity;
using static Gatehouse.Edge.Tests.Telemetry.PrometheusText;

namespace Gatehouse.Edge.Tests.Telemetry;

public sealed class EdgeMetricsTests
{
    [Fact]
    public async Task Exporter_CountsDecisionsAndRateLimitHits()
    {
        using var metrics = new EdgeMetrics();
        using var exporter = new EdgeMetricsExporter(metrics);
        metrics.RecordDecision("r", "forward");
        metrics.RecordDecision("r", "forward");
        metrics.RecordDecision("r", "limit");

        var samples = await ParseAsync(exporter.Build());

        Assert.Equal(2, samples[Key("gatehouse_edge_decisions_total", """{"action": "forward", "rule": "r"}""")]);
        Assert.Equal(1, samples[Key("gatehouse_edge_decisions_total", """{"action": "limit", "rule": "r"}""")]);
        Assert.Equal(1, samples[Key("gatehouse_edge_rate_limit_hits_total", """{"rule": "r"}""")]);
    }

    [Fact]
    public async Task Exporter_WritesHistogramBuckets()
    {
        using var metrics = new EdgeMetrics();
        using var exporter = new EdgeMetricsExporter(metrics);
        metrics.RecordTokenValidation(TokenFailure.Expired, TimeSpan.FromMilliseconds(3));
        metrics.RecordTokenValidation(TokenFailure.Expired, TimeSpan.FromSeconds(20));

        var samples = await ParseAsync(exporter.Build());

        Assert.Equal(0, samples[Key("gatehouse_edge_token_validation_seconds_bucket", """{"le": "0.0025", "result": "expired"}""")]);
        Assert.Equal(1, samples[Key("gatehouse_edge_token_validation_seconds_bucket", """{"le": "0.005", "result": "expired"}""")]);
        Assert.Equal(2, samples[Key("gatehouse_edge_token_validation_seconds_bucket", """{"le": "+Inf", "result": "expired"}""")]);
        Assert.Equal(2, samples[Key("gatehouse_edge_token_validation_seconds_count", """{"result": "expired"}""")]);
        Assert.Equal(2, samples[Key("gatehouse_edge_token_validations_total", """{"result": "expired"}""")]);
    }

    [Fact]
    public async Task Exporter_ReadsPenaltyBoxGauge()
    {
        using var metrics = new EdgeMetrics();
        using var exporter = new EdgeMetricsExporter(metrics);
        metrics.ObservePenaltyBox(() => 7);

        var samples = await ParseAsync(exporter.Build());

        Assert.Equal(7, samples[Key("gatehouse_edge_penalty_box_entries", "{}")]);
    }

    [Fact]
    public async Task Exporter_TwoEdgesInOneProcess_KeepSeparateCounts()
    {
        using var first = new EdgeMetrics();
        using var second = new EdgeMetrics();
        using var exporter = new EdgeMetricsExporter(first);
        first.RecordDecision("r", "forward");
        second.RecordDecision("r", "forward");
        second.RecordDecision("r", "forward");

        var samples = await ParseAsync(exporter.Build());

        Assert.Equal(1, samples[Key("gatehouse_edge_decisions_total", """{"action": "forward", "rule": "r"}""")]);
    }

    [Theory]
    [InlineData(GuestFailure.CpuLimit, null, "cpu")]
    [InlineData(GuestFailure.WallClockLimit, null, "wall_clock")]
    [InlineData(GuestFailure.Trap, "wasm trap: out of memory", "memory")]
    public async Task RecordGuest_LimitFailure_CountsKillByLimit(GuestFailure failure, string? cause, string limit)
    {
        using var metrics = new EdgeMetrics();
        using var exporter = new EdgeMetricsExporter(metrics);

        metrics.RecordGuest(new GuestOutcome { Status = 500, Failure = failure, Cause = cause, WallTime = TimeSpan.FromMilliseconds(60) });

        var samples = await ParseAsync(exporter.Build());
        Assert.Equal(1, samples[Key("gatehouse_edge_guest_limit_kills_total", $$"""{"limit": "{{limit}}"}""")]);
        Assert.Equal(1, samples[Key("gatehouse_edge_guest_run_seconds_count", "{}")]);
    }

    [Fact]
    public async Task RecordGuest_InstantiationFailure_RecordsNoInstantiationTime()
    {
        using var metrics = new EdgeMetrics();
        using var exporter = new EdgeMetricsExporter(metrics);

        metrics.RecordGuest(new GuestOutcome { Status = 500, Failure = GuestFailure.Instantiation });
        metrics.RecordGuest(new GuestOutcome { Status = 500, Failure = GuestFailure.Trap, Cause = "unreachable" });

        var samples = await ParseAsync(exporter.Build());
        Assert.Equal(1, samples[Key("gatehouse_edge_guest_instantiation_seconds_count", "{}")]);
        Assert.DoesNotContain(samples.Keys, key => key.StartsWith("gatehouse_edge_guest_limit_kills_total", StringComparison.Ordinal));
    }

    [Fact]
    public void Exporter_EscapesLabelValues()
    {
        Assert.Equal("a\\\\b\\\"c\\nd", EdgeMetricsExporter.Escape("a\\b\"c\nd"));
    }

    [Fact]
    public void LimitedKeys_SecretKey_IsHashed()
    {
        var keys = new LimitedKeys();
        keys.AddSecret("per-key", "eyJhbGciOiJSUzI1NiJ9.secret");
        keys.AddClient("per-client", "192.0.2.7");
        keys.AddClient("per-client", "192.0.2.7");

        var top = keys.Top(10);

        Assert.Equal(("192.0.2.7", "per-client", 2L), top[0]);
        Assert.StartsWith("sha256:", top[1].Key);
        Assert.Equal(19, top[1].Key.Length);
        Assert.DoesNotContain("eyJ", top[1].Key);
    }

    [Fact]
    public void LimitedKeys_Full_KeepsAtMostMaxKeys()
    {
        var keys = new LimitedKeys();
        for (var i = 0; i < LimitedKeys.MaxKeys * 3; i++)
        {
            keys.AddClient("r", $"10.0.{i / 256}.{i % 256}");
        }

        Assert.InRange(keys.Top(int.MaxValue).Count, 1, LimitedKeys.MaxKeys);
    }

    [Fact]
    public void DecisionRates_CountsWholeSecondsOnly()
    {
        var time = new ManualTime(DateTimeOffset.UnixEpoch.AddSeconds(1000));
        var rates = new DecisionRates(time);
        for (var i = 0; i < 20; i++)
        {
            rates.Add("forward");
        }

        Assert.Equal(0, Assert.Single(rates.Snapshot()).PerSecond);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2.0, Assert.Single(rates.Snapshot()).PerSecond);
        time.Advance(TimeSpan.FromSeconds(DecisionRates.WindowSeconds));
        Assert.Equal(0, Assert.Single(rates.Snapshot()).PerSecond);
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
