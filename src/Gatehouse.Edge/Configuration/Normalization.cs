namespace Gatehouse.Edge.Configuration;

/// <summary>What the edge does with a request header whose name contains an underscore.</summary>
public enum UnderscoreHeaders
{
    /// <summary>Removes the header and forwards the request, as nginx does by default.</summary>
    Drop,

    /// <summary>Rejects the request with 400.</summary>
    Reject,

    /// <summary>Forwards the header unchanged.</summary>
    Forward,
}

/// <summary>
/// Path normalization applied to the path the edge routes on, rate-limits on and assigns experiments on.
/// The balancer still receives the request target bytes the client sent.
/// </summary>
public sealed class PathNormalization
{
    /// <summary>Collapses runs of '/' into one, so <c>//admin</c> routes as <c>/admin</c>; default true.</summary>
    public bool MergeSlashes { get; init; } = true;

    /// <summary>Removes "." and ".." segments (RFC 3986 section 5.2.4); default true.</summary>
    public bool ResolveDotSegments { get; init; } = true;

    /// <summary>
    /// Decodes %XX escapes of unreserved characters (letters, digits, '-', '.', '_', '~'), so <c>/%61dmin</c>
    /// routes as <c>/admin</c>; default true. Other escapes, %2F included, stay encoded.
    /// </summary>
    public bool DecodeUnreserved { get; init; } = true;
}
