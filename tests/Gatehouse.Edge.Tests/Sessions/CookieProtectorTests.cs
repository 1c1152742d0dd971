using Gatehouse.Edge.Sessions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Edge.Tests.Sessions;

public sealed class CookieProtectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ManualTime _time = new(Now);
    private readonly EphemeralDataProtectionProvider _protection = new(NullLoggerFactory.Instance);

    private CookieProtector<SessionTicket> Sessions() =>
        new(_protection, "Gatehouse.Edge.Session.v1", SessionJsonContext.Default.SessionTicket, _time);

    private static SessionTicket Ticket(TimeSpan lifetime) =>
        new("alice", ["staff"], "access", "refresh", Now + TimeSpan.FromMinutes(5), Now + lifetime);

    [Fact]
    public void Unprotect_RoundTrip_ReturnsTicket()
    {
        var protector = Sessions();

        var ticket = protector.Unprotect(protector.Protect(Ticket(TimeSpan.FromHours(1))));

        Assert.NotNull(ticket);
        Assert.Equal("alice", ticket.Subject);
        Assert.Equal(["staff"], ticket.Groups);
        Assert.Equal("refresh", ticket.RefreshToken);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("\u00ff")]
    [InlineData("\u00ff\u00fe\u00fd")]
    [InlineData("AAAA")]
    [InlineData("CfDJ8")]
    public void Unprotect_Garbage_ReturnsNull(string value)
    {
        Assert.Null(Sessions().Unprotect(value));
    }

    [Fact]
    public void Unprotect_TamperedCiphertext_ReturnsNull()
    {
        var protector = Sessions();
        var value = protector.Protect(Ticket(TimeSpan.FromHours(1))).ToCharArray();
        var middle = value.Length / 2;
        value[middle] = value[middle] == 'A' ? 'B' : 'A';

        Assert.Null(protector.Unprotect(new string(value)));
    }

    [Fact]
    public void Unprotect_AfterExpiry_ReturnsNull()
    {
        var protector = Sessions();
        var value = protector.Protect(Ticket(TimeSpan.FromMinutes(10)));

        _time.Now = Now + TimeSpan.FromMinutes(10);

        Assert.Null(protector.Unprotect(value));
    }

    [Fact]
    public void Unprotect_OtherPurpose_ReturnsNull()
    {
        var correlations = new CookieProtector<SignInCorrelation>(
            _protection, "Gatehouse.Edge.SignInCorrelation.v1", SessionJsonContext.Default.SignInCorrelation, _time);
        var value = correlations.Protect(new SignInCorrelation("s", "n", "v", "/", Now + TimeSpan.FromMinutes(10)));

        Assert.Null(Sessions().Unprotect(value));
    }

    [Fact]
    public void Unprotect_OtherKeyRing_ReturnsNull()
    {
        var value = Sessions().Protect(Ticket(TimeSpan.FromHours(1)));
        var other = new CookieProtector<SessionTicket>(
            new EphemeralDataProtectionProvider(NullLoggerFactory.Instance), "Gatehouse.Edge.Session.v1", SessionJsonContext.Default.SessionTicket, _time);

        Assert.Null(other.Unprotect(value));
    }

    [Fact]
    public void Store_CookieHeaderWithLoneFF_ReadsAsNoSession()
    {
        var store = new SessionStore(new SessionCookies("gh_session", "/_gatehouse/callback"), _protection, _time);
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = "gh_session=\u00ff; other=1";

        store.Capture(context);

        Assert.Null(store.ReadSession(context));
        Assert.Equal("other=1", context.Request.Headers.Cookie.ToString());
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
