using System.Runtime.Versioning;
using Gatehouse.Trust.Keys;
using Gatehouse.Trust.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.Trust.Tests.Keys;

// Key file modes are a Unix concept, and the lock conflict test relies on flock semantics.
[UnsupportedOSPlatform("windows")]
public sealed class KeyRotationServiceTests : IDisposable
{
    private static readonly KeyRotationOptions Options = new()
    {
        RotationInterval = TimeSpan.FromHours(1),
        ActivationDelay = TimeSpan.FromMinutes(5),
        RetireAfter = TimeSpan.FromMinutes(2),
        CheckInterval = TimeSpan.FromMinutes(1),
    };

    private readonly TempDirectory _temp = new();
    private readonly ManualTimeProvider _clock = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void CheckNow_BeforeInterval_DoesNotRotate()
    {
        var ring = OpenRing();
        var service = CreateService(ring);
        _clock.Advance(Options.RotationInterval - TimeSpan.FromMinutes(1));

        var check = service.CheckNow();

        Assert.Null(check.Rotated);
        Assert.Single(ring.List());
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromMinutes(1), check.NextCheckAt);
    }

    [Fact]
    public void CheckNow_FullCycle_RotatesActivatesAndRetires()
    {
        var ring = OpenRing();
        var first = ring.CurrentKeyId;
        var service = CreateService(ring);

        _clock.Advance(Options.RotationInterval);
        var rotated = service.CheckNow().Rotated;
        Assert.NotNull(rotated);
        Assert.Equal(KeyStatus.Pending, rotated.Status);
        Assert.Equal(first, ring.CurrentKeyId);
        Assert.Contains(rotated.KeyId, ring.PublicJwksJson(), StringComparison.Ordinal);

        _clock.Advance(Options.ActivationDelay);
        Assert.Equal(rotated.KeyId, ring.CurrentKeyId);
        Assert.Empty(service.CheckNow().Retired);
        Assert.Contains(first, ring.PublicJwksJson(), StringComparison.Ordinal);

        _clock.Advance(Options.RetireAfter);
        var retired = service.CheckNow().Retired;
        Assert.Equal([first], retired);
        Assert.DoesNotContain(first, ring.PublicJwksJson(), StringComparison.Ordinal);
        Assert.Equal(KeyStatus.Retired, ring.List().Single(k => k.KeyId == first).Status);
    }

    [Fact]
    public void CheckNow_TwoServicesOneDirectory_RotatesOnce()
    {
        var ringB = OpenRing();
        var serviceA = CreateService(OpenRing());
        var serviceB = CreateService(ringB);
        _clock.Advance(Options.RotationInterval);

        // Ring B's cached view is now fresh for 5 s, so only the re-read under the lock shows A's new key.
        Assert.Single(ringB.List());
        var checkA = serviceA.CheckNow();
        var checkB = serviceB.CheckNow();

        Assert.NotNull(checkA.Rotated);
        Assert.Null(checkB.Rotated);
        Assert.Equal(2, OpenRing().List().Count);
    }

    [Fact]
    public void CheckNow_LockHeldElsewhere_SkipsRotation()
    {
        var ring = OpenRing();
        var service = CreateService(ring);
        _clock.Advance(Options.RotationInterval);
        using var otherProcessLock = new FileStream(service.LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var check = service.CheckNow();

        Assert.True(check.LockBusy);
        Assert.Null(check.Rotated);
        Assert.Single(ring.List());
    }

    [Fact]
    public async Task Loop_TwoServicesAfterInterval_RotateOnce()
    {
        await using var serviceA = CreateService(OpenRing());
        await using var serviceB = CreateService(OpenRing());
        await serviceA.StartAsync(CancellationToken.None);
        await serviceB.StartAsync(CancellationToken.None);
        await ClockWaits.UntilAsync(() => serviceA.ChecksCompleted == 1 && serviceB.ChecksCompleted == 1, "first checks");
        await ClockWaits.UntilTimerPendingAsync(_clock, count: 2);

        // The loops wait at most CheckInterval, so stepping by it reaches the rotation time one check at a time.
        for (var elapsed = TimeSpan.Zero; elapsed < Options.RotationInterval; elapsed += Options.CheckInterval)
        {
            var before = serviceA.ChecksCompleted + serviceB.ChecksCompleted;
            _clock.Advance(Options.CheckInterval);
            await ClockWaits.UntilAsync(
                () => serviceA.ChecksCompleted + serviceB.ChecksCompleted >= before + 2, "both checks");
            await ClockWaits.UntilTimerPendingAsync(_clock, count: 2);
        }

        var keys = OpenRing().List();
        Assert.Equal(2, keys.Count);
        Assert.Single(keys, k => k.Status == KeyStatus.Pending);
    }

    [Fact]
    public void Constructor_RotationNotLongerThanActivation_Rejects()
    {
        var options = new KeyRotationOptions { RotationInterval = TimeSpan.FromMinutes(5) };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => CreateService(OpenRing(), options));

        Assert.Equal(nameof(KeyRotationOptions.RotationInterval), error.ParamName);
    }

    private KeyRing OpenRing() => KeyRing.OpenDirectory(_temp.KeyDirectory, null, _clock);

    private KeyRotationService CreateService(KeyRing ring, KeyRotationOptions? options = null) =>
        new(ring, options ?? Options, _clock, NullLogger.Instance);
}
