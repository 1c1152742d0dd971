using System.Net;
using Gatehouse.Edge.Compute.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Edge.Compute.Tests;

/// <summary>
/// Guests that trap, loop past the CPU limit, grow past the heap limit or never respond run at the same time as
/// healthy guest requests, each behind a real Kestrel listener. Only the faulty requests fail.
/// </summary>
[Collection(nameof(SuiteCollection))]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes the class through IAsyncLifetime.DisposeAsync.")]
public sealed class GuestFaultConcurrencyTests(SuiteFixture fixture) : IAsyncLifetime
{
    private const int Rounds = 3;
    private const int HealthyPerRound = 12;
    private const int FaultyPerKindPerRound = 2;

    // A module written in WebAssembly text whose entry point traps at once.
    private const string TrapWat = """
        (module
          (func (export "_start") unreachable)
          (memory (export "memory") 1))
        """;

    private readonly ComputeRuntime _runtime = new(new ComputeLimits(), cacheDirectory: null, NullLoggerFactory.Instance);
    private GuestModule? _trapModule;
    private GuestRunner? _trapRunner;
    private WebApplication? _trapServer;
    private HttpClient _trapClient = null!;

    public async Task InitializeAsync()
    {
        _trapModule = GuestModule.FromText(_runtime, "trap", TrapWat);
        _trapRunner = new GuestRunner(_trapModule, new GuestEnvironment());
        _trapServer = await GuestServer.StartAsync(_trapRunner, new IPEndPoint(IPAddress.Loopback, 0), NullLoggerFactory.Instance, CancellationToken.None);
        _trapClient = new HttpClient { BaseAddress = new Uri(_trapServer.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
    }

    [Fact]
    public async Task FaultyGuests_ConcurrentWithHealthy_OnlyFaultyFail()
    {
        var outcomes = new List<Task<(string Kind, HttpStatusCode Status, string Body)>>();
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < FaultyPerKindPerRound; i++)
            {
                outcomes.Add(SendAsync("trap", _trapClient, "/"));
                outcomes.Add(SendAsync("loop", fixture.Client, "/loop"));
                outcomes.Add(SendAsync("heap", fixture.Client, "/heap"));
                outcomes.Add(SendAsync("silent", fixture.Client, "/silent-timeout"));
            }

            for (var i = 0; i < HealthyPerRound; i++)
            {
                outcomes.Add(SendAsync("healthy", fixture.Client, "/hello"));
            }
        }

        var results = await Task.WhenAll(outcomes);

        foreach (var (kind, status, body) in results)
        {
            var (expectedStatus, expectedText) = kind switch
            {
                "healthy" => (HttpStatusCode.OK, "hello from /hello"),
                "trap" => (HttpStatusCode.InternalServerError, "Trap"),
                "loop" => (HttpStatusCode.InternalServerError, "CpuLimit"),
                "heap" => (HttpStatusCode.InternalServerError, ""),
                _ => (HttpStatusCode.GatewayTimeout, "BackendTimeout"),
            };
            Assert.True(status == expectedStatus, $"{kind}: {(int)status} {body}");
            Assert.Contains(expectedText, body, StringComparison.Ordinal);
        }

        Assert.Equal(Rounds * HealthyPerRound, results.Count(result => result.Kind == "healthy"));

        // Both listeners keep serving after the faults.
        Assert.Equal("hello from /hello", await fixture.GetOkTextAsync("/hello"));
        using var trapAgain = await _trapClient.GetAsync("/");
        Assert.Equal(HttpStatusCode.InternalServerError, trapAgain.StatusCode);
    }

    private static async Task<(string Kind, HttpStatusCode Status, string Body)> SendAsync(string kind, HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (kind, response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task DisposeAsync()
    {
        _trapClient.Dispose();
        if (_trapServer is not null)
        {
            await _trapServer.DisposeAsync();
        }

        _trapRunner?.Dispose();
        _trapModule?.Dispose();
        _runtime.Dispose();
    }
}
