using System.Collections.Concurrent;
using System.Security.Cryptography;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Keys;
using Gatehouse.Trust.Tests.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Trust.Tests.Assertions;

/// <summary>
/// Traffic through key rotations on the real clock: the verifier fetches the JWKS over HTTP from a Kestrel
/// listener that serves the key ring. These tests take up to about 10 s because fetches are 5 s apart.
/// </summary>
public sealed class RotationTrafficTests : IAsyncLifetime, IDisposable
{
    private const int Loops = 8;
    private const int Rotations = 3;
    private const int IterationsAfterRotations = 50;
    private const int MaxIterations = 100_000;

    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();
    private KeyRing _ring = null!;
    private LoopbackServer _server = null!;
    private int _jwksRequests;

    public async Task InitializeAsync()
    {
        _ring = KeyRing.OpenDirectory(_temp.KeyDirectory);
        _server = await LoopbackServer.StartAsync(app => app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref _jwksRequests);
            return Results.Text(_ring.PublicJwksJson(), "application/json");
        }));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Verify_ConcurrentTrafficThroughRotations_RejectsNone()
    {
        var issuer = new EdgeAssertionIssuer(_ring);
        var logger = new EventIdLogger();
        var verifier = CreateVerifier(logger);
        var rejections = new ConcurrentQueue<string>();
        var progress = new int[Loops];
        var afterRotations = new int[Loops];
        var rotationsDone = 0;

        var loops = Enumerable.Range(0, Loops).Select(loop => Task.Run(async () =>
        {
            for (var i = 0; i < MaxIterations && afterRotations[loop] < IterationsAfterRotations; i++)
            {
                var done = Volatile.Read(ref rotationsDone) == Rotations;
                var check = await verifier.VerifyAsync(issuer.Issue(Assertion(loop, i)), CancellationToken.None);
                if (!check.IsValid)
                {
                    rejections.Enqueue(check.FailureReason!);
                }

                Volatile.Write(ref progress[loop], i + 1);
                afterRotations[loop] += done ? 1 : 0;

                // Verification completes synchronously once keys are cached; yielding keeps the loops from
                // starving the thread pool that the HTTP fetch and this test's polling need.
                await Task.Yield();
            }
        })).ToList();

        // The first iterations fetched the key set a moment ago, so the new kids arrive while a refetch is not
        // yet allowed and the verifier must wait for the next allowed fetch instead of rejecting them.
        await ClockWaits.UntilAsync(
            () => Enumerable.Range(0, Loops).All(loop => Volatile.Read(ref progress[loop]) >= 1), "every loop to run");
        for (var rotation = 0; rotation < Rotations; rotation++)
        {
            _ring.Rotate(TimeSpan.Zero);
        }

        Volatile.Write(ref rotationsDone, Rotations);
        await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(rejections);
        Assert.All(afterRotations, count => Assert.Equal(IterationsAfterRotations, count));

        // Event 4013: an unknown kid waited for the next allowed fetch, so the case above was exercised.
        Assert.True(logger.Count(4013) >= 1, "no unknown kid waited for the next allowed fetch");

        // Bound: one fetch for the first kid, plus at most one per rotation. A later fetch starts only for a kid
        // that was unknown when it started, and it returns every key published before it started.
        Assert.InRange(Volatile.Read(ref _jwksRequests), 2, 1 + Rotations);
    }

    [Fact]
    public async Task Verify_BogusKidFloodOverHttp_RejectsAll()
    {
        var verifier = CreateVerifier();
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tokens = Enumerable.Range(0, 200).Select(_ => Forge(forger)).ToList();

        var results = await Task.WhenAll(tokens.Select(token =>
            Task.Run(() => verifier.VerifyAsync(token, CancellationToken.None).AsTask())));

        Assert.All(results, check => Assert.Equal("unknown edge assertion key", check.FailureReason));
        Assert.InRange(Volatile.Read(ref _jwksRequests), 1, 2);
    }

    private JwksAssertionVerifier CreateVerifier(ILogger? logger = null) => new(
        new HttpJwksSource(new Uri(_server.BaseAddress, "jwks"), _http), TimeProvider.System, logger ?? NullLogger.Instance);

    private static EdgeAssertion Assertion(int loop, int iteration) =>
        new($"req-{loop}-{iteration}", "203.0.113.7", "alice", ["staff"], null, "allow");

    private static string Forge(ECDsa forger)
    {
        var key = new ECDsaSecurityKey(forger) { KeyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) };
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = EdgeAssertion.Issuer,
            Audience = EdgeAssertion.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(60),
            Claims = new Dictionary<string, object> { ["rid"] = "r", ["cip"] = "192.0.2.1", ["dec"] = "allow" },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }
}
