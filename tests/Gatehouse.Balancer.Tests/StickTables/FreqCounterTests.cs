using Gatehouse.Balancer.StickTables;

namespace Gatehouse.Balancer.Tests.StickTables;

public sealed class FreqCounterTests
{
    [Theory]
    [InlineData(1_000)]
    [InlineData(10_000)]
    [InlineData(60_000)]
    public void Rate_EventsInOnePeriod_ReadsCount(long period)
    {
        var counter = new FreqCounter();
        for (var i = 0; i < 5; i++)
        {
            counter.Add(period * 10 + i, period, 1);
        }

        Assert.Equal(5, counter.Read(period * 10 + 5, period));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(10_000)]
    [InlineData(60_000)]
    public void Rate_HalfwayThroughNextPeriod_WeighsPreviousByHalf(long period)
    {
        var counter = new FreqCounter();
        var start = period * 10;
        counter.Add(start, period, 10);

        Assert.Equal(5, counter.Read(start + period + period / 2, period));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(10_000)]
    [InlineData(60_000)]
    public void Rate_TrafficStops_DecaysToZeroWithinOnePeriodAfterTheLastFullPeriod(long period)
    {
        var counter = new FreqCounter();
        var start = period * 10;
        counter.Add(start, period, 8);
        counter.Add(start + period - 1, period, 2);

        Assert.Equal(10, counter.Read(start + period, period));
        Assert.True(counter.Read(start + period + period / 4, period) < 10);
        Assert.Equal(0, counter.Read(start + 2 * period, period));
        Assert.Equal(0, counter.Read(start + 50 * period, period));
    }

    [Fact]
    public void Rate_AfterLongIdle_StartsFresh()
    {
        var counter = new FreqCounter();
        counter.Add(1_000, 1_000, 50);
        counter.Add(100_000, 1_000, 1);

        Assert.Equal(1, counter.Read(100_000, 1_000));
    }

    [Fact]
    public void Rate_SteadyTraffic_ReadsAboutTheRate()
    {
        var counter = new FreqCounter();
        for (long now = 0; now < 30_000; now += 100)
        {
            counter.Add(now, 10_000, 1);
        }

        var rate = counter.Read(30_000, 10_000);
        Assert.InRange(rate, 99, 101);
    }
}
