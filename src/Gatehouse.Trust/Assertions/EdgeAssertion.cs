namespace Gatehouse.Trust.Assertions;

/// <summary>
/// What the edge vouches for about one forwarded request. Carried to the balancer as a short-lived
/// signed JWT in the <see cref="HeaderName"/> request header.
/// </summary>
public sealed record EdgeAssertion(
    string RequestId,
    string ClientAddress,
    string? Subject,
    IReadOnlyList<string> Groups,
    string? Variant,
    string Decision)
{
    /// <summary>Request header that carries the signed assertion from edge to balancer.</summary>
    public const string HeaderName = "X-Gatehouse-Assertion";

    /// <summary>Value of the JWT <c>iss</c> claim on every edge assertion.</summary>
    public const string Issuer = "gatehouse-edge";

    /// <summary>Value of the JWT <c>aud</c> claim on every edge assertion.</summary>
    public const string Audience = "gatehouse-balancer";
}

/// <summary>Signs edge assertions with the key ring's current key.</summary>
public interface IEdgeAssertionIssuer
{
    string Issue(EdgeAssertion assertion);
}

/// <summary>Checks a signed edge assertion against the published key set.</summary>
public interface IEdgeAssertionVerifier
{
    ValueTask<AssertionCheck> VerifyAsync(string token, CancellationToken cancellationToken);
}

/// <summary>Outcome of an assertion check: the assertion when valid, otherwise a short reason.</summary>
public readonly record struct AssertionCheck(EdgeAssertion? Assertion, string? FailureReason)
{
    public bool IsValid => Assertion is not null;

    public static AssertionCheck Valid(EdgeAssertion assertion) => new(assertion, null);

    public static AssertionCheck Invalid(string reason) => new(null, reason);
}
