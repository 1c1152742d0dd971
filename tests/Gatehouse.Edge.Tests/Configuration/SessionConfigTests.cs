using Gatehouse.Edge.Configuration;

namespace Gatehouse.Edge.Tests.Configuration;

public sealed class SessionConfigTests
{
    private static readonly Dictionary<string, string> NoVariables = new();

    // Three lines, so [sessions] starts at line 4.
    private const string Provider = """
        [[providers]]
        issuer = "https://login.example.com/"
        audience = "api"

        """;

    private static EdgeConfig Load(string sessions) =>
        EdgeConfigLoader.Parse(Provider + sessions, "/tmp/edge.toml", NoVariables);

    private static string SingleError(string sessions)
    {
        var error = Assert.Throws<EdgeConfigException>(() => Load(sessions));
        return Assert.Single(error.Errors);
    }

    [Fact]
    public void Sessions_Absent_IsNull()
    {
        var config = Load("");

        Assert.Null(config.Sessions);
    }

    [Fact]
    public void Sessions_Minimal_UsesDefaults()
    {
        var config = Load("[sessions]\nprovider = \"https://login.example.com/\"\nclient_id = \"edge\"\n");

        var sessions = Assert.IsType<SessionConfig>(config.Sessions);
        Assert.Equal("edge", sessions.ClientId);
        Assert.Null(sessions.ClientSecret);
        Assert.Equal(["openid", "profile"], sessions.Scopes);
        Assert.Equal("/_gatehouse/callback", sessions.CallbackPath);
        Assert.Equal("/_gatehouse/logout", sessions.LogoutPath);
        Assert.Equal("gh_session", sessions.CookieName);
        Assert.Equal(TimeSpan.FromHours(8), sessions.Lifetime);
        Assert.Null(sessions.KeyDirectory);
    }

    [Fact]
    public void Sessions_KeyDirectory_ResolvesAgainstFileFolder()
    {
        var config = Load("[sessions]\nprovider = \"https://login.example.com/\"\nclient_id = \"edge\"\nkey_directory = \"keys/sessions\"\n");

        Assert.Equal("/tmp/keys/sessions", config.Sessions!.KeyDirectory);
    }

    [Fact]
    public void Sessions_UnknownKey_NamesLine()
    {
        var message = SingleError("[sessions]\nprovider = \"https://login.example.com/\"\nclient_id = \"edge\"\ncookie = \"x\"\n");

        Assert.StartsWith("edge.toml:7: unknown key 'cookie' in [sessions]; expected one of:", message, StringComparison.Ordinal);
        Assert.Contains("cookie_name", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sessions_MissingClientId_Rejected()
    {
        var message = SingleError("[sessions]\nprovider = \"https://login.example.com/\"\n");

        Assert.Equal("edge.toml:4: [sessions] is missing key 'client_id'; add client_id = \"gatehouse-edge\"", message);
    }

    [Fact]
    public void Sessions_UnknownProvider_Rejected()
    {
        var message = SingleError("[sessions]\nprovider = \"https://other.example.com/\"\nclient_id = \"edge\"\n");

        Assert.StartsWith("edge.toml:5: key 'provider' in [sessions] must be the issuer of a [[providers]] section", message, StringComparison.Ordinal);
        Assert.Contains("\"https://login.example.com/\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sessions_ScopesWithoutOpenid_Rejected()
    {
        var message = SingleError("[sessions]\nprovider = \"https://login.example.com/\"\nclient_id = \"edge\"\nscopes = [\"profile\"]\n");

        Assert.StartsWith("edge.toml:7: key 'scopes' in [sessions] must contain \"openid\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sessions_RelativeCallbackPath_Rejected()
    {
        var message = SingleError("[sessions]\nprovider = \"https://login.example.com/\"\nclient_id = \"edge\"\ncallback_path = \"callback\"\n");

        Assert.StartsWith("edge.toml:7: key 'callback_path' in [sessions] must be an absolute path", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sessions_SameCallbackAndLogout_Rejected()
    {
        var message = SingleError("[sessions]\nprovider = \"https://login.example.com/\"\nclient_id = \"edge\"\nlogout_path = \"/_gatehouse/callback\"\n");

        Assert.StartsWith("edge.toml:7: keys 'callback_path' and 'logout_path' in [sessions] must differ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sessions_BadCookieName_Rejected()
    {
        var message = SingleError("[sessions]\nprovider = \"https://login.example.com/\"\nclient_id = \"edge\"\ncookie_name = \"a;b\"\n");

        Assert.StartsWith("edge.toml:7: key 'cookie_name' in [sessions] must be a cookie name", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sessions_LifetimeOutOfRange_Rejected()
    {
        var message = SingleError("[sessions]\nprovider = \"https://login.example.com/\"\nclient_id = \"edge\"\nlifetime = \"10s\"\n");

        Assert.Equal("edge.toml:7: key 'lifetime' in [sessions] must be from \"1m\" to \"30d\"", message);
    }
}
