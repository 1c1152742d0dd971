using Gatehouse.Edge.Configuration;

namespace Gatehouse.Edge.Tests.Configuration;

public sealed class EdgeConfigLoaderTests
{
    private static readonly Dictionary<string, string> NoVariables = new();

    private const string Provider = """
        [[providers]]
        issuer = "https://login.example.com/"
        audience = "api"

        """;

    private static EdgeConfigException Reject(string toml) =>
        Assert.Throws<EdgeConfigException>(() => EdgeConfigLoader.Parse(toml, "/tmp/edge.toml", NoVariables));

    [Fact]
    public void Loader_MinimalFile_UsesDefaults()
    {
        var config = EdgeConfigLoader.Parse("", "/tmp/edge.toml", NoVariables);

        Assert.Equal("127.0.0.1:8080", config.Listen);
        Assert.Equal(new Uri("http://127.0.0.1:8081"), config.BalancerUrl);
        Assert.Equal(TimeSpan.FromSeconds(60), config.AssertionLifetime);
        Assert.Empty(config.Routes);
    }

    [Fact]
    public void Loader_UnknownKey_NamesLineKeyAndExpected()
    {
        var error = Reject("[edge]\nlisten = \"127.0.0.1:1\"\nlisen = \"x\"\n");

        var message = Assert.Single(error.Errors);
        Assert.StartsWith("edge.toml:3: unknown key 'lisen' in [edge]", message, StringComparison.Ordinal);
        Assert.Contains("listen", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_UnknownSection_Rejected()
    {
        var error = Reject("[edges]\nlisten = \"127.0.0.1:1\"\n");

        Assert.Contains(error.Errors, e => e.StartsWith("edge.toml:1: unknown section 'edges'", StringComparison.Ordinal));
    }

    [Fact]
    public void Loader_BadRouteKind_NamesValueAndChoices()
    {
        var error = Reject(Provider + "[[routes]]\nprefix = \"/api/\"\nkind = \"private\"\n");

        var message = Assert.Single(error.Errors);
        Assert.Equal("edge.toml:6: key 'kind' in [[routes]] must be \"static\", \"public\", \"protected\" or \"guest\"; got \"private\"", message);
    }

    [Fact]
    public void Loader_ProtectedRouteWithoutProvider_Rejected()
    {
        var error = Reject("[[routes]]\nprefix = \"/api/\"\nkind = \"protected\"\n");

        Assert.Contains(error.Errors, e => e.Contains("needs at least one [[providers]]", StringComparison.Ordinal));
    }

    [Fact]
    public void Loader_HttpIssuerWithoutAllowHttp_Rejected()
    {
        var error = Reject("[[providers]]\nissuer = \"http://login.example.com/\"\naudience = \"api\"\n");

        Assert.Contains(error.Errors, e => e.StartsWith("edge.toml:2: issuer \"http://login.example.com/\" is not https", StringComparison.Ordinal));
    }

    [Fact]
    public void Loader_BadDuration_ExplainsFormat()
    {
        var error = Reject("[balancer]\ntimeout = \"30 seconds\"\n");

        Assert.Equal("edge.toml:2: key 'timeout' in [balancer] must be a duration such as \"500ms\", \"30s\", \"5m\" or \"1h\"; got \"30 seconds\"", Assert.Single(error.Errors));
    }

    [Fact]
    public void Loader_WrongType_NamesExpectedType()
    {
        var error = Reject("[limits]\nmax_token_bytes = \"big\"\n");

        Assert.Equal("edge.toml:2: key 'max_token_bytes' in [limits] must be an integer from 256 to 1048576; got \"big\"", Assert.Single(error.Errors));
    }

    [Fact]
    public void Loader_DuplicatePrefix_Rejected()
    {
        var error = Reject("[[routes]]\nprefix = \"/a/\"\nkind = \"public\"\n[[routes]]\nprefix = \"/a/\"\nkind = \"public\"\n");

        Assert.Equal("edge.toml:4: route prefix \"/a/\" is already defined at line 1; remove one", Assert.Single(error.Errors));
    }

    [Fact]
    public void Loader_TomlSyntaxError_ReportsLine()
    {
        var error = Reject("[edge]\nlisten = \"unterminated\n");

        Assert.Contains(error.Errors, e => e.StartsWith("edge.toml:2:", StringComparison.Ordinal));
    }

    [Fact]
    public void Loader_AllProblems_ReportedTogether()
    {
        var error = Reject("[edge]\nlisten = \"nowhere\"\n[balancer]\nurl = \"ftp://x\"\n");

        Assert.Equal(2, error.Errors.Count);
    }

    [Fact]
    public void Loader_Variables_ExpandWithDefaults()
    {
        var variables = new Dictionary<string, string> { ["PORT_A"] = "9000" };
        var config = EdgeConfigLoader.Parse(
            "[edge]\nlisten = \"127.0.0.1:${PORT_A}\"\n[balancer]\nurl = \"${BAL-http://127.0.0.1:7000}\"\n",
            "/tmp/edge.toml",
            variables);

        Assert.Equal("127.0.0.1:9000", config.Listen);
        Assert.Equal(new Uri("http://127.0.0.1:7000"), config.BalancerUrl);
    }

    [Fact]
    public void Loader_UnsetVariableWithoutDefault_Rejected()
    {
        var error = Reject("[edge]\nlisten = \"127.0.0.1:${NOPE}\"\n");

        Assert.Contains(error.Errors, e => e.Contains("variable '${NOPE}', which is not set", StringComparison.Ordinal));
    }

    [Fact]
    public void Loader_StaticRootMissing_Rejected()
    {
        var error = Reject("[[routes]]\nprefix = \"/s/\"\nkind = \"static\"\nroot = \"no-such-folder-here\"\n");

        Assert.Contains(error.Errors, e => e.StartsWith("edge.toml:4: static route \"/s/\": folder", StringComparison.Ordinal));
    }

    [Fact]
    public void Loader_ExampleFile_Loads()
    {
        var config = EdgeConfigLoader.Load(Path.Combine(RepositoryRoot(), "examples", "edge.toml"), NoVariables);

        Assert.Equal(5, config.Routes.Count);
        Assert.Equal(RouteKind.Static, config.Routes[0].Kind);
        Assert.Equal(RouteKind.Guest, config.Routes[2].Kind);
        Assert.Single(config.Providers);
    }

    // The source file's own path locates the repository even when build output lives elsewhere.
    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(source)!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gatehouse.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Gatehouse.slnx not found");
    }
}

public sealed class RateLimitConfigTests
{
    private static EdgeConfigException Reject(string body) => Assert.Throws<EdgeConfigException>(() =>
        EdgeConfigLoader.Parse("[[rate_limits]]\nname = \"r\"\n" + body + "\n", "/tmp/edge.toml", new Dictionary<string, string>()));

