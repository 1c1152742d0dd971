using Gatehouse.Edge.Configuration;
using Gatehouse.Trust.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Sessions;

/// <summary>The parts of browser sign-in the request pipeline calls, built from one <see cref="SessionConfig"/>.</summary>
internal sealed class EdgeSessions
{
    public EdgeSessions(
        SessionConfig config,
        OidcProviderOptions provider,
        ITokenValidator tokens,
        IDataProtectionProvider protection,
        HttpClient http,
        ILogger logger,
        TimeProvider time)
    {
        var endpoints = new ProviderEndpoints(config, provider, http);
        Store = new SessionStore(new SessionCookies(config.CookieName, config.CallbackPath), protection, time);
        Flow = new SignInFlow(config, endpoints, Store, tokens, logger, time);
        Authenticator = new SessionAuthenticator(Store, endpoints, tokens, logger, time);
    }

    public SessionStore Store { get; }

    public SignInFlow Flow { get; }

    public SessionAuthenticator Authenticator { get; }
}
