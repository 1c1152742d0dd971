using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.StickTables;

namespace Gatehouse.Balancer.Tests.StickTables;

public sealed class StickTableTests
{
    internal static StickTable Create(ManualClock clock, string options, string name = "st")
    {
        var problems = new List<string>();
        var definition = StickTableParser.Parse(name, options.Split(' '), new ConfigLocation("test.cfg", 1), problems);
        Assert.Empty(problems);
        return new StickTableRegistry([definition!], clock).Find(name)!;
    }

    [Fact]
    public void Table_EntryIdle_ExpiresAfterExpire()
    {
        var clock = new ManualClock();
        var table = Create(clock, "type ip size 10 expire 10s store gpc0");
        var entry = table.GetOrCreate("10.0.0.1")!;
        table.Add(entry, StickDataType.Gpc0, 1);

        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.NotNull(table.Lookup("10.0.0.1"));

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(table.Lookup("10.0.0.1"));
        Assert.Equal(1, table.Purge());
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void Table_Update_RefreshesExpiry()
    {
        var clock = new ManualClock();
        var table = Create(clock, "type ip size 10 expire 10s store gpc0");
        var entry = table.GetOrCreate("10.0.0.1")!;

        clock.Advance(TimeSpan.FromSeconds(8));
        table.Add(entry, StickDataType.Gpc0, 1);
        clock.Advance(TimeSpan.FromSeconds(8));

        Assert.Same(entry, table.Lookup("10.0.0.1"));
    }

    [Fact]
    public void Table_ReferencedEntry_DoesNotExpire()
    {
        var clock = new ManualClock();
        var table = Create(clock, "type ip size 10 expire 1s store conn_cur");
        var counters = new StickCounters();
        Assert.True(counters.Track(0, table, "10.0.0.1", countHttpRequest: true));

        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, table.Purge());

        counters.Release();
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, table.Purge());
    }

    [Fact]
    public void Table_Full_EvictsLeastRecentlyUpdatedUnreferencedEntry()
    {
        var clock = new ManualClock();
        var table = Create(clock, "type ip size 3 expire 1m store gpc0");
        var counters = new StickCounters();
        counters.Track(0, table, "10.0.0.1", countHttpRequest: true);
        clock.Advance(TimeSpan.FromSeconds(1));
        table.GetOrCreate("10.0.0.2");
        clock.Advance(TimeSpan.FromSeconds(1));
        table.GetOrCreate("10.0.0.3");

        Assert.NotNull(table.GetOrCreate("10.0.0.4"));

        Assert.NotNull(table.Lookup("10.0.0.1"));
        Assert.Null(table.Lookup("10.0.0.2"));
        Assert.NotNull(table.Lookup("10.0.0.3"));
        Assert.Equal(3, table.Count);
    }

    [Fact]
    public void Table_FullWithNoPurge_RejectsNewKeys()
    {
        var clock = new ManualClock();
        var table = Create(clock, "type integer size 2 nopurge store gpc0");
        table.GetOrCreate("1");
        table.GetOrCreate("2");

        Assert.Null(table.GetOrCreate("3"));
        Assert.NotNull(table.GetOrCreate("1"));
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Table_FullOfReferencedEntries_RejectsNewKeys()
    {
        var clock = new ManualClock();
        var table = Create(clock, "type ip size 1 store conn_cur");
        var counters = new StickCounters();
        counters.Track(0, table, "10.0.0.1", countHttpRequest: true);

        Assert.Null(table.GetOrCreate("10.0.0.2"));
    }

    [Fact]
    public void Track_SameCounterTwice_BindsOnlyFirst()
    {
        var clock = new ManualClock();
        var table = Create(clock, "type ip size 10 store http_req_cnt,conn_cur");
        var counters = new StickCounters();

        Assert.True(counters.Track(0, table, "10.0.0.1", countHttpRequest: true));
        Assert.False(counters.Track(0, table, "10.0.0.2", countHttpRequest: true));

        Assert.Equal("10.0.0.1", counters[0].Entry?.Key);
        Assert.Null(table.Lookup("10.0.0.2"));
        Assert.Equal(1, table.Read(counters[0].Entry!, StickDataType.ConnCur));
        counters.Release();
        Assert.Equal(0, table.Read(table.Lookup("10.0.0.1")!, StickDataType.ConnCur));
    }

    [Theory]
    [InlineData(404, 1, 0)]
    [InlineData(401, 1, 0)]
    [InlineData(429, 1, 0)]
    [InlineData(500, 0, 1)]
    [InlineData(501, 0, 0)]
    [InlineData(505, 0, 0)]
    [InlineData(503, 0, 1)]
    [InlineData(302, 0, 0)]
    public void CountStatus_Status_CountsErrorsAndFailuresAsHaproxy(int status, long errors, long failures)
    {
        var table = Create(new ManualClock(), "type ip size 10 store http_err_cnt,http_fail_cnt");
        var counters = new StickCounters();
        counters.Track(0, table, "10.0.0.1", countHttpRequest: true);

        counters.CountStatus(status);

        Assert.Equal(errors, table.Read(counters[0].Entry!, StickDataType.HttpErrCnt));
        Assert.Equal(failures, table.Read(counters[0].Entry!, StickDataType.HttpFailCnt));
    }

    [Fact]
    public void Watch_ThresholdCrossed_ReportsOnceWithValues()
    {
        var clock = new ManualClock();
        var table = Create(clock, "type ip size 10 store http_req_rate(10s),gpc0");
        var changes = new List<StickTableChange>();
        using var watch = table.Watch(StickDataType.HttpReqRate, 3, changes.Add);

        for (var i = 0; i < 5; i++)
        {
            var counters = new StickCounters();
            counters.Track(0, table, "10.0.0.1", countHttpRequest: true);
            counters.Release();
        }

        var change = Assert.Single(changes);
        Assert.Equal("st", change.Table);
        Assert.Equal("10.0.0.1", change.Key);
        Assert.Equal(3, change.Value);
        Assert.Contains(new StickDataValue(StickDataType.HttpReqRate, 10_000, 3), change.Values);
    }

    [Fact]
    public void Watch_Disposed_StopsReports()
    {
        var table = Create(new ManualClock(), "type ip size 10 store gpc0");
        var reports = 0;
        var watch = table.Watch(StickDataType.Gpc0, 1, _ => reports++);
        watch.Dispose();

        table.Add(table.GetOrCreate("10.0.0.1")!, StickDataType.Gpc0, 1);

        Assert.Equal(0, reports);
    }
}
