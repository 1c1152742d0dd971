using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Runtime;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.Runtime;

public sealed class CookieDatesTests
{
    // HAProxy 2.6.12 sent "SRV=c1|axM5q|axM5q" at Unix time 1796422056 for `cookie SRV insert maxidle 30m maxlife 2h`.
    private const long ObservedNow = 1796422056;

    private static readonly CookieSettings IdleOnly = new("SRV", CookieMode.Insert) { MaxIdle = TimeSpan.FromSeconds(1000) };

    private static readonly CookieSettings IdleAndLife = IdleOnly with { MaxLife = TimeSpan.FromHours(2) };

    /// <summary>Returns the 5-character encoding of <paramref name="seconds"/>, as an inserted cookie carries it.</summary>
    private static string Encode(long seconds) => new CookieDates(0, 0).Suffix(IdleOnly, seconds - 3)[1..];

    [Fact]
    public void Suffix_MatchesHaproxyEncoding()
    {
        Assert.Equal("|axM5q", new CookieDates(0, 0).Suffix(IdleOnly, ObservedNow));
        Assert.Equal("|axM5q|axM5q", new CookieDates(0, 0).Suffix(IdleAndLife, ObservedNow));
        Assert.Equal("", new CookieDates(0, 0).Suffix(IdleOnly with { MaxIdle = null }, ObservedNow));
    }

    [Fact]
    public void Suffix_KeepsFirstDate()
    {
        var first = ObservedNow - 3600;

        var suffix = new CookieDates(ObservedNow - 10, first).Suffix(IdleAndLife, ObservedNow);

        Assert.Equal("|axM5q|" + Encode(first), suffix);
    }

    [Fact]
    public void Parse_RoundTripsInFourSecondSteps()
    {
        var dates = CookieDates.Parse("|axM5q|" + Encode(ObservedNow - 400));

        Assert.Equal(ObservedNow, dates.Last);
        Assert.Equal(ObservedNow - 400, dates.First);
    }

    [Theory]
    [InlineData("|ab", 0, 0)]
    [InlineData("|a*M5q", 0, 0)]
    [InlineData("|axM5q|ab", ObservedNow, 0)]
    public void Parse_ShortOrInvalid_ReadsNoDate(string text, long last, long first)
    {
        var dates = CookieDates.Parse(text);

        Assert.Equal(last, dates.Last);
        Assert.Equal(first, dates.First);
    }

    [Theory]
    [InlineData(-999, 0, false)]
    [InlineData(-1100, 0, true)]
    [InlineData(0, -7100, false)]
    [InlineData(0, -7300, true)]
    [InlineData(90_000, 0, true)]
    [InlineData(0, 90_000, true)]
    public void IsExpired_ComparesIdleAndLife(long lastOffset, long firstOffset, bool expired)
    {
        var dates = new CookieDates(ObservedNow + lastOffset, ObservedNow + firstOffset);

        Assert.Equal(expired, dates.IsExpired(IdleAndLife, ObservedNow));
    }

    [Fact]
    public void NeedsRefresh_FollowsHaproxyRules()
    {
        Assert.True(new CookieDates(0, 0).NeedsRefresh(IdleOnly, ObservedNow));
        Assert.True(new CookieDates(ObservedNow - 8, 0).NeedsRefresh(IdleOnly, ObservedNow));
        Assert.False(new CookieDates(ObservedNow + 8, 0).NeedsRefresh(IdleOnly, ObservedNow));
        Assert.True(new CookieDates(ObservedNow + 8, ObservedNow).NeedsRefresh(IdleOnly, ObservedNow));
        Assert.True(new CookieDates(ObservedNow + 8, 0).NeedsRefresh(IdleAndLife, ObservedNow));
        Assert.False(new CookieDates(ObservedNow + 8, ObservedNow).NeedsRefresh(IdleAndLife, ObservedNow));
        Assert.False(new CookieDates(0, 0).NeedsRefresh(IdleOnly with { MaxIdle = null }, ObservedNow));
    }

    [Fact]
    public async Task MaxIdle_ExpiredCookie_IgnoredAndReinserted()
    {
        await using var one = await EchoOrigin.StartAsync("one");
        await using var two = await EchoOrigin.StartAsync("two");
        await using var balancer = await StartAsync($$"""
            frontend fe
                bind 127.0.0.1:0
                default_backend be
            backend be
                cookie SRV insert maxidle 1000
                server s1 {{one.Address}} cookie c1
                server s2 {{two.Address}} cookie c2
            """);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using var expired = Get("/");
        expired.Headers.Add("Cookie", "SRV=c2|" + Encode(now - 2000));
        using var expiredResponse = await balancer.SendAsync(expired);
        using var fresh = Get("/");
        fresh.Headers.Add("Cookie", "SRV=c2|" + Encode(now + 600));
        using var freshResponse = await balancer.SendAsync(fresh);

        Assert.Equal("one", (await EchoReply.ReadAsync(expiredResponse)).Origin);
        Assert.Matches(@"^SRV=c1\|[A-Za-z0-9+/]{5}; path=/$", expiredResponse.Headers.GetValues("Set-Cookie").Single());
        Assert.Equal("two", (await EchoReply.ReadAsync(freshResponse)).Origin);
        Assert.False(freshResponse.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public void MaxIdleWithoutUnit_ReadAsSeconds()
    {
        var config = BalancerConfigLoader.Parse(
            "frontend fe\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n    cookie SRV insert maxidle 30 maxlife 1h\n    server s1 127.0.0.1:9000 cookie c1\n",
            "t.cfg",
            new Dictionary<string, string>());

        Assert.Equal(TimeSpan.FromSeconds(30), config.Backends[0].Settings.Cookie!.MaxIdle);
        Assert.Equal(TimeSpan.FromHours(1), config.Backends[0].Settings.Cookie!.MaxLife);
    }

    [Fact]
    public void CookieLine_InvalidMaxLife_Reported()
    {
        var exception = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(
            "frontend fe\n    bind 127.0.0.1:0\n    default_backend be\nbackend be\n    cookie SRV insert maxlife soon\n    server s1 127.0.0.1:9000 cookie c1\n",
            "t.cfg",
            new Dictionary<string, string>()));

        Assert.Contains(exception.Errors, error => error.StartsWith("t.cfg:5: 'cookie' option 'maxlife' expects a time", StringComparison.Ordinal));
    }
}
