namespace Gatehouse.Balancer.Acls;

/// <summary>`edge.groups`: each group in the verified edge assertion; an ACL matches when any group matches.</summary>
internal sealed class EdgeGroupsFetch : SampleFetch
{
    public override SampleType Type => SampleType.String;

    public override bool AnyMatch(SampleContext context, PatternMatcher matcher)
    {
        if (context.Assertion is not { } assertion)
        {
            return false;
        }

        foreach (var group in assertion.Groups)
        {
            if (matcher.Match(group))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Returns the groups joined by commas, or null without an assertion.</summary>
    public override string? FetchString(SampleContext context) =>
        context.Assertion is { } assertion ? string.Join(',', assertion.Groups) : null;
}
