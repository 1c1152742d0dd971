using Gatehouse.Trust.Keys;
using Gatehouse.Trust.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Gatehouse.Trust.Tests.Keys;

public sealed class RedisKeyRingTests : IClassFixture<RedisServerFixture>, IDisposable
{
    private static readonly KeyRotationOptions Rotation = new()
    {
        RotationInterval = TimeSpan.FromHours(1),
        ActivationDelay = TimeSpan.FromMinutes(5),
        RetireAfter = TimeSpan.FromMinutes(2),
        CheckInterval = TimeSpan.FromMinutes(1),
    };

    private readonly RedisServerFixture _redis;
    private readonly ManualTimeProvider _clock = new();
    private readonly RedisKeyStoreOptions _options = new() { KeyPrefix = RedisServerFixture.NewPrefix() };
    private readonly List<IDisposable> _disposables = [];

    public RedisKeyRingTests(RedisServerFixture redis)
    {
        _redis = redis;
    }

    [Fact]
    public async Task OpenRedis_EmptyStore_CreatesSharedKey()
    {
        var nodeA = await OpenNodeAsync();
        var nodeB = await OpenNodeAsync();

        Assert.Single(nodeA.List());
        Assert.Equal(nodeA.CurrentKeyId, nodeB.CurrentKeyId);
        Assert.StartsWith("redis://127.0.0.1:", nodeA.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_OnNodeA_ReachesNodeB()
    {
        var nodeA = await OpenNodeAsync();
        var nodeB = await OpenNodeAsync();
        Assert.Single(nodeB.List());
        _clock.Advance(TimeSpan.FromSeconds(1));

        var rotated = nodeA.Rotate();
        _clock.Advance(KeyRing.ReloadInterval);

        Assert.Equal(2, nodeB.List().Count);
        Assert.Equal(rotated.KeyId, nodeB.CurrentKeyId);
        Assert.Contains(rotated.KeyId, nodeB.PublicJwksJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retire_OnNodeA_LeavesNodeBJwks()
    {
        var nodeA = await OpenNodeAsync();
        var nodeB = await OpenNodeAsync();
        var first = nodeA.CurrentKeyId;
        nodeA.Rotate();
        _clock.Advance(KeyRing.ReloadInterval);
        Assert.Contains(first, nodeB.PublicJwksJson(), StringComparison.Ordinal);

        nodeA.Retire(first);
        _clock.Advance(KeyRing.ReloadInterval);

        Assert.DoesNotContain(first, nodeB.PublicJwksJson(), StringComparison.Ordinal);
        Assert.Equal(KeyStatus.Retired, nodeB.List().Single(key => key.KeyId == first).Status);
    }

    [Fact]
    public async Task CheckNow_TwoNodes_OneKeyPerInterval()
    {
        var serviceA = new KeyRotationService(await OpenNodeAsync(), Rotation, _clock, NullLogger.Instance);
        var serviceB = new KeyRotationService(await OpenNodeAsync(), Rotation, _clock, NullLogger.Instance);
        var observer = await OpenNodeAsync();

        for (var round = 1; round <= 5; round++)
        {
            _clock.Advance(Rotation.RotationInterval);
            using var start = new Barrier(2);
            var checks = await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(); return serviceA.CheckNow(); }),
                Task.Run(() => { start.SignalAndWait(); return serviceB.CheckNow(); }));

            observer.Reload();
            Assert.Equal(round + 1, observer.List().Count);
            Assert.Equal(1, checks.Count(check => check.Rotated is not null));
        }
    }

    [Fact]
    public async Task CheckNow_LockHeldElsewhere_SkipsCheck()
    {
        var ring = await OpenNodeAsync();
        var service = new KeyRotationService(ring, Rotation, _clock, NullLogger.Instance);
        var database = (await ConnectAsync()).GetDatabase();
        await database.StringSetAsync(service.LockPath, "another-node");
        _clock.Advance(Rotation.RotationInterval);

        var check = service.CheckNow();

        Assert.True(check.LockBusy);
        Assert.Single(ring.List());
        Assert.Equal(_options.KeyPrefix + "rotation-lock", service.LockPath);
    }

    [Fact]
    public async Task RotationLock_TakenOver_ReleaseKeepsNewHolder()
    {
        var ring = await OpenNodeAsync();
        var database = (await ConnectAsync()).GetDatabase();
        var firstHolder = ring.Store.TryAcquireRotationLock();
        Assert.NotNull(firstHolder);
        Assert.Null(ring.Store.TryAcquireRotationLock());

        // Simulates the lock expiring and another node taking it before this holder releases.
        await database.StringSetAsync(ring.Store.LockName, "newer-holder");
        firstHolder.Dispose();

        Assert.Equal("newer-holder", (string?)await database.StringGetAsync(ring.Store.LockName));
    }

    [Fact]
    public async Task OpenRedis_PrivateKeyPrefix_MetadataOmitsKey()
    {
        var options = new RedisKeyStoreOptions { KeyPrefix = _options.KeyPrefix, PrivateKeyPrefix = _options.KeyPrefix + "secret:" };
        var ring = KeyRing.OpenRedis(await ConnectAsync(), options, null, _clock);
        var database = (await ConnectAsync()).GetDatabase();

        var pem = (string?)await database.StringGetAsync(options.KeyPrefix + "secret:" + ring.CurrentKeyId);
        var metadata = (string?)await database.HashGetAsync(options.KeyPrefix + "metadata", ring.CurrentKeyId);

        Assert.NotNull(pem);
        Assert.Contains("BEGIN PRIVATE KEY", pem, StringComparison.Ordinal);
        Assert.NotNull(metadata);
        Assert.DoesNotContain("PRIVATE", metadata, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenRedis_AclUser_WorksAndHidesPassword()
    {
        using var server = RedisServer.Start(
            "--user", "signer", "on", ">signer-password", "~gh:keys:*", "&*", "+@all",
            "--user", "outsider", "on", ">outsider-password", "~other:*", "&*", "+@all");
        var options = new RedisKeyStoreOptions { KeyPrefix = "gh:keys:" };
        var signer = Track(await RedisServerFixture.ConnectAsync(server, "signer", "signer-password"));
        var outsider = Track(await RedisServerFixture.ConnectAsync(server, "outsider", "outsider-password"));

        var ring = KeyRing.OpenRedis(signer, options, null, _clock);
        var error = Assert.Throws<KeyRingException>(() => KeyRing.OpenRedis(outsider, options, null, _clock));

        Assert.Single(ring.List());
        Assert.DoesNotContain("signer-password", ring.Location, StringComparison.Ordinal);
        Assert.DoesNotContain("outsider-password", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("gh:keys:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_RedisDown_KeepsLoadedKeys()
    {
        using var server = RedisServer.Start();
        var ring = KeyRing.OpenRedis(Track(await RedisServerFixture.ConnectAsync(server)), _options, null, _clock);
        var keyId = ring.CurrentKeyId;

        server.Kill();
        var error = Assert.Throws<KeyRingException>(ring.Reload);
        _clock.Advance(KeyRing.ReloadInterval);

        Assert.Contains("Check that Redis is reachable", error.Message, StringComparison.Ordinal);
        Assert.Equal(keyId, ring.CurrentKeyId);
        Assert.Contains(keyId, ring.PublicJwksJson(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            disposable.Dispose();
        }
    }

    private async Task<IConnectionMultiplexer> ConnectAsync() => Track(await _redis.ConnectAsync());

    private async Task<KeyRing> OpenNodeAsync() => KeyRing.OpenRedis(await ConnectAsync(), _options, null, _clock);

    private T Track<T>(T disposable)
        where T : IDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }
}