    [Fact]
    public void RateLimit_Valid_Parsed()
    {
        var config = EdgeConfigLoader.Parse(
            "[[rate_limits]]\nname = \"r\"\nkey = \"header:X-Api-Key\"\nwindow = \"60s\"\nlimit = 5\npenalty = \"2m\"\nprefix = \"/api/\"\n",
            "/tmp/edge.toml",
            new Dictionary<string, string>());

        var rule = Assert.Single(config.RateLimits);
        Assert.Equal(Gatehouse.Edge.RateLimiting.RateLimitKeyKind.Header, rule.Key);
        Assert.Equal("X-Api-Key", rule.HeaderName);
        Assert.Equal(60, rule.WindowSeconds);
        Assert.Equal(5, rule.LimitPerSecond);
        Assert.Equal(TimeSpan.FromMinutes(2), rule.Penalty);
    }

    [Theory]
    [InlineData("key = \"ip\"\nlimit = 1", "edge.toml:3: key 'key' in rate limit \"r\" must be \"client_ip\", \"subject\" or \"header:NAME\"; got \"ip\"")]
    [InlineData("window = \"5s\"\nlimit = 1", "edge.toml:3: key 'window' in rate limit \"r\" must be \"1s\", \"10s\" or \"60s\", the windows rate counters keep")]
    [InlineData("penalty = \"30s\"\nlimit = 1", "edge.toml:3: key 'penalty' in rate limit \"r\" must be from \"1m\" to \"60m\"; the penalty box keeps whole minutes")]
    [InlineData("key = \"client_ip\"", "edge.toml:1: rate limit \"r\" is missing key 'limit', the allowed requests per second; add limit = 10")]
    [InlineData("limit = 0", "edge.toml:3: key 'limit' in [[rate_limits]] must be an integer from 1 to 70000000; got 0")]
    public void RateLimit_Invalid_ExactMessage(string body, string expected)
    {
        Assert.Contains(expected, Reject(body).Errors);
    }
}
