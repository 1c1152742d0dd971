using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Telemetry.Tests;

public sealed class RequestIdsTests
{
    [Fact]
    public void Create_ManyThreads_UniqueLowercaseHex()
    {
        // 8 threads × 2,000 ids refills each thread's 4 KiB pool several times.
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (var i = 0; i < 2000; i++)
            {
                ids.Add(RequestIds.Create());
            }
        });

        Assert.Equal(16_000, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{32}$", id));
    }

    [Fact]
    public void HostLoggerFactory_HostingDiagnostics_Silenced()
    {
        using var inner = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(NullLoggerProvider.Instance));
        var factory = new HostLoggerFactory(inner);

        var hosting = factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");
        var kestrel = factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel");

        Assert.False(hosting.IsEnabled(LogLevel.Critical));
        Assert.Same(NullLogger.Instance, hosting);
        Assert.NotSame(NullLogger.Instance, kestrel);
    }
}
