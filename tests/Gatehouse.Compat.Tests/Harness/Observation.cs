namespace Gatehouse.Compat.Tests.Harness;

/// <summary>What one implementation did with one request: its response and the requests the origins received.</summary>
internal sealed record Exchange(ProbeRequest Request, ProbeResponse Response, IReadOnlyList<OriginRequest> Received);

/// <summary>
/// One implementation's run of a scenario: the exchanges in order, or why Gatehouse rejected the configuration.
/// HAProxy failing to start throws instead, with HAProxy's output.
/// </summary>
internal sealed record Observation(string Implementation, IReadOnlyList<Exchange> Exchanges, string? StartFailure = null);
