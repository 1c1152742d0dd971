namespace Gatehouse.Edge.Guests;

/// <summary>What the edge knows about the downstream request while its guest runs: the facts its assertion carries.</summary>
internal sealed record RelayTicket(
    string RequestId, string ClientAddress, string? Subject, IReadOnlyList<string> Groups, string? Variant);
