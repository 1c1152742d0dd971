using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class AllBackupsTests
{
    private static async Task<HashSet<string>> ServersForAsync(string option)
    {
        await using var first = await EchoOrigin.StartAsync("b1");
        await using var second = await EchoOrigin.StartAsync("b2");
        var cfg = $"frontend gateway\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n{option}"
            + $"    server p1 127.0.0.1:9 disabled\n    server b1 {first.Address} backup\n    server b2 {second.Address} backup\n";
        await using var balancer = await StartAsync(cfg);
        var servers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 6; i++)
        {
            using var response = await balancer.SendAsync(Get("/x"));
            var record = await balancer.Sink.WaitForAsync(response.Headers.GetValues("X-Request-Id").Single());
            servers.Add(record.Server!);
        }

        return servers;
    }

    [Fact]
    public async Task PrimariesDisabled_WithAllBackups_UseEveryBackup()
    {
        var servers = await ServersForAsync("    option allbackups\n");

        Assert.Equal(["b1", "b2"], servers.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PrimariesDisabled_WithoutAllBackups_UseFirstBackup()
    {
        var servers = await ServersForAsync("");

        Assert.Equal(["b1"], servers);
    }
}
