using Gatehouse.Signals.Feedback;
using Gatehouse.Signals.RateLimiting;
using Gatehouse.Telemetry.Decisions;
using Gatehouse.Trust.Assertions;
using Gatehouse.Trust.Identity;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Edge.Hosting;

/// <summary>What the edge needs besides its configuration; the caller owns and disposes each part.</summary>
public sealed class EdgeHostOptions
{
    public required ILoggerFactory LoggerFactory { get; init; }

    public required IDecisionSink Decisions { get; init; }

    /// <summary>Signs the assertion attached to every forwarded request.</summary>
    public required IEdgeAssertionIssuer Assertions { get; init; }

    /// <summary>Returns the JWKS of the assertion keys, published at <see cref="EdgeHost.JwksPath"/>.</summary>
    public required Func<string> PublicJwks { get; init; }

    /// <summary>Validates bearer tokens on protected routes; required when any route is protected.</summary>
    public ITokenValidator? Tokens { get; init; }

    /// <summary>Overrides the listen address from the configuration, for <c>--port</c> and tests.</summary>
    public string? Listen { get; init; }

    /// <summary>Rate counters for the rate limits; an in-memory counter when null.</summary>
    public IRateCounter? RateCounter { get; init; }

    /// <summary>Penalty box for the rate limits; an in-memory box when null.</summary>
    public IPenaltyBox? PenaltyBox { get; init; }

    /// <summary>
    /// Rate counters for the stricter limits of rate_limit <c>[[feedback]]</c> rules, kept apart from
    /// <see cref="RateCounter"/> so the two never share a count; an in-memory counter when null.
    /// </summary>
    public IRateCounter? FeedbackRateCounter { get; init; }

    /// <summary>
    /// Bus on which the balancer publishes feedback signals; the edge applies every signal that names one of its
    /// <c>[[feedback]]</c> rules. Null means only in-process pushes and polls reach the rules.
    /// </summary>
    public ISignalBus? Signals { get; init; }

    /// <summary>
    /// Folder for the Data Protection keys of session cookies when <c>[sessions]</c> sets no key_directory.
    /// When both are null the edge uses a folder named session-keys beside the <c>[keys]</c> directory, and
    /// without one of those either, keys held in memory that end with the process.
    /// </summary>
    public string? SessionKeyDirectory { get; init; }

    /// <summary>
    /// Folder where guest routes keep compiled modules, so a restart skips the compile; null compiles at every
    /// start. <c>gatehouse up</c> uses .gatehouse/cache/wasm.
    /// </summary>
    public string? GuestCacheDirectory { get; init; }

    /// <summary>
    /// Listeners opened after those of edge.toml, such as the development HTTPS listener of <c>gatehouse up --tls</c>.
    /// </summary>
    public IReadOnlyList<Configuration.EdgeListenerConfig> AdditionalListeners { get; init; } = [];

    /// <summary>
    /// How often TLS certificate files are compared with the loaded ones, in case no file system event arrived;
    /// default 30 seconds.
    /// </summary>
    public TimeSpan CertificateCheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
