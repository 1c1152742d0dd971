using Gatehouse.Telemetry.Audit;
using Gatehouse.Telemetry.Decisions;

namespace Gatehouse.Telemetry.Tests;

public sealed class DecisionQueryTests
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static DecisionRecord Record(string id, string tier, string decision, int minute, string? subject = null, string? client = null) => new()
    {
        Time = Noon.AddMinutes(minute),
        Tier = tier,
        RequestId = id,
        Decision = decision,
        Subject = subject,
        Client = client,
        Status = decision == "deny" ? 403 : 200,
    };

    // Request "a": alice forwarded by the edge and denied by the balancer; "b": bob allowed; "c": a static asset.
    private static readonly DecisionRecord[] Records =
    [
        Record("b", "balancer", "allow", 5, subject: "bob", client: "10.0.0.2"),
        Record("a", "balancer", "deny", 1, subject: "alice", client: "10.0.0.1"),
        Record("a", "edge", "forward", 0, subject: "alice", client: "10.0.0.1"),
        Record("b", "edge", "forward", 4, subject: "bob", client: "10.0.0.2"),
        Record("c", "edge", "static", 10, client: "192.168.1.9"),
    ];

    [Fact]
    public void Join_RequestId_ReturnsBothTiersEdgeFirst()
    {
        var requests = DecisionQuery.Join(Records, new DecisionFilter { RequestId = "a" });

        var request = Assert.Single(requests);
        Assert.Equal(["edge", "balancer"], request.Records.Select(r => r.Tier));
    }

    [Fact]
    public void Join_DecisionFilter_KeepsOtherTierRecord()
    {
        var requests = DecisionQuery.Join(Records, new DecisionFilter { Decision = "DENY" });

        var request = Assert.Single(requests);
        Assert.Equal("a", request.RequestId);
        Assert.Equal(2, request.Records.Count);
    }

    [Fact]
    public void Join_SubjectAndDecisionOnDifferentRecords_Match()
    {
        var requests = DecisionQuery.Join(Records, new DecisionFilter { Subject = "bob", Decision = "forward" });

        Assert.Equal(["b"], requests.Select(r => r.RequestId));
    }

    [Fact]
    public void Join_ClientNetwork_MatchesAddressesInside()
    {
        var byNetwork = DecisionQuery.Join(Records, new DecisionFilter { Client = "10.0.0.0/8" });
        var byAddress = DecisionQuery.Join(Records, new DecisionFilter { Client = "192.168.1.9" });

        Assert.Equal(["a", "b"], byNetwork.Select(r => r.RequestId));
        Assert.Equal(["c"], byAddress.Select(r => r.RequestId));
    }

    [Fact]
    public void Join_Since_DropsOlderRequests()
    {
        var requests = DecisionQuery.Join(Records, new DecisionFilter { Since = Noon.AddMinutes(4) });

        Assert.Equal(["b", "c"], requests.Select(r => r.RequestId));
    }

    [Theory]
    [InlineData("10m", "2025-06-01T11:50:00Z")]
    [InlineData("90s", "2025-06-01T11:58:30Z")]
    [InlineData("2h", "2025-06-01T10:00:00Z")]
    [InlineData("1d", "2025-05-31T12:00:00Z")]
    [InlineData("2025-06-01T08:00:00Z", "2025-06-01T08:00:00Z")]
    [InlineData("2025-06-01T08:00:00", "2025-06-01T08:00:00Z")]
    [InlineData("2025-06-01T10:00:00+02:00", "2025-06-01T08:00:00Z")]
    public void SinceParser_ValidValue_ReturnsTime(string text, string expected)
    {
        var since = SinceParser.Parse(text, Noon, out var error);

        Assert.Null(error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), since);
    }

    [Fact]
    public void SinceParser_InvalidValue_ExplainsFormat()
    {
        var since = SinceParser.Parse("ten minutes", Noon, out var error);

        Assert.Null(since);
        Assert.Equal(
            "invalid --since value 'ten minutes': expected a duration such as 10m, 2h or 7d, or an ISO 8601 time such as 2025-06-01T12:00:00Z",
            error);
    }

    [Fact]
    public void DecisionTable_Table_RowPerRecord()
    {
        var output = new StringWriter();
        DecisionTable.WriteTable(output, DecisionQuery.Join(Records, new DecisionFilter { RequestId = "a" }));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("TIME (UTC)", lines[0], StringComparison.Ordinal);
        Assert.Contains("edge", lines[1], StringComparison.Ordinal);
        Assert.Contains("deny", lines[2], StringComparison.Ordinal);
        Assert.Contains("403", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void DecisionTable_JsonLines_RoundTrip()
    {
        var output = new StringWriter();
        DecisionTable.WriteJsonLines(output, DecisionQuery.Join(Records, new DecisionFilter { Subject = "alice" }));

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("forward", DecisionLog.Deserialize(lines[0])!.Decision);
        Assert.Equal("deny", DecisionLog.Deserialize(lines[1])!.Decision);
    }

    [Fact]
    public async Task ReadRecords_ChainedFile_SkipsControlLines()
    {
        var directory = TestData.TempDirectory();
        var path = Path.Combine(directory, "edge-decisions.jsonl");
        await using (var writer = new Decisions.Sinks.RotatingFileWriter(new Decisions.Sinks.RotatingFileOptions { Path = path }))
        {
            var record = Records[2];
            await writer.WriteAsync(record, DecisionLog.Serialize(record), CancellationToken.None);
        }

        var records = DecisionQuery.ReadRecords(path, out var skipped);
        Directory.Delete(directory, recursive: true);
        var only = Assert.Single(records);
        Assert.Equal("a", only.RequestId);
        Assert.Equal(0, skipped);
    }
}
