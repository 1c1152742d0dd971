namespace Gatehouse.Edge.Experiments;

/// <summary>How a client is kept on the same variant across requests.</summary>
public enum Stickiness
{
    /// <summary>By the token's subject; clients without one fall back to the visitor cookie.</summary>
    Subject,

    /// <summary>By a random visitor id the edge keeps in a cookie.</summary>
    Cookie,
}

/// <summary>One A/B experiment from edge.toml: weighted variants, optionally limited to a path prefix.</summary>
public sealed record Experiment(string Name, string? Prefix, Stickiness Stickiness, IReadOnlyList<Variant> Variants)
{
    public long TotalWeight { get; } = Variants.Sum(variant => (long)variant.Weight);
}

public sealed record Variant(string Name, int Weight);
