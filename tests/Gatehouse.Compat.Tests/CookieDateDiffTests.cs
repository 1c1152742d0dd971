using System.Globalization;
using System.Text.RegularExpressions;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Runtime;
using Gatehouse.Compat.Tests.Harness;
using Gatehouse.Compat.Tests.Scenarios;
using static Gatehouse.Compat.Tests.Harness.ProbeRequest;

namespace Gatehouse.Compat.Tests;

/// <summary>
/// `cookie ... maxidle|maxlife` side by side with HAProxy. The dates in the cookies depend on the clock, so each
/// date in a Set-Cookie is compared as "now" or as its offset from now in whole minutes, never as text.
/// </summary>
public sealed partial class CookieDateDiffTests : IClassFixture<OriginServers>
{
    private static readonly CookieSettings Encoder = new("SRV", CookieMode.Insert) { MaxIdle = TimeSpan.FromSeconds(1) };

    private readonly OriginServers _origins;

    public CookieDateDiffTests(OriginServers origins)
    {
        _origins = origins;
    }

    [Theory]
    [InlineData("cookie SRV insert maxidle 1000 maxlife 2h")]
    [InlineData("cookie SRV insert indirect maxidle 1000")]
    [InlineData("cookie SRV insert maxlife 2h")]
    public async Task DatedCookies_SameAsHaproxy(string cookieLine)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var requests = new[]
        {
            Get("/new"),
            Get("/undated", "Cookie: SRV=c2"),
            Get("/idle-expired", $"Cookie: SRV=c2|{Encode(now - 2000)}"),
            Get("/fresh", $"Cookie: SRV=c2|{Encode(now + 600)}|{Encode(now - 120)}"),
            Get("/refresh", $"Cookie: SRV=c2|{Encode(now - 120)}|{Encode(now - 3600)}"),
            Get("/life-expired", $"Cookie: SRV=c2|{Encode(now - 120)}|{Encode(now - 7400)}"),
            Get("/future", $"Cookie: SRV=c2|{Encode(now + 90_000)}"),
            Get("/garbage", "Cookie: SRV=c2|ab"),
        };
        var scenario = new CompatScenario(
            "dated cookies",
            "default_backend b1",
            $"backend b1\n    {cookieLine}\n    server s1 \"${{S1}}\" cookie c1\n    server s2 \"${{S2}}\" cookie c2\n",
            requests);

        var haproxy = await DifferentialRunner.RunHaproxyAsync(scenario, _origins);
        var gatehouse = await DifferentialRunner.RunGatehouseAsync(scenario, _origins);

        Assert.Null(gatehouse.StartFailure);
        for (var i = 0; i < requests.Length; i++)
        {
            var expected = Describe(haproxy.Exchanges[i]);
            var actual = Describe(gatehouse.Exchanges[i]);
            Assert.True(expected == actual, $"{cookieLine}, {requests[i]}:\nHAProxy:   {expected}\nGatehouse: {actual}");
        }
    }

    private static string Encode(long seconds) => new CookieDates(0, 0).Suffix(Encoder, seconds - 3)[1..];

    private static string Describe(Exchange exchange)
    {
        var server = string.Join(",", exchange.Received.Select(received => received.Server));
        var cookie = exchange.Received.SelectMany(received => received.Headers)
            .Where(header => header.Key.Equals("cookie", StringComparison.OrdinalIgnoreCase))
            .Select(header => header.Value);
        var setCookie = exchange.Response.Headers.Where(header => header.Key == "set-cookie").Select(header => MaskDates(header.Value));
        return $"server={server} received=[{MaskDates(string.Join(";", cookie))}] set-cookie=[{string.Join(" / ", setCookie)}]";
    }

    private static string MaskDates(string text)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return DatePattern().Replace(text, match =>
        {
            var offset = CookieDates.Parse("|" + match.Groups["date"].Value).Last - now;
            var label = Math.Abs(offset) <= 60 ? "now" : $"now{(offset > 0 ? "+" : "")}{(offset / 60).ToString(CultureInfo.InvariantCulture)}m";
            return "|" + label;
        });
    }

    [GeneratedRegex(@"\|(?<date>[A-Za-z0-9+/]{5})")]
    private static partial Regex DatePattern();
}
