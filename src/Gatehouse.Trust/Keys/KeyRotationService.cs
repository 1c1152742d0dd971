using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Trust.Keys;

/// <summary>
/// Background loop that rotates a key ring on a schedule: it creates a new key once the newest key is older
/// than <see cref="KeyRotationOptions.RotationInterval"/>, published <see cref="KeyRotationOptions.ActivationDelay"/>
/// before it signs, and retires a key once a newer key has signed for <see cref="KeyRotationOptions.RetireAfter"/>.
/// </summary>
/// <remarks>
/// Several edge processes may run this service on one key store. Each check holds the store's rotation lock
/// (an exclusive lock on <see cref="LockFileName"/> in a key directory, or <c>SET NX PX</c> on a Redis key)
/// and re-reads the store inside the lock, so one interval produces one new key. A process that finds the
/// lock held skips that check and retries a second later.
/// </remarks>
public sealed class KeyRotationService : IHostedService, IAsyncDisposable
{
    /// <summary>Name of the lock file created in a key directory; it never contains data.</summary>
    public const string LockFileName = DirectoryKeyStore.LockFileName;

    private static readonly TimeSpan MinimumWait = TimeSpan.FromSeconds(1);

    private readonly KeyRing _keyRing;
    private readonly KeyRotationOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lifecycle = new();
    private CancellationTokenSource? _stopping;
    private Task _loop = Task.CompletedTask;
    private int _checksCompleted;

    /// <exception cref="ArgumentOutOfRangeException">An option is negative, the check interval is under 1 s,
    /// or the rotation interval does not exceed the activation delay.</exception>
    public KeyRotationService(KeyRing keyRing, KeyRotationOptions options, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(keyRing);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _keyRing = keyRing;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// Full path of the lock file that serializes rotation across processes, or for a ring in Redis the key
    /// of its lock.
    /// </summary>
    public string LockPath => _keyRing.Store.LockName;

    /// <summary>Number of checks finished, successful or not; exposed for tests.</summary>
    internal int ChecksCompleted => Volatile.Read(ref _checksCompleted);

    /// <summary>Starts the loop, whose first check runs at once. Starting a running service does nothing.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_lifecycle)
        {
            if (_stopping is not null)
            {
                return Task.CompletedTask;
            }

            _stopping = new CancellationTokenSource();
            var token = _stopping.Token;
            _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
        }

        TrustLog.KeyRotationStarted(
            _logger, _keyRing.Location, _options.RotationInterval, _options.ActivationDelay, _options.RetireAfter);
        return Task.CompletedTask;
    }

    /// <summary>Stops the loop and waits for a check in progress to finish, or until the token is cancelled.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        CancellationTokenSource? stopping;
        Task loop;
        lock (_lifecycle)
        {
            stopping = _stopping;
            loop = _loop;
            _stopping = null;
        }

        if (stopping is null)
        {
            return;
        }

        await stopping.CancelAsync();
        await loop.WaitAsync(cancellationToken);
        stopping.Dispose();
        TrustLog.KeyRotationStopped(_logger, _keyRing.Location);
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    /// <summary>
    /// Rotates the ring when due and retires replaced keys whose time is up, under the directory lock.
    /// Returns what was done and when the next step is due.
    /// </summary>
    /// <exception cref="KeyRingException">The key directory is unusable.</exception>
    /// <exception cref="IOException">The lock file or a key file could not be written.</exception>
    internal KeyRotationCheck CheckNow()
    {
        using var lockFile = _keyRing.Store.TryAcquireRotationLock();
        if (lockFile is null)
        {
            TrustLog.KeyRotationLockBusy(_logger, _keyRing.Location, LockPath);
            return new KeyRotationCheck(null, [], LockBusy: true, _timeProvider.GetUtcNow() + MinimumWait);
        }

        // Another process may have rotated or retired since this ring last read the directory.
        _keyRing.Reload();
        var rotated = RotateIfDue();
        var retired = RetireReplacedKeys();
        var nextDueAt = KeyRotationSchedule.NextDueAt(_keyRing.List(), _options);
        return new KeyRotationCheck(rotated, retired, LockBusy: false, nextDueAt);
    }

    private KeyInfo? RotateIfDue()
    {
        var now = _timeProvider.GetUtcNow();
        if (now < KeyRotationSchedule.RotationDueAt(_keyRing.List(), _options.RotationInterval))
        {
            return null;
        }

        var previousKeyId = _keyRing.CurrentKeyId;
        var key = _keyRing.Rotate(_options.ActivationDelay);
        TrustLog.KeyRotated(_logger, _keyRing.Location, key.KeyId, previousKeyId, key.ActivatesAt);
        return key;
    }

    private List<string> RetireReplacedKeys()
    {
        var now = _timeProvider.GetUtcNow();
        var retired = new List<string>();
        foreach (var replaced in KeyRotationSchedule.ReplacedKeys(_keyRing.List()))
        {
            if (replaced.StoppedSigningAt + _options.RetireAfter > now)
            {
                continue;
            }

            _keyRing.Retire(replaced.Key.KeyId);
            retired.Add(replaced.Key.KeyId);
            TrustLog.KeyRetiredByRotation(_logger, replaced.Key.KeyId, _keyRing.Location, replaced.StoppedSigningAt);
        }

        return retired;
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var wait = CheckAndComputeWait();
            Interlocked.Increment(ref _checksCompleted);
            try
            {
                await Task.Delay(wait, _timeProvider, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private TimeSpan CheckAndComputeWait()
    {
        try
        {
            var check = CheckNow();
            var wait = check.NextCheckAt - _timeProvider.GetUtcNow();
            if (wait < MinimumWait)
            {
                return MinimumWait;
            }

            return wait > _options.CheckInterval ? _options.CheckInterval : wait;
        }
        catch (Exception ex) when (ex is KeyRingException or IOException or UnauthorizedAccessException)
        {
            TrustLog.KeyRotationFailed(_logger, ex, _keyRing.Location, _options.CheckInterval);
            return _options.CheckInterval;
        }
    }
}

/// <summary>Outcome of one rotation check.</summary>
internal sealed record KeyRotationCheck(
    KeyInfo? Rotated, IReadOnlyList<string> Retired, bool LockBusy, DateTimeOffset NextCheckAt);
