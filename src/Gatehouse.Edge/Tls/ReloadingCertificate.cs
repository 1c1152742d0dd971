using System.Security.Cryptography;
using Gatehouse.Edge.Configuration;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Tls;

/// <summary>
/// The certificate of one <c>[[listeners.certificates]]</c> entry, reloaded when its files change. A file system
/// watcher notices most changes within a moment. A periodic check catches the rest, such as symlink swaps of
/// mounted secrets and file systems without notifications. Only new handshakes see a new certificate. A change
/// that does not load keeps the previous certificate and logs one warning, not repeated for the same reason.
/// </summary>
internal sealed class ReloadingCertificate : IDisposable
{
    // Certificate and key are often written one after the other, so the check waits for both to land.
    private static readonly TimeSpan SettleDelay = TimeSpan.FromMilliseconds(250);

    private readonly ListenerCertificate _config;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FileSystemWatcher? _watcher;
    private readonly ITimer _periodic;
    private readonly object _gate = new();
    private PemCertificate _current;
    private string _loadedHash;
    private string? _rejectedHash;
    private string? _rejectedReason;
    private ITimer? _pending;

    private ReloadingCertificate(ListenerCertificate config, PemCertificate initial, string hash, ILogger logger, TimeProvider time, TimeSpan checkInterval)
    {
        _config = config;
        _logger = logger;
        _time = time;
        _current = initial;
        _loadedHash = hash;
        _watcher = CreateWatcher(config);
        _periodic = time.CreateTimer(_ => Check(), null, checkInterval, checkInterval);
    }

    public ListenerCertificate Config => _config;

    /// <summary>The certificate for the next handshake.</summary>
    public PemCertificate Current => Volatile.Read(ref _current);

    /// <summary>Loads the files; throws <see cref="InvalidOperationException"/> with the reason when they do not load.</summary>
    public static ReloadingCertificate Open(ListenerCertificate config, ILogger logger, TimeProvider time, TimeSpan checkInterval)
    {
        var hash = HashFiles(config);
        var loaded = PemCertificate.TryLoad(config.CertificatePath, config.KeyPath, time.GetUtcNow(), out var error)
            ?? throw new InvalidOperationException($"TLS certificate {config.CertificatePath}: {error}");
        TlsLog.CertificateLoaded(logger, config.CertificatePath, loaded.Leaf.Subject, loaded.Leaf.NotAfter.ToUniversalTime());
        return new ReloadingCertificate(config, loaded, hash ?? string.Empty, logger, time, checkInterval);
    }

    /// <summary>Compares the files with the loaded ones and swaps in the new certificate when they changed and load.</summary>
    public void Check()
    {
        lock (_gate)
        {
            var hash = HashFiles(_config);
            if (hash is null || hash == _loadedHash || hash == _rejectedHash)
            {
                return;
            }

            var loaded = PemCertificate.TryLoad(_config.CertificatePath, _config.KeyPath, _time.GetUtcNow(), out var error);
            if (loaded is null)
            {
                // A file read while it is being written can give the same reason twice under two hashes.
                _rejectedHash = hash;
                if (error != _rejectedReason)
                {
                    _rejectedReason = error;
                    TlsLog.CertificateRejected(_logger, _config.CertificatePath, error ?? "unknown error");
                }

                return;
            }

            // The previous certificate stays alive: handshakes in progress may still use its context.
            Volatile.Write(ref _current, loaded);
            _loadedHash = hash;
            _rejectedHash = null;
            _rejectedReason = null;
            TlsLog.CertificateLoaded(_logger, _config.CertificatePath, loaded.Leaf.Subject, loaded.Leaf.NotAfter.ToUniversalTime());
        }
    }

    private FileSystemWatcher? CreateWatcher(ListenerCertificate config)
    {
        var directories = new[] { config.CertificatePath, config.KeyPath }.Select(Path.GetDirectoryName).Distinct().ToList();
        if (directories.Count != 1 || directories[0] is not { } directory || !Directory.Exists(directory))
        {
            // NOTE: certificate and key in different folders rely on the periodic check alone.
            return null;
        }

        var watcher = new FileSystemWatcher(directory)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, _) => ScheduleCheck();
        watcher.Created += (_, _) => ScheduleCheck();
        watcher.Renamed += (_, _) => ScheduleCheck();
        watcher.EnableRaisingEvents = true;
        return watcher;
    }

    private void ScheduleCheck()
    {
        lock (_gate)
        {
            _pending ??= _time.CreateTimer(_ => RunPendingCheck(), null, SettleDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private void RunPendingCheck()
    {
        lock (_gate)
        {
            _pending?.Dispose();
            _pending = null;
        }

        Check();
    }

    // Hashing the bytes (not comparing timestamps) notices a swap that keeps the modification time and ignores
    // touches that change nothing.
    private static string? HashFiles(ListenerCertificate config)
    {
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var path in new[] { config.CertificatePath, config.KeyPath })
            {
                if (new FileInfo(path).Length > PemCertificate.MaxFileBytes)
                {
                    return "oversize:" + path;
                }

                hash.AppendData(File.ReadAllBytes(path));
            }

            return Convert.ToHexString(hash.GetHashAndReset());
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A file between delete and rename; the next event or periodic check reads it again.
            return null;
        }
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _periodic.Dispose();
        lock (_gate)
        {
            _pending?.Dispose();
        }
    }
}
