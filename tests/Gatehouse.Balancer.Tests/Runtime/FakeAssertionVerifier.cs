using Gatehouse.Trust.Assertions;

namespace Gatehouse.Balancer.Tests.Runtime;

/// <summary>
/// Accepts tokens of the form "fake;SUBJECT;GROUP,GROUP;CLIENT;REQUEST-ID" and rejects everything else
/// with "signature invalid". Stands in for the JWKS verifier, which has its own tests.
/// </summary>
internal sealed class FakeAssertionVerifier : IEdgeAssertionVerifier
{
    public List<Uri> JwksUris { get; } = [];

    public static string Token(string subject, string groups, string client, string requestId) =>
        $"fake;{subject};{groups};{client};{requestId}";

    public ValueTask<AssertionCheck> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        var parts = token.Split(';');
        if (parts.Length != 5 || parts[0] != "fake")
        {
            return ValueTask.FromResult(AssertionCheck.Invalid("signature invalid"));
        }

        var groups = parts[2].Split(',', StringSplitOptions.RemoveEmptyEntries);
        return ValueTask.FromResult(AssertionCheck.Valid(new EdgeAssertion(parts[4], parts[3], parts[1], groups, null, "allow")));
    }
}
