using System.Net.Sockets;
using System.Text;
using Gatehouse.Balancer.Configuration;
using Gatehouse.Balancer.RuntimeApi;
using Gatehouse.Balancer.StickTables;
using Gatehouse.Balancer.Tests.StickTables;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Balancer.Tests.RuntimeApi;

public sealed class RuntimeApiTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly ManualClock _clock = new();
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"gh-stick-{Guid.NewGuid():N}.sock");
    private StickTableRegistry _registry = null!;
    private RuntimeApiServer _server = null!;

    public Task InitializeAsync()
    {
        var problems = new List<string>();
        var definition = StickTableParser.Parse(
            "be", "type ip size 1k expire 30s store http_req_rate(10s),gpc0".Split(' '), new ConfigLocation("t.cfg", 1), problems);
        Assert.Empty(problems);
        _registry = new StickTableRegistry([definition!], _clock);
        var context = new RuntimeApiContext(_registry, null, _clock, _clock.GetUtcNow());
        _server = RuntimeApiServer.Start(new StatsSocketSetting(_path, null, UnixFileMode.UserRead | UnixFileMode.UserWrite, "admin"), context, NullLogger.Instance);
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _registry.DisposeAsync();
    }

    private Task<string> Send(string line) => RuntimeApiClient.SendAsync(_path, line);

    [Fact]
    public async Task ShowTable_NoName_ListsTables()
    {
        Assert.Equal("# table: be, type: ip, size:1024, used:0\n\n", await Send("show table"));
    }

    [Fact]
    public async Task SetTable_ThenShow_PrintsEntryLine()
    {
        Assert.Equal("\n", await Send("set table be key 127.0.0.1 data.gpc0 5"));

        var output = await Send("show table be");

        Assert.Matches(@"^# table: be, type: ip, size:1024, used:1\n0x[0-9a-f]+: key=127\.0\.0\.1 use=0 exp=30000 gpc0=5 http_req_rate\(10000\)=0\n\n$", output);
    }

    [Fact]
    public async Task ShowTable_DataFilter_KeepsMatchingEntries()
    {
        await Send("set table be key 10.0.0.1 data.gpc0 1;set table be key 10.0.0.2 data.gpc0 9");

        var output = await Send("show table be data.gpc0 gt 5");

        Assert.Contains("key=10.0.0.2", output);
        Assert.DoesNotContain("key=10.0.0.1", output);
    }

    [Fact]
    public async Task ClearTable_Key_RemovesOnlyThatEntry()
    {
        await Send("set table be key 10.0.0.1 data.gpc0 1;set table be key 10.0.0.2 data.gpc0 1");

        Assert.Equal("\n", await Send("clear table be key 10.0.0.1"));

        Assert.Null(_registry.Find("be")!.Lookup("10.0.0.1"));
        Assert.NotNull(_registry.Find("be")!.Lookup("10.0.0.2"));
    }

    [Theory]
    [InlineData("show table nope", "No such table\n\n")]
    [InlineData("set table be key 10.0.0.1 data.gpc1 1", "Data type not stored in this table\n\n")]
    [InlineData("set table be key 10.0.0.1 data.nope 1", "Unknown data type\n\n")]
    public async Task Command_InvalidArguments_ReturnsHaproxyMessage(string line, string expected)
    {
        Assert.Equal(expected, await Send(line));
    }

    [Fact]
    public async Task UnknownCommand_ListsCommands()
    {
        var output = await Send("foo");

        Assert.StartsWith("Unknown command, but maybe one of the following ones is a better match:\n", output);
        Assert.Contains("  show table <table> [<filter>]*", output);
    }

    [Fact]
    public async Task Prompt_KeepsConnectionUntilQuit()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_path));
        await socket.SendAsync(Encoding.ASCII.GetBytes("prompt\n"));
        Assert.Equal("\n> ", await RuntimeApiClient.ReadPromptAsync(socket));

        await socket.SendAsync(Encoding.ASCII.GetBytes("show table\n"));
        Assert.Equal("# table: be, type: ip, size:1024, used:0\n\n> ", await RuntimeApiClient.ReadPromptAsync(socket));

        await socket.SendAsync(Encoding.ASCII.GetBytes("quit\n"));
        Assert.Equal("", await RuntimeApiClient.ReadPromptAsync(socket));
    }

    [Fact]
    public async Task ShowStat_NoRouting_PrintsHeader()
    {
        var output = await Send("show stat");

        Assert.StartsWith("# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,", output);
    }

    [Fact]
    public void Split_Semicolons_SeparatesCommands()
    {
        var commands = RuntimeCommands.Split(@"show table;set table be key a\;b data.gpc0 1");

        Assert.Equal(2, commands.Count);
        Assert.Equal(["show", "table"], commands[0]);
        Assert.Equal("a;b", commands[1][4]);
    }
}
