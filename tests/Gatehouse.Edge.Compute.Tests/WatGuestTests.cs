using Gatehouse.Edge.Compute.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Edge.Compute.Tests;

/// <summary>Runtime behaviour that needs no JS runtime, on small modules written in WebAssembly text.</summary>
public sealed class WatGuestTests : IDisposable
{
    private readonly ComputeRuntime _runtime = new(new ComputeLimits(), cacheDirectory: null, NullLoggerFactory.Instance);

    [Fact]
    public async Task Runner_InfiniteLoop_StopsAtDefaultCpuLimit()
    {
        var outcome = await RunAsync("""(func (export "_start") (loop $spin (br $spin)))""");
        Assert.Equal(GuestFailure.CpuLimit, outcome.Failure);
        Assert.Equal(500, outcome.Status);
        Assert.True(outcome.CpuTime >= new ComputeLimits().CpuTime, $"CPU time {outcome.CpuTime}");
    }

    [Fact]
    public async Task Runner_UnimplementedHostcall_ReturnsStatus5()
    {
        var outcome = await RunAsync("""
            (import "fastly_acl" "open" (func $open (param i32 i32 i32) (result i32)))
            (func (export "_start") (call $exit (call $open (i32.const 0) (i32.const 0) (i32.const 16))))
            """);
        Assert.Equal("guest exited with code 5", outcome.Cause);
    }

    [Fact]
    public async Task Runner_ExitWithoutResponse_Returns500()
    {
        var outcome = await RunAsync("""(func (export "_start"))""");
        Assert.Equal(GuestFailure.NoResponse, outcome.Failure);
        Assert.Equal(500, outcome.Status);
    }

    private async Task<GuestOutcome> RunAsync(string body)
    {
        var wat = $$"""
            (module
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              {{body}}
              (memory (export "memory") 1))
            """;
        using var module = GuestModule.FromText(_runtime, "test", wat);
        using var runner = new GuestRunner(module, new GuestEnvironment());
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        context.Request.Path = "/";
        return await runner.RunAsync(context, new GuestRequestContext { RequestId = "test" }, CancellationToken.None);
    }

    public void Dispose() => _runtime.Dispose();
}
