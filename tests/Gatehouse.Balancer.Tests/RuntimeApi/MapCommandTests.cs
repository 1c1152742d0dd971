using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.Tests.Runtime;
using static Gatehouse.Balancer.Tests.Runtime.BalancerTestHost;

namespace Gatehouse.Balancer.Tests.RuntimeApi;

public sealed class MapCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gh-map-");

    private string Socket => Path.Combine(_directory.FullName, "api.sock");

    private string MapPath => Path.Combine(_directory.FullName, "routes.map");

    public void Dispose() => _directory.Delete(recursive: true);

    private async Task<BalancerTestHost> StartAsync(EchoOrigin api, EchoOrigin fallback, string level = "admin")
    {
        await File.WriteAllTextAsync(MapPath, "# prefix backend\n/api/ be_api\n");
        var config = $$"""
            global
                stats socket {{Socket}} level {{level}}
            frontend fe
                bind 127.0.0.1:0
                use_backend %[path,map_beg({{MapPath}},be_default)]
            backend be_default
                server s1 {{fallback.Address}}
            backend be_api
                server s1 {{api.Address}}
            """;
        return await BalancerTestHost.StartAsync(BalancerConfigLoader.Parse(config, "t.cfg", new Dictionary<string, string>()));
    }

    private static async Task<string> OriginOf(BalancerTestHost balancer, string path)
    {
        using var response = await balancer.SendAsync(Get(path));
        return (await EchoReply.ReadAsync(response)).Origin;
    }

    [Fact]
    public async Task AddMap_NewPrefix_RoutesNextRequest()
    {
        await using var api = await EchoOrigin.StartAsync("api");
        await using var fallback = await EchoOrigin.StartAsync("fallback");
        await using var balancer = await StartAsync(api, fallback);

        var before = await OriginOf(balancer, "/admin/x");
        var added = await RuntimeApiClient.SendAsync(Socket, $"add map {MapPath} /admin/ be_api");
        var after = await OriginOf(balancer, "/admin/x");

        Assert.Equal("fallback", before);
        Assert.Equal("\n", added);
        Assert.Equal("api", after);
        Assert.Equal("api", await OriginOf(balancer, "/api/users"));
    }

    [Fact]
    public async Task SetDelClear_ChangeRouting()
    {
        await using var api = await EchoOrigin.StartAsync("api");
        await using var fallback = await EchoOrigin.StartAsync("fallback");
        await using var balancer = await StartAsync(api, fallback);

        Assert.Equal("\n", await RuntimeApiClient.SendAsync(Socket, $"set map {MapPath} /api/ be_default"));
        Assert.Equal("fallback", await OriginOf(balancer, "/api/x"));
        Assert.Equal("entry not found.\n\n", await RuntimeApiClient.SendAsync(Socket, $"set map {MapPath} /nope be_api"));
        Assert.Equal("\n", await RuntimeApiClient.SendAsync(Socket, $"add map {MapPath} /v2/ be_api"));
        Assert.Equal("\n", await RuntimeApiClient.SendAsync(Socket, $"del map {MapPath} /v2/"));
        Assert.Equal("Key not found.\n\n", await RuntimeApiClient.SendAsync(Socket, $"del map {MapPath} /v2/"));
        Assert.Equal("fallback", await OriginOf(balancer, "/v2/x"));
        Assert.Equal("\n\n", await RuntimeApiClient.SendAsync(Socket, $"add map {MapPath} /v3/ be_api;clear map #0"));
        Assert.Equal("\n", await RuntimeApiClient.SendAsync(Socket, $"show map {MapPath}"));
        Assert.Equal("fallback", await OriginOf(balancer, "/v3/x"));
    }

    [Fact]
    public async Task ShowMap_ListsMapsAndEntries()
    {
        await using var api = await EchoOrigin.StartAsync("api");
        await using var fallback = await EchoOrigin.StartAsync("fallback");
        await using var balancer = await StartAsync(api, fallback);

        var list = await RuntimeApiClient.SendAsync(Socket, "show map");
        var entries = await RuntimeApiClient.SendAsync(Socket, $"show map {MapPath}");
        var unknown = await RuntimeApiClient.SendAsync(Socket, "show map /nope.map");

        Assert.Equal(
            $"# id (file) description\n0 ({MapPath}) pattern loaded from file '{MapPath}' used by map at file 't.cfg' line 5. curr_ver=0 next_ver=0 entry_cnt=1\n\n",
            list);
        Assert.Equal("0x1 /api/ be_api\n\n", entries);
        Assert.Equal("Unknown map identifier. Please use #<id> or <file>.\n\n", unknown);
    }

    [Theory]
    [InlineData("add map", "'add map' expects three parameters (map identifier, key and value) or one parameter (map identifier) and a payload\n\n")]
    [InlineData("set map", "'set map' expects three parameters: map identifier, key and value.\n\n")]
    [InlineData("del map", "This command expects two parameters: map identifier and key.\n\n")]
    [InlineData("clear map", "Missing map identifier.\n\n")]
    [InlineData("clear map #7", "Unknown map identifier. Please use #<id> or <file>.\n\n")]
    public async Task MapCommand_InvalidArguments_HaproxyMessage(string command, string expected)
    {
        await using var api = await EchoOrigin.StartAsync("api");
        await using var fallback = await EchoOrigin.StartAsync("fallback");
        await using var balancer = await StartAsync(api, fallback);

        Assert.Equal(expected, await RuntimeApiClient.SendAsync(Socket, command));
    }

    [Fact]
    public void MapConverter_MissingFile_ReportsFileLine()
    {
        var missing = Path.Combine(_directory.FullName, "missing.map");
        var config = $"frontend fe\n    bind 127.0.0.1:0\n    use_backend %[path,map_beg({missing},be)]\nbackend be\n    server s1 127.0.0.1:9000\n";

        var errors = Assert.Throws<ConfigException>(() => BalancerConfigLoader.Parse(config, "t.cfg", new Dictionary<string, string>())).Errors;

        Assert.Contains(errors, error => error.StartsWith($"t.cfg:3: 'use_backend': cannot read map file '{missing}'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UserLevel_ServerAndTableChanges_PermissionDenied()
    {
        await using var api = await EchoOrigin.StartAsync("api");
        await using var fallback = await EchoOrigin.StartAsync("fallback");
        await using var balancer = await StartAsync(api, fallback, level: "user");

        Assert.Equal("Permission denied\n\n", await RuntimeApiClient.SendAsync(Socket, "disable server be_api/s1"));
        Assert.Equal("Permission denied\n\n", await RuntimeApiClient.SendAsync(Socket, "set server be_api/s1 weight 0"));
        Assert.Equal(Gatehouse.Balancer.LoadBalancing.ServerAdminState.Ready, balancer.Host.State.Backends["be_api"].Servers[0].AdminState);
        Assert.Equal("api", await OriginOf(balancer, "/api/x"));
        Assert.StartsWith("# name\n", await RuntimeApiClient.SendAsync(Socket, "show backend"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperatorLevel_ServerChange_PermissionDenied()
    {
        await using var api = await EchoOrigin.StartAsync("api");
        await using var fallback = await EchoOrigin.StartAsync("fallback");
        await using var balancer = await StartAsync(api, fallback, level: "operator");

        Assert.Equal("Permission denied\n\n", await RuntimeApiClient.SendAsync(Socket, "enable server be_api/s1"));
        Assert.Equal("Permission denied\n\n", await RuntimeApiClient.SendAsync(Socket, "set server be_api/s1 state maint"));
        Assert.Equal("\n", await RuntimeApiClient.SendAsync(Socket, $"add map {MapPath} /admin/ be_api"));
    }
}
