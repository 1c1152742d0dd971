using System.Text.RegularExpressions;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Runtime;
using Gatehouse.Compat.Tests.Harness;

namespace Gatehouse.Compat.Tests.RuntimeApi;

/// <summary>
/// The map commands and the `level` of a stats socket, side by side with HAProxy. The same commands go to an admin,
/// an operator and a user socket of each. The outputs are compared after masking entry addresses, map ids and the
/// configuration file's path.
/// </summary>
public sealed partial class MapAndLevelDiffTests
{
    private const string Config = """
        global
            stats socket "${DIR}/admin.sock" mode 600 level admin
            stats socket "${DIR}/operator.sock" mode 600 level operator
            stats socket "${DIR}/user.sock" mode 600 level user
        defaults
            mode http
            timeout connect 1s
            timeout client 5s
            timeout server 5s
        frontend fe
            bind "127.0.0.1:${FE_PORT}"
            use_backend "%[path,map_beg(${DIR}/routes.map,be)]"
        backend be
            stick-table type ip size 1k expire 30s store gpc0
            server s1 127.0.0.1:1

        """;

    // Each command runs on the named socket; the order matters because the commands change the map and the table.
    private static readonly (string Socket, string Command)[] Commands =
    [
        ("admin", "show map"),
        ("admin", "show map ${DIR}/routes.map"),
        ("admin", "add map ${DIR}/routes.map /admin/ be"),
        ("admin", "show map ${DIR}/routes.map"),
        ("admin", "set map ${DIR}/routes.map /admin/ other"),
        ("admin", "set map ${DIR}/routes.map /none other"),
        ("admin", "del map ${DIR}/routes.map /admin/"),
        ("admin", "del map ${DIR}/routes.map /admin/"),
        ("admin", "show map /nope"),
        ("admin", "add map /nope a b"),
        ("admin", "add map ${DIR}/routes.map /x"),
        ("admin", "set map"),
        ("admin", "del map"),
        ("admin", "clear map"),
        ("user", "add map ${DIR}/routes.map /user/ be"),
        ("operator", "show map ${DIR}/routes.map"),
        ("user", "set table be key 127.0.0.9 data.gpc0 1"),
        ("operator", "set table be key 127.0.0.9 data.gpc0 1"),
        ("user", "show table"),
        ("user", "show table be"),
        ("user", "show table be key 127.0.0.9"),
        ("user", "show table nope"),
        ("user", "clear table be key 127.0.0.9"),
        ("user", "clear table be"),
        ("operator", "show table be"),
        ("operator", "disable server be/s1"),
        ("user", "set server be/s1 weight 0"),
        ("operator", "set server be/s1 state maint"),
        ("user", "show servers state be"),
        ("operator", "clear table be key 127.0.0.9"),
        ("operator", "show table be"),
        ("admin", "disable server be/s1"),
        ("user", "show backend"),
        ("user", "clear map ${DIR}/routes.map"),
        ("admin", "show map ${DIR}/routes.map"),
    ];

    [Fact]
    public async Task MapCommandsAndLevels_MatchHaproxyOutput()
    {
        HaproxyBinary.Require();
        var haproxyDirectory = Directory.CreateTempSubdirectory("gh-map-diff-");
        var gatehouseDirectory = Directory.CreateTempSubdirectory("gh-map-diff-");
        try
        {
            foreach (var directory in new[] { haproxyDirectory, gatehouseDirectory })
            {
                await File.WriteAllTextAsync(Path.Combine(directory.FullName, "routes.map"), "/api/ be\n/static/ be\n");
            }

            await using var haproxy = await HaproxyProcess.StartAsync(Config, new Dictionary<string, string> { ["DIR"] = haproxyDirectory.FullName });
            var config = BalancerConfigLoader.Parse(Config, "haproxy.cfg", new Dictionary<string, string> { ["DIR"] = gatehouseDirectory.FullName, ["FE_PORT"] = "0" });
            await using var gatehouse = await BalancerHost.StartAsync(config, new BalancerHostOptions(), CancellationToken.None);

            foreach (var (socket, command) in Commands)
            {
                var expected = Mask(await RuntimeApiSocket.SendAsync(Path.Combine(haproxyDirectory.FullName, socket + ".sock"), command.Replace("${DIR}", haproxyDirectory.FullName, StringComparison.Ordinal)), haproxyDirectory.FullName);
                var actual = Mask(await RuntimeApiSocket.SendAsync(Path.Combine(gatehouseDirectory.FullName, socket + ".sock"), command.Replace("${DIR}", gatehouseDirectory.FullName, StringComparison.Ordinal)), gatehouseDirectory.FullName);
                Assert.True(expected == actual, $"{socket}: '{command}':\nHAProxy:\n{expected}\nGatehouse:\n{actual}");
            }
        }
        finally
        {
            haproxyDirectory.Delete(recursive: true);
            gatehouseDirectory.Delete(recursive: true);
        }
    }

    // Entry addresses, map ids, expiry timers, the server change timer and the configuration path differ by process.
    private static string Mask(string output, string directory)
    {
        output = output.Replace(directory, "DIR", StringComparison.Ordinal);
        output = AddressPattern().Replace(output, "0xADDR");
        output = MapIdPattern().Replace(output, "ID (");
        output = ConfigFilePattern().Replace(output, "at file 'CFG'");
        output = ExpiryPattern().Replace(output, "exp=N");
        return ChangeTimerPattern().Replace(output, "${head} N ");
    }

    [GeneratedRegex("0x[0-9a-f]+")]
    private static partial Regex AddressPattern();

    [GeneratedRegex(@"(?m)^\d+ \(")]
    private static partial Regex MapIdPattern();

    [GeneratedRegex("at file '[^']*'")]
    private static partial Regex ConfigFilePattern();

    [GeneratedRegex(@"exp=\d+")]
    private static partial Regex ExpiryPattern();

    [GeneratedRegex(@"(?m)^(?<head>\d+ \S+ \d+ \S+ \S+ \d+ \d+ \d+ \d+) \d+ ")]
    private static partial Regex ChangeTimerPattern();
}
