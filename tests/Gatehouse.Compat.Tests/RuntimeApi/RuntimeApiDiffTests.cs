using System.Text.RegularExpressions;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Runtime;
using Gatehouse.Compat.Tests.Harness;

namespace Gatehouse.Compat.Tests.RuntimeApi;

/// <summary>
/// Starts HAProxy and Gatehouse on the same configuration, sends the same runtime API commands to both stats
/// sockets in the same order, and compares the outputs after masking entry addresses, expiry and change timers.
/// </summary>
public sealed partial class RuntimeApiDiffTests
{
    private const string Config = """
        global
            stats socket "${SOCK}" mode 600 level admin
        defaults
            mode http
            timeout connect 1s
            timeout client 5s
            timeout server 5s
        frontend fe
            bind "127.0.0.1:${FE_PORT}"
            default_backend be
        backend be
            stick-table type ip size 1k expire 30s store http_req_rate(10s),gpc0,conn_cur
            server s1 127.0.0.1:1
            server s2 127.0.0.1:2 weight 3

        """;

    private static readonly string[] Commands =
    [
        "show table",
        "set table be key 127.0.0.1 data.gpc0 5",
        "show table be",
        "show table be data.gpc0 gt 1",
        "show table be data.gpc0 lt 1",
        "show table be key 127.0.0.1",
        "set table be key 127.0.0.2 data.gpc0 1;show table be key 127.0.0.2",
        "clear table be key 127.0.0.1",
        "show table be",
        "show table nope",
        "set table be key 127.0.0.1 data.gpc1 1",
        "show backend",
        "show servers state",
        "show servers state nope",
        "disable server be/s1",
        "show servers state be",
        "enable server be/s1",
        "show servers state be",
        "disable server be/zz",
        "disable server nope/s1",
        "disable server be",
        "set server be/s2 state drain",
        "show servers state be",
        "set server be/s2 state maint",
        "show servers state be",
        "set server be/s2 state ready",
        "set server be/s2 state bogus",
        "set server be/s1 weight 0",
        "set server be/s2 weight 50%",
        "show servers state be",
        "set server be/s1 weight 300",
        "set server be/s1 weight abc",
        "set server be/s1 weight",
        "set server be/s1",
    ];

    [Fact]
    public async Task RuntimeApi_SameCommands_MatchHaproxyOutput()
    {
        HaproxyBinary.Require();
        var directory = Directory.CreateTempSubdirectory("gh-runtime-diff-");
        var haproxySocket = Path.Combine(directory.FullName, "haproxy.sock");
        var gatehouseSocket = Path.Combine(directory.FullName, "gatehouse.sock");
        try
        {
            await using var haproxy = await HaproxyProcess.StartAsync(Config, new Dictionary<string, string> { ["SOCK"] = haproxySocket });
            var config = BalancerConfigLoader.Parse(Config, "haproxy.cfg", new Dictionary<string, string> { ["SOCK"] = gatehouseSocket, ["FE_PORT"] = "0" });
            await using var gatehouse = await BalancerHost.StartAsync(config, new BalancerHostOptions(), CancellationToken.None);

            foreach (var command in Commands)
            {
                var expected = Mask(await RuntimeApiSocket.SendAsync(haproxySocket, command));
                var actual = Mask(await RuntimeApiSocket.SendAsync(gatehouseSocket, command));
                Assert.True(expected == actual, $"'{command}':\nHAProxy:\n{expected}\nGatehouse:\n{actual}");
            }

            var haproxyUnknown = await RuntimeApiSocket.SendAsync(haproxySocket, "frobnicate");
            var gatehouseUnknown = await RuntimeApiSocket.SendAsync(gatehouseSocket, "frobnicate");
            Assert.Equal(FirstLine(haproxyUnknown), FirstLine(gatehouseUnknown));

            var haproxyHeader = FirstLine(await RuntimeApiSocket.SendAsync(haproxySocket, "show stat"));
            var gatehouseHeader = FirstLine(await RuntimeApiSocket.SendAsync(gatehouseSocket, "show stat"));
            Assert.StartsWith(gatehouseHeader.TrimEnd(','), haproxyHeader, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0];

    // Entry addresses, remaining expiry and seconds since a server's last change differ between any two processes.
    private static string Mask(string output) =>
        ChangeTimerPattern().Replace(ExpiryPattern().Replace(AddressPattern().Replace(output, "0xADDR:"), "exp=N"), "${head} N ");

    [GeneratedRegex("0x[0-9a-f]+:")]
    private static partial Regex AddressPattern();

    [GeneratedRegex(@"exp=\d+")]
    private static partial Regex ExpiryPattern();

    [GeneratedRegex(@"(?m)^(?<head>\d+ \S+ \d+ \S+ \S+ \d+ \d+ \d+ \d+) \d+ ")]
    private static partial Regex ChangeTimerPattern();
}
