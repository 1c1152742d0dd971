using Gatehouse.Edge.Compute.Runtime;
using Gatehouse.Signals.RateLimiting;

namespace Gatehouse.Edge.Compute.Tests;

public sealed class GuestEnvironmentTests
{
    [Fact]
    public void Environment_RateCounterFactory_CalledOncePerName()
    {
        var shared = new InMemoryRateCounter(TimeProvider.System);
        var calls = new List<string>();
        var environment = new GuestEnvironment
        {
            RateCounterFactory = name =>
            {
                calls.Add(name);
                return shared;
            },
        };

        var first = environment.RateCounter("requests");
        var second = environment.RateCounter("requests");

        Assert.Same(shared, first);
        Assert.Same(shared, second);
        Assert.Equal(["requests"], calls);
    }

    [Fact]
    public void Environment_PenaltyBoxFactory_SuppliesSharedBox()
    {
        var shared = new InMemoryPenaltyBox(TimeProvider.System);
        var environment = new GuestEnvironment { PenaltyBoxFactory = _ => shared };

        environment.PenaltyBox("blocked").Add("client", TimeSpan.FromMinutes(1));

        Assert.True(shared.Has("client"));
    }

    [Fact]
    public void Environment_NoFactories_UsesSeparateInMemoryCounters()
    {
        var environment = new GuestEnvironment();

        Assert.IsType<InMemoryRateCounter>(environment.RateCounter("a"));
        Assert.NotSame(environment.RateCounter("a"), environment.RateCounter("b"));
    }
}
