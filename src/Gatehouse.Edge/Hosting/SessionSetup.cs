using Gatehouse.Edge.Configuration;
using Gatehouse.Edge.Logging;
using Gatehouse.Edge.Sessions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Hosting;

/// <summary>Builds browser sign-in from <c>[sessions]</c>: its cookie keys and the client for the provider.</summary>
internal static class SessionSetup
{
    private const string ApplicationName = "Gatehouse.Edge";

    /// <summary>Returns null when the configuration has no [sessions] section.</summary>
    public static EdgeSessions? Create(EdgeConfig config, EdgeHostOptions options, ILogger logger, List<IDisposable> owned)
    {
        if (config.Sessions is not { } sessions)
        {
            return null;
        }

        // The loader has checked that the provider is one of [[providers]].
        var provider = config.Providers.First(p => p.Issuer == sessions.Provider);
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        owned.Add(http);
        var protection = CreateProtection(KeyDirectory(config, options), options.LoggerFactory, logger);
        return new EdgeSessions(sessions, provider, options.Tokens!, protection, http, logger, options.Time);
    }

    /// <summary>Returns the key folder: [sessions] key_directory, else the host's, else session-keys beside [keys].</summary>
    internal static string? KeyDirectory(EdgeConfig config, EdgeHostOptions options)
    {
        if ((config.Sessions?.KeyDirectory ?? options.SessionKeyDirectory) is { } chosen)
        {
            return chosen;
        }

        var parent = config.KeyDirectory is null ? null : Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(config.KeyDirectory));
        return parent is null ? null : Path.Combine(parent, "session-keys");
    }

    private static IDataProtectionProvider CreateProtection(string? directory, ILoggerFactory loggers, ILogger logger)
    {
        if (directory is null)
        {
            EdgeLog.SessionKeysEphemeral(logger);
            return new EphemeralDataProtectionProvider(loggers);
        }

        // NOTE: on Linux and macOS Data Protection stores these keys unencrypted, so the folder must be
        // readable only by the edge's user.
        Directory.CreateDirectory(directory);
        EdgeLog.SessionKeysPersisted(logger, directory);
        return DataProtectionProvider.Create(new DirectoryInfo(directory), builder => builder.SetApplicationName(ApplicationName));
    }
}
