namespace Gatehouse.Balancer.Acls;

/// <summary>One ACL in a condition, possibly negated with '!'.</summary>
internal readonly record struct AclTerm(Acl Acl, bool Negated);

/// <summary>
/// An `if` or `unless` condition: OR-groups (split by `||` or `or`) of terms that must all hold.
/// `unless` inverts the result.
/// </summary>
internal sealed class Condition
{
    private readonly AclTerm[][] _groups;
    private readonly bool _unless;

    public Condition(AclTerm[][] groups, bool unless)
    {
        _groups = groups;
        _unless = unless;
    }

    /// <summary>Every ACL the condition names, for checks of which fetches a rule reads.</summary>
    public IEnumerable<Acl> Acls => _groups.SelectMany(group => group).Select(term => term.Acl);

    public bool Evaluate(SampleContext context)
    {
        var result = false;
        foreach (var group in _groups)
        {
            if (AllHold(group, context))
            {
                result = true;
                break;
            }
        }

        return result != _unless;
    }

    private static bool AllHold(AclTerm[] group, SampleContext context)
    {
        foreach (var term in group)
        {
            if (term.Acl.Evaluate(context) == term.Negated)
            {
                return false;
            }
        }

        return true;
    }
}
